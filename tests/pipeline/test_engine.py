"""The pipeline engine against the simulator over loopback HTTP: concurrency, routing, repair,
cache, re-runs, cancellation, policy flags and the run record."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from app.config import StepRoute
from app.pipeline.events import (
    PipelineEvent,
    PolicyFlag,
    RunFinished,
    StepBudget,
    StepFailed,
    StepFallback,
    StepFinished,
    StepRepair,
    StepSkipped,
    StepStarted,
    TextDelta,
)
from app.pipeline.runner import Runner
from app.pipeline.steps import STEPS, StepSpec
from app.sim.server import Fault, SimConfig
from app.workspace import Workspace

Timed = list[tuple[float, PipelineEvent]]


@pytest_asyncio.fixture
async def demo() -> AsyncIterator[Workspace]:
    workspace = Workspace.open(demo=True, sim_config=SimConfig(ttft_ms=0, tokens_per_s=0))
    yield workspace
    await workspace.aclose()


async def collect(events: AsyncIterator[PipelineEvent]) -> list[PipelineEvent]:
    return [event async for event in events]


def of(kind: type, events: list[PipelineEvent]) -> list:  # type: ignore[type-arg]
    return [e for e in events if isinstance(e, kind)]


def done(events: list[PipelineEvent]) -> dict[str, StepFinished]:
    return {e.step: e for e in of(StepFinished, events)}


def last(events: list[PipelineEvent]) -> RunFinished:
    assert isinstance(events[-1], RunFinished)
    return events[-1]


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_a_full_run_costs_and_budgets_every_step(demo: Workspace) -> None:
    events = await collect(demo.run("T-1001"))
    steps = done(events)
    assert set(steps) == {"intent", "retrieval", "reasoning", "reply"}
    assert all(s.cost_usd is not None and s.cost_usd > 0 for s in steps.values())
    budgets = {e.step: e for e in of(StepBudget, events)}
    assert set(budgets) == set(steps)
    assert all(0 < b.prompt_tokens < b.limit and b.pruned == 0 for b in budgets.values())
    finished = last(events)
    assert finished.ok and finished.status == "ok" and "Emily" in finished.draft
    assert finished.cost_usd == pytest.approx(sum(s.cost_usd or 0 for s in steps.values()))


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_intent_and_retrieval_overlap_in_time() -> None:
    script = {"intent": 600.0, "retrieval": 600.0, "reasoning": 100.0, "reply": 100.0}
    config = SimConfig(ttft_ms=0, tokens_per_s=0, step_ms=script)
    workspace = Workspace.open(demo=True, sim_config=config)
    try:
        start = time.monotonic()
        timed: Timed = [(time.monotonic() - start, e) async for e in workspace.run("T-1001")]
    finally:
        await workspace.aclose()
    at = {(type(e).__name__, getattr(e, "step", "")): t for t, e in timed}
    both_done = max(at[("StepFinished", "intent")], at[("StepFinished", "retrieval")])
    # Sequential would be 1.2 s; overlapping, near the longer of the two.
    assert both_done < 0.95, at
    assert at[("StepStarted", "retrieval")] < at[("StepFinished", "intent")]


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_a_plain_status_question_skips_reasoning_visibly(demo: Workspace) -> None:
    events = await collect(demo.run("T-1027"))
    skipped = of(StepSkipped, events)
    assert [s.step for s in skipped] == ["reasoning"] and "order-status" in skipped[0].reason
    assert set(done(events)) == {"intent", "retrieval", "reply"}
    # The reply is written from the retrieved facts alone.
    assert last(events).ok and "Columbus, OH" in last(events).draft

    demo.settings.skip_simple = False
    events = await collect(demo.run("T-1027", use_cache=False))
    assert not of(StepSkipped, events) and "reasoning" in done(events)


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_rerunning_reasoning_keeps_intent_and_retrieval(demo: Workspace) -> None:
    first = last(await collect(demo.run("T-1001")))
    assert demo.simulator is not None
    calls = len(demo.simulator.requests)
    events = await collect(demo.rerun(first.run_id, "reasoning", model="gpt-4.1"))
    steps = done(events)
    assert steps["intent"].kept and steps["retrieval"].kept
    assert not steps["reasoning"].kept and steps["reasoning"].model == "gpt-4.1"
    assert not steps["reply"].kept
    assert len(demo.simulator.requests) == calls + 2  # reasoning and reply only
    finished = last(events)
    assert finished.ok and finished.draft
    record = demo.store.run(finished.run_id)
    assert record is not None and record["rerun_of"] == first.run_id
    assert record["from_step"] == "reasoning"


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_regenerating_the_reply_with_an_instruction_keeps_steps_one_to_three(
    demo: Workspace,
) -> None:
    first = last(await collect(demo.run("T-1001")))
    assert demo.simulator is not None
    calls = len(demo.simulator.requests)
    events = await collect(demo.rerun(first.run_id, "reply", instruction="shorter, in Spanish"))
    steps = done(events)
    assert all(steps[name].kept for name in ("intent", "retrieval", "reasoning"))
    assert not steps["reply"].kept
    assert len(demo.simulator.requests) == calls + 1  # the reply alone
    sent = demo.store.step_outputs(last(events).run_id)["reply"]["messages_json"][-1]["content"]
    assert '"instruction": "shorter, in Spanish"' in sent  # quoted as the agent's, in CONTEXT
    draft = last(events).draft
    assert draft != first.draft and "Hola" in draft  # the simulator follows it
    assert len(draft) < len(first.draft)


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_the_agents_signature_ends_the_reply(demo: Workspace) -> None:
    demo.settings = dataclasses.replace(demo.settings, signature="Sam Lee\nNorthwind Support")
    finished = last(await collect(demo.run("T-1001", use_cache=False)))
    assert finished.draft.split("\n\n")[-2] == "Sam Lee\nNorthwind Support"


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_retrying_a_failed_step_runs_it_afresh_rather_than_keeping_the_failure(
    demo: Workspace,
) -> None:
    assert demo.simulator is not None
    demo.simulator.inject(Fault("auth", step="reasoning"))
    failed = last(await collect(demo.run("T-1001")))
    assert not failed.ok and failed.failed_steps == ("reasoning",)
    # Retry from the failed step keeps intent and retrieval; retrying from the reply (as
    # Regenerate would) runs the failed reasoning again instead of keeping its failure.
    events = await collect(demo.rerun(failed.run_id, "reply"))
    steps = done(events)
    assert steps["intent"].kept and steps["retrieval"].kept
    assert not steps["reasoning"].kept and last(events).ok


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_cancelling_mid_step_records_a_cancelled_run() -> None:
    workspace = Workspace.open(demo=True, sim_config=SimConfig(ttft_ms=0, tokens_per_s=200))
    try:
        events = workspace.run("T-1001")
        async for event in events:
            if isinstance(event, TextDelta) and event.step == "reasoning":
                break
        await events.aclose()  # type: ignore[attr-defined]
        run_id = event.run_id
        record = workspace.store.run(run_id)
        assert record is not None and record["status"] == "cancelled"
        statuses = {s["step"]: s["status"] for s in record["steps"]}
        assert statuses["intent"] == "done" and statuses["reasoning"] == "cancelled"
        assert statuses["reply"] == "skipped"
    finally:
        await workspace.aclose()


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_invalid_intent_json_is_repaired_once(demo: Workspace) -> None:
    assert demo.simulator is not None
    demo.simulator.inject(Fault("bad_json", step="intent"))
    events = await collect(demo.run("T-1001"))
    repairs = of(StepRepair, events)
    assert [r.step for r in repairs] == ["intent"] and repairs[0].problem
    assert "shipping_expedite" in (done(events)["intent"].data or {})["intents"]
    assert last(events).ok
    record = demo.store.run(last(events).run_id)
    assert record is not None
    intent = next(s for s in record["steps"] if s["step"] == "intent")
    assert intent["repaired"] and intent["messages_json"][-1]["content"].startswith("REPAIR:")


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_intent_json_that_stays_invalid_fails_the_step_clearly(demo: Workspace) -> None:
    assert demo.simulator is not None
    demo.simulator.inject(Fault("bad_json", step="intent", count=2))
    events = await collect(demo.run("T-1001"))
    failed = of(StepFailed, events)
    assert [f.step for f in failed] == ["intent"]
    assert "not in the form this step needs, even after one correction" in failed[0].message
    assert {s.step for s in of(StepSkipped, events)} == {"reasoning", "reply"}
    assert not last(events).ok and last(events).failed_steps == ("intent",)


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_the_same_ticket_again_is_served_from_the_cache(demo: Workspace) -> None:
    assert demo.simulator is not None
    await collect(demo.run("T-1001"))
    calls = len(demo.simulator.requests)
    events = await collect(demo.run("T-1001"))
    assert all(s.cached and s.cost_usd == 0 for s in done(events).values())
    assert len(demo.simulator.requests) == calls
    assert last(events).draft
    await collect(demo.run("T-1001", use_cache=False))
    assert len(demo.simulator.requests) == calls + 4


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_a_refund_above_the_cap_flags_the_run(demo: Workspace) -> None:
    events = await collect(demo.run("T-1026"))
    flags = of(PolicyFlag, events)
    assert "refund_agent_cap_usd" in {f.rule for f in flags}
    cap = next(f for f in flags if f.rule == "refund_agent_cap_usd")
    assert "$389.00" in cap.message and cap.policy_id == "POL-REFUNDS"
    finished = last(events)
    assert finished.ok and finished.needs_approval


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_a_failing_model_falls_back_to_the_routes_second_model(demo: Workspace) -> None:
    assert demo.simulator is not None
    route = demo.settings.routes["intent"]
    demo.settings.routes["intent"] = dataclasses.replace(route, fallback_model="sim-writer")
    demo.simulator.inject(Fault("server_error", step="intent", count=3))
    events = await collect(demo.run("T-1001"))
    fallback = of(StepFallback, events)
    assert [(f.from_model, f.to_model) for f in fallback] == [("sim-flash", "sim-writer")]
    assert done(events)["intent"].model == "sim-writer" and last(events).ok


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_the_run_record_reads_back_whole(demo: Workspace) -> None:
    finished = last(await collect(demo.run("T-1001")))
    record = demo.store.run(finished.run_id)
    assert record is not None
    assert record["status"] == "ok" and record["draft"] == finished.draft
    assert record["cost_usd"] == pytest.approx(finished.cost_usd)
    assert record["config_json"]["routes"]["reply"]["model"] == "sim-writer"
    steps = {s["step"]: s for s in record["steps"]}
    assert set(steps) == {"intent", "retrieval", "reasoning", "reply"}
    reasoning = steps["reasoning"]
    assert reasoning["messages_json"][0]["role"] == "system" and reasoning["reasoning_text"]
    assert reasoning["route_json"]["model"] == "sim-reasoner" and reasoning["prompt_tokens"] > 0
    assert steps["intent"]["parsed_json"]["deadline"] == "2026-12-10"
    assert {r["id"] for r in steps["retrieval"]["parsed_json"]["records"]} >= {"C-1001", "4521"}
    assert all(s["ttft_s"] is not None and s["cost_usd"] > 0 for s in steps.values())
    assert "sim-key" not in str(record)


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_a_fifth_step_is_a_declaration_not_a_runner_change(demo: Workspace) -> None:
    tone = StepSpec("tone", "Tone check", "reply.md", "text", "tone", ("draft",), needs=("reply",))
    demo.settings.routes["tone"] = StepRoute("sim-writer", 0.0, 200)
    runner = Runner(demo.store, demo.client, demo.settings, steps=(*STEPS, tone))
    events = await collect(runner.run(demo.store.ticket("T-1001")))
    assert [e.step for e in of(StepStarted, events)][-1] == "tone"
    assert "tone" in done(events) and last(events).ok


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_a_huge_ticket_is_cut_to_the_window_with_a_notice(demo: Workspace) -> None:
    ticket = demo.store.ticket("T-1001")
    paragraph = "Earlier message in this thread, quoted again and again. " * 60
    huge = dataclasses.replace(ticket, body="\n\n".join([paragraph] * 200 + [ticket.body]))
    runner = Runner(demo.store, demo.client, demo.settings)
    events = await collect(runner.run(huge, use_cache=False))
    budgets = of(StepBudget, events)
    assert budgets and all(b.pruned > 0 and b.prompt_tokens <= b.limit for b in budgets)
    record = demo.store.run(last(events).run_id)
    assert record is not None
    user = record["steps"][0]["messages_json"][1]["content"]
    assert "left out to fit the model's context window" in user
    assert ticket.body.split("\n\n")[-1] in user  # the newest part is kept


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_a_provider_that_enforces_schemas_gets_the_steps_schema(demo: Workspace) -> None:
    assert demo.simulator is not None
    provider = demo.settings.provider
    demo.settings.providers[provider.name] = dataclasses.replace(provider, json_schema=True)
    events = await collect(demo.run("T-1001"))
    assert last(events).ok
    formats = {
        body["messages"][0]["content"].split("\n", 1)[0]: body.get("response_format")
        for body in demo.simulator.requests
    }
    intent = next(f for line, f in formats.items() if "intent step" in line)
    assert intent["type"] == "json_schema" and intent["json_schema"]["name"] == "intent"
    labels = intent["json_schema"]["schema"]["properties"]["intents"]["items"]["enum"]
    assert "order_status" in labels  # the editable taxonomy, filled in
    reply = next(f for line, f in formats.items() if "reply" in line.lower())
    assert reply is None  # text steps ask for no format


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_retrieval_without_a_planner_model_looks_up_what_is_named(demo: Workspace) -> None:
    assert demo.simulator is not None
    route = demo.settings.routes["retrieval"]
    demo.settings.routes["retrieval"] = dataclasses.replace(route, model="none")
    events = await collect(demo.run("T-1001"))
    retrieval = done(events)["retrieval"]
    assert retrieval.cost_usd == 0 and retrieval.usage.input_tokens == 0
    assert last(events).cost_usd is not None
    provenance = {r["id"] for r in (retrieval.data or {})["records"]}
    assert {"C-1001", "4521"} <= provenance and any(p.startswith("POL-") for p in provenance)
    assert not any(
        "retrieval planner" in b["messages"][0]["content"] for b in demo.simulator.requests
    )
    assert last(events).ok


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_stopping_one_step_keeps_its_text_and_does_not_run_the_next() -> None:
    workspace = Workspace.open(demo=True, sim_config=SimConfig(ttft_ms=0, tokens_per_s=200))
    try:
        events: list[PipelineEvent] = []
        async for event in workspace.run("T-1001"):
            events.append(event)
            if isinstance(event, TextDelta) and event.step == "reasoning":
                assert workspace.cancel_step(event.run_id, "reasoning")
                assert not workspace.cancel_step(event.run_id, "intent")  # already done
        stopped = of(StepFailed, events)
        assert [(s.step, s.kind) for s in stopped] == [("reasoning", "StepCancelled")]
        assert stopped[0].partial_text
        assert [s.step for s in of(StepSkipped, events)] == ["reply"]
        finished = last(events)
        assert finished.status == "cancelled" and not finished.ok
        record = workspace.store.run(finished.run_id)
        statuses = {s["step"]: s["status"] for s in record["steps"]}
        assert statuses == {
            "intent": "done",
            "retrieval": "done",
            "reasoning": "cancelled",
            "reply": "skipped",
        }
    finally:
        await workspace.aclose()
