"""PipelineBridge: events → signals, per-frame coalescing, order, stop, failures."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from pytestqt.qtbot import QtBot

from app.pipeline.events import (
    PipelineEvent,
    RunFinished,
    StepFailed,
    StepFinished,
    StepStarted,
    TextDelta,
    Usage,
)
from tests.ui.conftest import RUN_ID, FakeWorkspace, full_run
from ui.bridge import FRAME_MS, PipelineBridge
from ui.loop import StepwiseLoop

TIMEOUT_MS = 10_000


def record(bridge: PipelineBridge) -> list[tuple[str, object]]:
    """Every signal the bridge sends, in order."""
    log: list[tuple[str, object]] = []
    bridge.stepStarted.connect(lambda step, model: log.append(("started", step)))
    bridge.textAppended.connect(lambda step, text: log.append(("text", (step, text))))
    bridge.reasoningAppended.connect(lambda step, text: log.append(("reasoning", (step, text))))
    bridge.stepFinished.connect(lambda event: log.append(("finished", event.step)))
    bridge.stepFailed.connect(lambda event: log.append(("failed", event)))
    bridge.runFinished.connect(lambda event: log.append(("run", event)))
    return log


def many_deltas(count: int) -> list[PipelineEvent]:
    events: list[PipelineEvent] = [StepStarted(RUN_ID, "reply", "Reply", "m")]
    events += [TextDelta(RUN_ID, "reply", f"t{i} ") for i in range(count)]
    events.append(StepFinished(RUN_ID, "reply", "", Usage(1, count), 1.0, 0.1))
    events.append(RunFinished(RUN_ID, "T-1001", True))
    return events


def test_full_run_signals_in_order(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    bridge = PipelineBridge(workspace)
    log = record(bridge)
    with qtbot.waitSignal(bridge.runFinished, timeout=TIMEOUT_MS) as blocker:
        bridge.start("T-1001")
    assert blocker.args[0].ok
    steps = [payload for kind, payload in log if kind == "started"]
    assert steps == ["intent", "retrieval", "reasoning", "reply"]
    for step in steps:  # each step's text arrives after its start and before its finish
        kinds = [k for k, p in log if p == step or (isinstance(p, tuple) and p[0] == step)]
        assert kinds[0] == "started" and kinds[-1] == "finished"
    reply = "".join(
        p[1] for k, p in log if k == "text" and isinstance(p, tuple) and p[0] == "reply"
    )
    expected = [e for e in full_run("T-1001") if isinstance(e, StepFinished) and e.step == "reply"]
    assert reply == expected[0].text
    assert ("reasoning", ("reasoning", "Weigh deadline vs carrier delay.")) in log
    qtbot.waitUntil(lambda: workspace.stream_closed == 1, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not bridge.is_running(), timeout=TIMEOUT_MS)


def test_5000_deltas_arrive_whole_in_at_most_one_flush_per_frame(
    qtbot: QtBot, qloop: StepwiseLoop
) -> None:
    workspace = FakeWorkspace()
    workspace.script = lambda _ticket: many_deltas(5000)
    workspace.yield_every = 20  # the network hands over a few chunks per read
    bridge = PipelineBridge(workspace)
    texts: list[str] = []
    bridge.textAppended.connect(lambda _step, text: texts.append(text))
    started = time.monotonic()
    with qtbot.waitSignal(bridge.runFinished, timeout=TIMEOUT_MS):
        bridge.start("T-1001")
    elapsed_ms = (time.monotonic() - started) * 1000
    assert "".join(texts) == "".join(f"t{i} " for i in range(5000))  # nothing lost, in order
    frames = elapsed_ms / FRAME_MS
    assert len(texts) <= frames + 2, (len(texts), elapsed_ms)
    assert len(texts) < 5000 / 10  # coalesced: far fewer paints than deltas


def test_pending_text_is_flushed_before_the_step_finishes(
    qtbot: QtBot, qloop: StepwiseLoop
) -> None:
    workspace = FakeWorkspace()
    workspace.script = lambda _ticket: many_deltas(3)
    workspace.yield_every = 100  # all in one go: the frame timer has not fired yet
    bridge = PipelineBridge(workspace)
    log = record(bridge)
    with qtbot.waitSignal(bridge.runFinished, timeout=TIMEOUT_MS):
        bridge.start("T-1001")
    assert [k for k, _ in log] == ["started", "text", "finished", "run"]
    assert log[1] == ("text", ("reply", "t0 t1 t2 "))


def test_stop_cancels_and_closes_the_stream(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    gate = asyncio.Event()

    async def endless(ticket_id: str, use_cache: bool = True) -> AsyncIterator[PipelineEvent]:
        try:
            yield StepStarted(RUN_ID, "intent", "Intent", "m")
            yield TextDelta(RUN_ID, "intent", "partial")
            await gate.wait()  # a provider that never sends the rest
            yield TextDelta(RUN_ID, "intent", "never")
        finally:
            workspace.stream_closed += 1

    workspace.run = endless  # type: ignore[method-assign]
    bridge = PipelineBridge(workspace)
    texts: list[str] = []
    bridge.textAppended.connect(lambda _step, text: texts.append(text))
    finished: list[object] = []
    bridge.runFinished.connect(finished.append)
    with qtbot.waitSignal(bridge.textAppended, timeout=TIMEOUT_MS):
        bridge.start("T-1001")
    assert bridge.is_running()
    with qtbot.waitSignal(bridge.runningChanged, timeout=TIMEOUT_MS) as running:
        bridge.stop()
    assert running.args == [False]
    qtbot.waitUntil(lambda: workspace.stream_closed == 1, timeout=TIMEOUT_MS)
    assert texts == ["partial"]
    assert finished == []  # a stopped run does not claim to have finished
    assert not bridge.is_running()


def test_start_again_cancels_the_previous_run(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()
    workspace.yield_every = 1
    bridge = PipelineBridge(workspace)
    runs: list[RunFinished] = []
    bridge.runFinished.connect(runs.append)
    with qtbot.waitSignal(bridge.textAppended, timeout=TIMEOUT_MS):
        bridge.start("T-1001")  # streaming, not finished
    with qtbot.waitSignal(bridge.runFinished, timeout=TIMEOUT_MS):
        bridge.start("T-1002")
    qtbot.waitUntil(lambda: workspace.stream_closed == 2, timeout=TIMEOUT_MS)
    assert workspace.runs == ["T-1001", "T-1002"]
    assert [r.ticket_id for r in runs] == ["T-1002"]


def test_step_failure_is_forwarded(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    from tests.ui.conftest import failing_run

    workspace = FakeWorkspace()
    workspace.script = failing_run
    bridge = PipelineBridge(workspace)
    log = record(bridge)
    with qtbot.waitSignal(bridge.runFinished, timeout=TIMEOUT_MS) as blocker:
        bridge.start("T-1001")
    assert not blocker.args[0].ok
    kinds = [k for k, _ in log]
    assert kinds == ["started", "text", "failed", "run"]


@pytest.mark.expected_errors
def test_a_crash_inside_the_run_becomes_a_failure_signal(qtbot: QtBot, qloop: StepwiseLoop) -> None:
    workspace = FakeWorkspace()

    async def broken(ticket_id: str, use_cache: bool = True) -> AsyncIterator[PipelineEvent]:
        yield StepStarted(RUN_ID, "retrieval", "Retrieval", "m")
        raise KeyError("records")

    workspace.run = broken  # type: ignore[method-assign]
    bridge = PipelineBridge(workspace)
    failures: list[StepFailed] = []
    bridge.stepFailed.connect(failures.append)
    with qtbot.waitSignal(bridge.runFinished, timeout=TIMEOUT_MS) as blocker:
        bridge.start("T-1001")
    assert not blocker.args[0].ok
    assert blocker.args[0].failed_steps == ("retrieval",)
    assert failures[0].step == "retrieval"
    assert failures[0].kind == "KeyError"
    assert "Traceback" not in failures[0].message
