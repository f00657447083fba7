"""The one adapter between the Qt-free pipeline and the widgets (STYLE.md habit 2).

``PipelineBridge`` iterates ``Workspace.run()`` in an asyncio task on the qasync loop and re-emits
each event as a Qt signal. Streaming text is coalesced per step and flushed at most once per frame
(DESIGN.md "Speed is designed"): a provider sending 3,000 tokens/s makes ≤ 60 repaints/s, not
3,000. Order is kept: pending text is flushed before a step's finish/failure is announced.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.pipeline.events import (
    PipelineEvent,
    PolicyFlag,
    ReasoningDelta,
    RunFinished,
    StepBudget,
    StepFailed,
    StepFallback,
    StepFinished,
    StepRepair,
    StepSkipped,
    StepStarted,
    StepWaiting,
    TextDelta,
)
from ui.contracts import WorkspaceLike
from ui.core_text import localize

log = logging.getLogger("stepwise.ui.bridge")

FRAME_MS = 16  # one frame at 60 Hz
_TEXT, _REASONING = "text", "reasoning"


class PipelineBridge(QObject):
    # (step name, model id): the step began; its panel switches to "streaming".
    stepStarted = Signal(str, str)
    # (step name, text): visible output received since the last flush, in stream order.
    textAppended = Signal(str, str)
    # (step name, text): the model's thinking received since the last flush.
    reasoningAppended = Signal(str, str)
    # (app.pipeline.events.StepFinished): usage, duration, structured data of a finished step.
    stepFinished = Signal(object)
    # (app.pipeline.events.StepFailed): plain-words message; also sent when the run itself
    # broke outside any step (then ``kind`` is the exception's class and ``step`` may be "").
    stepFailed = Signal(object)
    # (step, message): the step's request is held back (rate-limit budget or retry); plain words
    stepWaiting = Signal(str, str)
    # (reason, seconds): the same wait for the status bar: "budget" (rate limit) or "retry"
    waitStarted = Signal(str, float)
    # (step, reason): the router skipped the step, or a step it needs did not finish (the core's
    # English words: "Not run: ..." marks the latter)
    stepSkipped = Signal(str, str)
    # (step, message): a fallback model or a JSON correction, in plain words; shown while the
    # step runs
    stepNoted = Signal(str, str)
    # (step, message): something that stays true of the step's answer until the next run, in
    # plain words: a policy flag, or the ticket cut to fit the model's window
    stepNotice = Signal(str, str)
    # (app.pipeline.events.RunFinished): the run ended (ok or not); not sent after stop().
    runFinished = Signal(object)
    # (bool): True when a run starts, False when it ends, fails or is stopped.
    runningChanged = Signal(bool)

    def __init__(self, workspace: WorkspaceLike, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._task: asyncio.Task[None] | None = None  # strong reference: the loop keeps weak ones
        self._pending: dict[tuple[str, str], list[str]] = {}  # (kind, step) → unflushed pieces
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FRAME_MS)
        self._flush_timer.timeout.connect(self.flush)

    def is_running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, ticket_id: str, *, fresh: bool = False) -> None:
        """Run the pipeline on a ticket, cancelling a run still in progress first. ``fresh``:
        call every model again rather than reuse recent identical steps."""
        self._begin(ticket_id, lambda: self._workspace.run(ticket_id, use_cache=not fresh))

    def rerun(
        self,
        ticket_id: str,
        run_id: str,
        from_step: str,
        *,
        model: str | None = None,
        instruction: str = "",
    ) -> None:
        """Run ``from_step`` of run ``run_id`` again (on ``model``; with the agent's
        ``instruction``) and the steps after it; the earlier steps keep their answers."""
        self._begin(ticket_id, lambda: self._workspace.rerun(run_id, from_step, model, instruction))

    def _begin(self, ticket_id: str, events: Callable[[], AsyncIterator[PipelineEvent]]) -> None:
        self.stop()
        task = asyncio.ensure_future(self._consume(ticket_id, events))
        self._task = task
        task.add_done_callback(self._task_done)
        self.runningChanged.emit(True)

    def stop(self) -> None:
        """Cancel the current run. What already arrived is flushed; nothing more is emitted."""
        task, self._task = self._task, None
        self.flush()
        if task is not None and not task.done():
            task.cancel()  # the task's finally closes the event stream (and its HTTP response)
            self.runningChanged.emit(False)

    def flush(self) -> None:
        """Emit the text collected since the last frame, one signal per (kind, step)."""
        self._flush_timer.stop()
        pending, self._pending = self._pending, {}
        for (kind, step), pieces in pending.items():
            signal = self.textAppended if kind == _TEXT else self.reasoningAppended
            signal.emit(step, "".join(pieces))

    async def _consume(
        self, ticket_id: str, open_events: Callable[[], AsyncIterator[PipelineEvent]]
    ) -> None:
        current = asyncio.current_task()
        events: AsyncIterator[PipelineEvent] | None = None
        step = ""
        try:
            events = open_events()
            async for event in events:
                if self._task is not current:
                    return  # stopped between two events
                step = event.step if isinstance(event, StepStarted) else step
                self._dispatch(event)
        except Exception as err:  # never raised into Qt: logged and shown in the step's panel
            log.exception("Pipeline run for %s failed", ticket_id)
            if self._task is current:
                self._report_crash(ticket_id, step, err)
        finally:
            if events is not None:
                await _close(events)
            if self._task is current:
                self._task = None  # is_running() is False for whoever reacts to the signal
                self.runningChanged.emit(False)

    def _dispatch(self, event: PipelineEvent) -> None:
        if isinstance(event, TextDelta):
            self._buffer(_TEXT, event.step, event.text)
        elif isinstance(event, ReasoningDelta):
            self._buffer(_REASONING, event.step, event.text)
        elif isinstance(event, StepStarted):
            self.flush()
            self.stepStarted.emit(event.step, event.model)
        else:
            self.flush()  # text first, then the finish/failure that closes it
            if isinstance(event, StepFinished):
                self.stepFinished.emit(event)
            elif isinstance(event, StepFailed):
                self.stepFailed.emit(event)
            elif isinstance(event, RunFinished):
                self.runFinished.emit(event)
            elif isinstance(event, StepWaiting):
                self.stepWaiting.emit(event.step, localize(event.message))
                self.waitStarted.emit(event.reason, event.seconds)
            elif isinstance(event, StepSkipped):
                self.stepSkipped.emit(event.step, event.reason)  # the panel reads, then localizes
            elif isinstance(event, StepFallback):
                said = self.tr("{reason} Trying {model}.")
                self.stepNoted.emit(
                    event.step, said.format(reason=localize(event.reason), model=event.to_model)
                )
            elif isinstance(event, StepRepair):
                said = self.tr("The answer was not valid JSON: asking again.")
                self.stepNoted.emit(event.step, said)
            elif isinstance(event, PolicyFlag):
                said = self.tr("Needs approval: {reason}")
                self.stepNotice.emit(event.step, said.format(reason=localize(event.message)))
            elif isinstance(event, StepBudget) and event.pruned:
                said = self.tr(
                    "The ticket is too long for this model: its oldest part was left out to fit."
                )
                self.stepNotice.emit(event.step, said)

    def _buffer(self, kind: str, step: str, text: str) -> None:
        if not text:
            return
        self._pending.setdefault((kind, step), []).append(text)
        if not self._flush_timer.isActive():
            self._flush_timer.start()  # the first delta of a batch opens a one-frame window

    def _report_crash(self, ticket_id: str, step: str, err: Exception) -> None:
        self.flush()
        message = self.tr(
            "The pipeline stopped because of an unexpected problem ({kind}). What was produced "
            "so far is kept; try Draft reply again."
        ).format(kind=type(err).__name__)
        self.stepFailed.emit(StepFailed("", step, message, type(err).__name__))
        failed = (step,) if step else ()
        self.runFinished.emit(RunFinished("", ticket_id, ok=False, failed_steps=failed))

    def _task_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        error = task.exception()  # retrieve it, so asyncio does not warn "never retrieved"
        if error is not None:
            log.error("Pipeline task ended with an error", exc_info=error)


async def _close(events: AsyncIterator[PipelineEvent]) -> None:
    """Close the event stream (async generators close their HTTP stream in ``finally``)."""
    aclose = getattr(events, "aclose", None)
    if aclose is None:
        return
    try:
        await aclose()
    except Exception:  # a failure while closing must not hide the run's own outcome
        log.warning("Closing the pipeline's event stream failed", exc_info=True)
