"""The pipeline end to end against the simulator over loopback HTTP (no Qt)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from app.pipeline.events import (
    PipelineEvent,
    ReasoningDelta,
    RunFinished,
    StepFailed,
    StepFinished,
    StepStarted,
    TextDelta,
)
from app.sim.server import Fault, SimConfig
from app.workspace import Workspace


@pytest_asyncio.fixture
async def demo() -> AsyncIterator[Workspace]:
    workspace = Workspace.open(demo=True, sim_config=SimConfig(ttft_ms=0, tokens_per_s=0))
    yield workspace
    await workspace.aclose()


async def run(workspace: Workspace, ticket_id: str = "T-1001") -> list[PipelineEvent]:
    return [event async for event in workspace.run(ticket_id)]


def finished(events: list[PipelineEvent]) -> dict[str, StepFinished]:
    return {e.step: e for e in events if isinstance(e, StepFinished)}


@pytest.mark.asyncio
async def test_four_steps_stream_in_order_and_ground_on_the_store(demo: Workspace) -> None:
    events = await run(demo)
    assert [e.step for e in events if isinstance(e, StepStarted)] == [
        "intent",
        "retrieval",
        "reasoning",
        "reply",
    ]
    done = finished(events)
    assert list(done) == ["intent", "retrieval", "reasoning", "reply"]
    for step, result in done.items():
        deltas = "".join(e.text for e in events if isinstance(e, TextDelta) and e.step == step)
        assert deltas == result.text and result.text
        assert result.usage.input_tokens > 0 and result.usage.output_tokens > 0
        assert result.duration_s >= (result.ttft_s or 0) >= 0
    assert any(isinstance(e, ReasoningDelta) and e.step == "reasoning" for e in events)

    intent = done["intent"].data or {}
    assert "shipping_expedite" in intent["intents"] and intent["deadline"] == "2026-12-10"
    retrieval = done["retrieval"].data or {}
    provenance = {(r["kind"], r["id"]) for r in retrieval["records"]}
    assert {("customer", "C-1001"), ("order", "4521")} <= provenance
    assert any(kind == "policy" for kind, _ in provenance)
    assert retrieval["orders"][0]["tracking_location"] == "Chicago, IL"

    last = events[-1]
    assert isinstance(last, RunFinished) and last.ok
    assert last.draft == done["reply"].text and "Emily" in last.draft


@pytest.mark.asyncio
async def test_unknown_order_is_reported_not_invented(demo: Workspace) -> None:
    ticket = demo.store.ticket("T-1001")
    assert ticket.customer_id
    # Reasoning sees only what the store returned; an id the store lacks is listed as not found.
    from app.pipeline.retrieval import retrieve

    facts = retrieve(demo.store, ticket, {"order_ids": ["999999"]}, {"order_ids": ["4521"]})
    assert [o["id"] for o in facts["orders"]] == ["4521"]
    assert facts["not_found"] == ["999999"]


@pytest.mark.asyncio
async def test_drop_mid_stream_fails_that_step_and_keeps_its_text(demo: Workspace) -> None:
    assert demo.simulator
    demo.simulator.inject(Fault("drop", after_tokens=5, step="reasoning"))
    events = await run(demo)
    failure = next(e for e in events if isinstance(e, StepFailed))
    assert failure.step == "reasoning" and failure.kind == "NetworkError"
    assert "connection dropped" in failure.message
    streamed = "".join(e.text for e in events if isinstance(e, TextDelta) and e.step == "reasoning")
    assert failure.partial_text == streamed and streamed
    assert "reply" not in {e.step for e in events if isinstance(e, StepStarted)}
    last = events[-1]
    assert isinstance(last, RunFinished) and not last.ok and last.failed_steps == ("reasoning",)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("kind", "error", "words"),
    [
        ("auth", "AuthError", "rejected the API key"),
        ("malformed", "StreamError", "malformed chunk"),
        ("rate_limit", None, None),  # retried before the stream starts, then succeeds
    ],
)
async def test_faults_become_plain_step_errors(
    demo: Workspace, kind: str, error: str | None, words: str | None
) -> None:
    assert demo.simulator
    demo.simulator.inject(Fault(kind, retry_after_s=0.01, step="intent"))
    events = await run(demo)
    failures = [e for e in events if isinstance(e, StepFailed)]
    if error is None:
        assert not failures and isinstance(events[-1], RunFinished) and events[-1].ok
        return
    assert [(f.step, f.kind) for f in failures] == [("intent", error)]
    assert words in failures[0].message


@pytest.mark.asyncio
async def test_run_is_recorded(demo: Workspace) -> None:
    events = await run(demo)
    last = events[-1]
    assert isinstance(last, RunFinished)
    recorded = demo.store.run(last.run_id)
    assert recorded["ok"] is True and recorded["draft"] == last.draft
    assert [(s["step"], s["status"]) for s in recorded["steps"]] == [
        ("intent", "done"),
        ("retrieval", "done"),
        ("reasoning", "done"),
        ("reply", "done"),
    ]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("base_url", "words"),
    [
        ("http://llm.example.com/v1", "Plain http:// is only allowed"),
        ("https://llm.example.com/v1", "No API key is set"),
    ],
)
async def test_provider_set_up_problems_fail_the_first_step_in_plain_words(
    base_url: str, words: str
) -> None:
    from app.config import Settings
    from app.store import seed_demo

    workspace = Workspace.open(demo=False)
    seed_demo(workspace.store)
    workspace.update_settings(Settings.single(base_url, "no-such-profile"))
    try:
        events = await run(workspace)
    finally:
        await workspace.aclose()
    failure = next(e for e in events if isinstance(e, StepFailed))
    assert (failure.step, failure.kind) == ("intent", "ConfigError")
    assert words in failure.message
    assert isinstance(events[-1], RunFinished) and not events[-1].ok


@pytest.mark.asyncio
async def test_look_ups_made_before_intent_are_redone_only_when_intent_adds_to_them(
    demo: Workspace,
) -> None:
    from app.pipeline.retrieval import covers, retrieve

    ticket = demo.store.ticket("T-1001")
    plan = {"order_ids": ["4521"], "policy_queries": ["expedite"]}
    early = retrieve(demo.store, ticket, {}, plan)
    assert covers(early, {"order_ids": ["4521"]}, plan)
    assert not covers(early, {"order_ids": ["4521", "4533"]}, plan)  # intent names another
    assert not covers(early, {"order_ids": []}, {"order_ids": []})  # intent's labels needed
