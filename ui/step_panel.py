"""One pipeline step, live: ``StepPanel`` (objectName ``stepPanel.<step>``, DESIGN.md handles).

States: ``queued`` → ``streaming`` → ``done`` | ``failed``; ``waiting`` while the request is held
back (a rate-limit budget or a retry), back to ``streaming`` at the first text; a run stopped by
the agent leaves
``stopped`` (was streaming) or ``not run`` (never started). The timer ticks ~10×/s while streaming
and, on finish, shows the step's own measured duration (``StepFinished.duration_s``).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from app.pipeline.events import StepFailed, StepFinished
from ui.core_text import localize
from ui.formatting import format_cost, format_duration, format_tokens
from ui.i18n import translate
from ui.step_header import ARROW_CLOSED, ARROW_OPEN, StepHeader
from ui.step_views import (
    ErrorBox,
    MarkdownView,
    StreamView,
    ThinkingView,
    label,
    structured_view,
)
from ui.theme import set_role

QUEUED, STREAMING, DONE, FAILED = "queued", "streaming", "done", "failed"
WAITING, SKIPPED, CACHED, KEPT = "waiting", "skipped", "cached", "kept"
STOPPED, NOT_RUN = "stopped", "not run"
ENDED = frozenset({DONE, FAILED, SKIPPED, CACHED, KEPT, STOPPED})  # a re-run may start here
TICK_MS = 100
_HINTS = {
    QUEUED: QT_TRANSLATE_NOOP("StepPanel", "Waiting to start."),
    NOT_RUN: QT_TRANSLATE_NOOP("StepPanel", "Not run: the run ended before this step."),
    STOPPED: QT_TRANSLATE_NOOP("StepPanel", "Stopped. The text so far is kept."),
}


class StepPanel(QFrame):
    # (step, model): run this step again and the steps after it; model "" = the route's own
    rerunRequested = Signal(str, str)
    # (): the failure needs a setting changed
    settingsRequested = Signal()

    def __init__(self, step: str, title: str, number: int = 1, *, markdown: bool = False) -> None:
        super().__init__()
        self.step = step
        self.markdown = markdown  # a text answer, rendered from markdown once it is done
        self._fallback_model = ""
        self._idle = True  # no run in progress: re-running is offered
        self.setObjectName(f"stepPanel.{step}")
        set_role(self, "stepPanel")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.fold_when_done = False  # e.g. reasoning folds once the reply is what matters
        self._state = QUEUED
        self._clock = QElapsedTimer()
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self.header = StepHeader(number, title)
        self.header.toggleRequested.connect(self.toggle)
        self.header.rerun.clicked.connect(lambda: self.rerunRequested.emit(self.step, ""))
        self.body = QWidget()
        self._build_body()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        self.setAccessibleName(self.tr("{step} step").format(step=title))
        self.reset()

    def _build_body(self) -> None:
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        self.thinking_toggle = QToolButton()
        self.thinking_toggle.setObjectName("thinkingToggle")
        set_role(self.thinking_toggle, "fold")
        self.thinking_toggle.setCheckable(True)
        self.thinking_toggle.setChecked(True)
        self.thinking_toggle.toggled.connect(self._show_thinking)
        self.thinking = ThinkingView()
        self.thinking.setObjectName("thinkingText")
        self.output = StreamView()
        self.output.setObjectName("stepOutput")
        self.rendered = MarkdownView()
        self.rendered.setObjectName("stepRendered")
        self.rendered.hide()
        # A JSON answer shown as chips or records keeps its raw text one click away.
        self.raw_toggle = QToolButton()
        self.raw_toggle.setObjectName("rawToggle")
        set_role(self.raw_toggle, "fold")
        self.raw_toggle.setCheckable(True)
        self.raw_toggle.toggled.connect(self._show_raw)
        self.hint = label("", "muted", wrap=True)
        self.hint.setObjectName("stepHint")
        # What stays true of the answer until the next run (a policy flag, the ticket cut to
        # fit the model's window): unlike the hint, a state change never clears it.
        self.notices = label("", "notice", wrap=True)
        self.notices.setObjectName("stepNotices")
        self.notices.setAccessibleName(self.tr("Notices"))
        self._notices: list[str] = []
        self.error = ErrorBox()
        self.error.retryRequested.connect(lambda: self.rerunRequested.emit(self.step, ""))
        self.error.fallbackRequested.connect(
            lambda: self.rerunRequested.emit(self.step, self._fallback_model)
        )
        self.error.settingsRequested.connect(self.settingsRequested)
        self.structured = QVBoxLayout()
        self.structured.setContentsMargins(0, 0, 0, 0)
        parts: list[QWidget] = [self.notices, self.hint, self.thinking_toggle, self.thinking]
        parts.append(self.raw_toggle)
        for widget in (*parts, self.output, self.rendered, self.error):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(self.structured)

    # --- the method API the window (and the bridge's signals) drive ---

    def reset(self, model: str = "") -> None:
        """Back to ``queued`` with no text: a new run is about to start."""
        self._ticker.stop()
        self.header.set_model(model)
        self.header.elapsed.setText("")
        self.header.tokens.setText("")
        self.header.tokens.setToolTip("")
        self.output.clear_text()
        self.rendered.hide()
        self.rendered.clear()
        self.raw_toggle.hide()
        self.raw_toggle.setChecked(False)
        self._show_raw(False)
        self._set_state(QUEUED)
        self.thinking.clear_text()
        self.thinking_toggle.hide()
        self.thinking.hide()
        self.thinking_toggle.setChecked(True)
        self._update_thinking_label()
        self.error.hide()
        self._notices.clear()
        self.notices.clear()
        self.notices.hide()
        self._clear_structured()
        self.set_expanded(True)

    def start(self, model: str) -> None:
        self.header.set_model(model)
        self._set_state(STREAMING)
        self._clock.start()
        self._tick()
        self._ticker.start()
        self.set_expanded(True)

    def wait(self, message: str) -> None:
        """The request is held back; ``message`` says why and for how long, in plain words."""
        if self._state in (STREAMING, WAITING):
            self._set_state(WAITING)
            self.hint.setText(message)
            self.hint.setVisible(True)

    def append_text(self, text: str) -> None:
        if self._state == WAITING:
            self._set_state(STREAMING)
        self.output.append(text)

    def append_reasoning(self, text: str) -> None:
        if self._state == WAITING:
            self._set_state(STREAMING)
        if self.thinking_toggle.isHidden():
            self.thinking_toggle.show()
            self.thinking.setVisible(self.thinking_toggle.isChecked())
        self.thinking.append(text)

    def finish(self, event: StepFinished) -> None:
        self._ticker.stop()
        if not self.text() and event.text:
            self.output.append(event.text)  # a step that sent no deltas still shows its answer
        self._set_state(CACHED if event.cached else KEPT if event.kept else DONE)
        if event.model:  # the model that answered: the route's fallback, if it took over
            self.header.set_model(event.model)
        if event.cached or event.kept:
            self.hint.setText(
                self.tr("Reused from an identical run a few minutes ago: no model was called.")
                if event.cached
                else self.tr("Kept from the run this one re-runs.")
            )
            self.hint.show()
        self.header.elapsed.setText(format_duration(event.duration_s))
        self.header.tokens.setText(f"{format_tokens(event.usage)} · {format_cost(event.cost_usd)}")
        if event.usage.estimated:
            self.header.tokens.setToolTip(
                self.tr("Counted locally: the provider sent no token usage")
            )
        view = structured_view(event.data)
        if view is not None:
            self.structured.addWidget(view)
            self.raw_toggle.show()
            self._show_raw(self.raw_toggle.isChecked())
        text = self.text()
        if self.markdown and text.strip() and len(text) <= MarkdownView.MAX_CHARS:
            self.rendered.show_markdown(text)
            self.output.hide()
            self.rendered.show()
        if self.fold_when_done and not self._notices:  # a notice is never folded away
            self.set_expanded(False)

    def fail(self, event: StepFailed, fallback_model: str = "") -> None:
        self._ticker.stop()
        if self._clock.isValid():
            self.header.elapsed.setText(format_duration(self._clock.elapsed() / 1000))
        if not self.text() and event.partial_text:
            self.output.append(event.partial_text)
        self._set_state(FAILED)
        if fallback_model == self.header.model.text():
            fallback_model = ""  # the fallback is what just failed
        self._fallback_model = fallback_model
        message = localize(event.message)
        self.error.show_message(message, bool(self.text()), event.kind, fallback_model)
        self.set_expanded(True)  # a failure is never hidden in a folded panel

    def skip(self, reason: str) -> None:
        """The router skipped the step, or a step it needs did not finish."""
        self._ticker.stop()
        self._set_state(SKIPPED if not reason.startswith("Not run") else NOT_RUN)
        self.hint.setText(localize(reason))
        self.hint.show()

    def note(self, message: str) -> None:
        """Something the agent should know about the step (a fallback, a repair, a flag)."""
        self.hint.setText(message)
        self.hint.show()

    def add_notice(self, message: str) -> None:
        """Something that stays true of this step's answer until the next run: a policy flag
        (needs approval), the ticket cut to fit the model's window. Shown above the answer."""
        if message in self._notices:
            return
        self._notices.append(message)
        self.notices.setText("\n".join(self._notices))
        self.notices.show()
        self.set_expanded(True)

    def notice_text(self) -> str:
        return self.notices.text() if self._notices else ""

    def halt(self) -> None:
        """The run was stopped: freeze the timer and say so; text already shown is kept."""
        if self._state in (STREAMING, WAITING):
            self._ticker.stop()
            self._tick()
            self._set_state(STOPPED)
        elif self._state == QUEUED:
            self._set_state(NOT_RUN)

    def set_idle(self, idle: bool) -> None:
        """Whether no run is in progress: only then can the step be run again."""
        self._idle = idle
        self._update_rerun()

    def set_expanded(self, expanded: bool) -> None:
        self.body.setVisible(expanded)
        self.header.set_expanded(expanded)

    def is_expanded(self) -> bool:
        return not self.body.isHidden()

    def toggle(self) -> None:
        self.set_expanded(not self.is_expanded())

    def text(self) -> str:
        return self.output.toPlainText()

    def reasoning_text(self) -> str:
        return self.thinking.toPlainText()

    def state(self) -> str:
        return self._state

    # --- internals ---

    def _set_state(self, state: str) -> None:
        self._state = state
        self.header.set_state(state)
        self._update_rerun()
        streaming, has_text = state in (STREAMING, WAITING), bool(self.text())
        self.output.setPlaceholderText(self.tr("Waiting for the model…") if streaming else "")
        self.output.setVisible(streaming or has_text)
        hint = translate("StepPanel", _HINTS[state]) if state in _HINTS else ""
        if state == STOPPED and not has_text:
            hint = self.tr("Stopped before any output.")
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))

    def _update_rerun(self) -> None:
        self.header.rerun.setVisible(self._idle and self._state in ENDED)
        self.error.set_actions_enabled(self._idle)

    def _tick(self) -> None:
        self.header.elapsed.setText(format_duration(self._clock.elapsed() / 1000))

    def _show_thinking(self, shown: bool) -> None:
        self.thinking.setVisible(shown and not self.thinking_toggle.isHidden())
        self._update_thinking_label()

    def _show_raw(self, shown: bool) -> None:
        arrow = ARROW_OPEN if shown else ARROW_CLOSED
        self.raw_toggle.setText(self.tr("{arrow} Raw answer").format(arrow=arrow))
        if not self.raw_toggle.isHidden():
            self.output.setVisible(shown)

    def _update_thinking_label(self) -> None:
        arrow = ARROW_OPEN if self.thinking_toggle.isChecked() else ARROW_CLOSED
        self.thinking_toggle.setText(self.tr("{arrow} Thinking").format(arrow=arrow))

    def _clear_structured(self) -> None:
        while self.structured.count():
            item = self.structured.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)  # gone from findChildren() at once, freed later
                widget.deleteLater()
