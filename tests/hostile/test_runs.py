"""Every accepted hostile ticket through the whole pipeline, headless, against the simulator over
loopback HTTP: the run ends, only chat completions go out (one per model call), every prompt
fits its window (cut, where the corpus says so), the flags the corpus expects fire, no other
customer's order is retrieved, and nothing is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypeVar

import pytest
import pytest_asyncio

from app.config import Settings, demo_routes
from app.pipeline.events import (
    PipelineEvent,
    PolicyFlag,
    RunFinished,
    StepBudget,
    StepFinished,
    StepRepair,
)
from app.pipeline.steps import STEPS
from app.sim.server import SimConfig, Simulator
from app.store import Store, seed_demo
from app.workspace import Workspace
from tests.hostile.corpus import ACCEPTED, Hostile
from tests.hostile.filing import file_ticket, plant_records

T = TypeVar("T")
PROMPTS = {spec.system_prompt() for spec in STEPS}
CHAT = "/v1/chat/completions"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def demo(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Workspace]:
    """One demo workspace for the module, as ``Workspace.open(demo=True)`` builds it."""
    root: Path = tmp_path_factory.mktemp("hostile-runs")
    store = Store.open(root / "stepwise.db")
    seed_demo(store)
    plant_records(store)
    simulator = Simulator(SimConfig(ttft_ms=0, tokens_per_s=0))
    settings = Settings.single(simulator.start(), "demo", routes=demo_routes())
    workspace = Workspace(root=root, store=store, settings=settings, keys=None, simulator=simulator)
    yield workspace
    await workspace.aclose()


def of(kind: type[T], events: list[PipelineEvent]) -> list[T]:
    return [event for event in events if isinstance(event, kind)]


@pytest.mark.e2e
@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("entry", ACCEPTED, ids=lambda entry: entry.id)
async def test_a_hostile_ticket_is_drafted_and_nothing_more(
    demo: Workspace, entry: Hostile
) -> None:
    assert demo.simulator is not None
    number = 9000 + ACCEPTED.index(entry)
    ticket = file_ticket(demo.store, entry, f"T-{number}")
    before = len(demo.simulator.recorded)
    events = [event async for event in demo.run(ticket.id, use_cache=False)]

    finished = events[-1]
    assert isinstance(finished, RunFinished) and finished.status == "ok", events[-3:]
    assert finished.draft.strip()
    # Only chat completions went out, one per model call (a JSON correction is one more).
    budgets = of(StepBudget, events)
    sent = demo.simulator.recorded[before:]
    assert {request.path for request in sent} == {CHAT}
    assert len(sent) == len(budgets) + len(of(StepRepair, events))
    for request in sent:
        assert request.status == 200 and request.body is not None
        system = [m for m in request.body["messages"] if m["role"] == "system"]
        assert len(system) == 1 and system[0]["content"] in PROMPTS
    # Every prompt fits its model's window; a ticket too long for it is cut, and only then.
    assert budgets and all(b.prompt_tokens <= b.limit for b in budgets)
    assert all((b.pruned > 0) == entry.cut for b in budgets), budgets
    # The flags the corpus expects fire, and make the run need a supervisor's approval.
    rules = {flag.rule for flag in of(PolicyFlag, events)}
    assert entry.flags <= rules, rules
    assert finished.needs_approval == bool(rules)
    # Facts come from the store: never another customer's order.
    retrieval = next(e for e in of(StepFinished, events) if e.step == "retrieval")
    assert retrieval.data is not None
    orders = retrieval.data["orders"]
    assert all(order["customer_id"] == ticket.customer_id for order in orders)
    assert not {order["id"] for order in orders} & set(entry.others)
    # Drafting is all that happened: the ticket is not sent, and no draft was even saved
    # (the window saves one; the core never does).
    stored = demo.store.ticket(ticket.id)
    assert (stored.status, stored.sent_at, stored.sent_text, stored.draft) == (
        "open",
        None,
        None,
        None,
    )
