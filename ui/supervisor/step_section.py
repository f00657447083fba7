"""One recorded step in the inspector, read-only (issue 6, part 2).

``StepSection`` (objectName ``inspectorStep.<step>``) shows the step as the agent saw it (its
header's figures, the structured view or the text, the failure) and, folded under "Details the
agent did not see", the exact messages sent, the raw and parsed outputs, the reasoning, the route
and the error. Everything is selectable, nothing is editable. A step recorded twice in one run (a
retry) has a section per record; the later one is ``inspectorStep.<step>`` and carries the
verdict box, as annotations are about it (``app.store.verdicts``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QFontDatabase, QTextCharFormat
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from app.pipeline.events import Usage
from ui.core_text import localize, step_name
from ui.formatting import format_cost, format_duration, format_tokens
from ui.i18n import translate
from ui.step_header import ARROW_CLOSED, ARROW_OPEN, STATE_NAMES
from ui.step_views import StreamView, label, structured_view
from ui.theme import set_role, set_state

DETAIL_LINES = 14
# Run-step statuses as the step panel's states (their look and their names on screen).
_STATES = {"cancelled": "stopped"}
_DETAILS = (
    ("raw_output", QT_TRANSLATE_NOOP("StepSection", "Raw output")),
    ("parsed_json", QT_TRANSLATE_NOOP("StepSection", "Parsed output")),
    ("reasoning_text", QT_TRANSLATE_NOOP("StepSection", "Reasoning")),
    ("route_json", QT_TRANSLATE_NOOP("StepSection", "Route")),
    ("error", QT_TRANSLATE_NOOP("StepSection", "Error")),
)


def figures(step: Mapping[str, Any]) -> str:
    """The header's second line: time to first token, duration, tokens, cost, and the flags."""
    parts = []
    if step.get("ttft_s") is not None:
        ttft = format_duration(step["ttft_s"])
        parts.append(translate("StepSection", "first token {time}").format(time=ttft))
    if step.get("duration_s") is not None:
        parts.append(
            translate("StepSection", "took {time}").format(time=format_duration(step["duration_s"]))
        )
    if step.get("input_tokens") is not None or step.get("output_tokens") is not None:
        usage = Usage(
            step.get("input_tokens") or 0,
            step.get("output_tokens") or 0,
            bool(step.get("tokens_estimated")),
        )
        parts.append(
            translate("StepSection", "tokens {tokens}").format(tokens=format_tokens(usage))
        )
    if step.get("cost_usd") is not None:
        parts.append(format_cost(step["cost_usd"]))
    if step.get("retries"):
        parts.append(translate("StepSection", "retries {count}").format(count=step["retries"]))
    for flag, text in (
        ("cache_hit", translate("StepSection", "cache hit")),
        ("fallback_used", translate("StepSection", "fallback model used")),
        ("repaired", translate("StepSection", "answer repaired")),
    ):
        if step.get(flag):
            parts.append(text)
    return " · ".join(parts)


def pretty(value: Any) -> str:
    """Text as is; JSON values indented, non-ASCII kept readable."""
    if value is None or isinstance(value, str):
        return value or ""
    return json.dumps(value, indent=2, ensure_ascii=False)


class DetailView(StreamView):
    """Read-only, selectable monospace text, as tall as it is up to ``DETAIL_LINES`` lines."""

    def __init__(self, name: str) -> None:
        super().__init__(min_lines=1, max_lines=DETAIL_LINES)
        self.setObjectName(name)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # A character format, not setFont(): the application style sheet re-resolves fonts.
        self.char_format.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))


class StepSection(QFrame):
    def __init__(self, step: Mapping[str, Any], number: int, *, latest: bool = True) -> None:
        super().__init__()
        self.step = str(step["step"])
        name = f"inspectorStep.{self.step}" if latest else f"inspectorStep.{self.step}.{number}"
        self.setObjectName(name)
        set_role(self, "stepPanel")
        self.title = step_name(self.step)
        self.setAccessibleName(self.tr("{step} step").format(step=self.title))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(self._header(step, number))
        self.body = QVBoxLayout()
        self.body.setContentsMargins(10, 8, 10, 10)
        self.body.setSpacing(6)
        layout.addLayout(self.body)
        self._seen(step)
        self._unseen(step)

    def _header(self, step: Mapping[str, Any], number: int) -> QFrame:
        header = QFrame()
        set_role(header, "stepHeader")
        column = QVBoxLayout(header)
        column.setContentsMargins(10, 6, 10, 6)
        column.setSpacing(2)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(label(f"{number}  {self.title}", "stepTitle"))
        self.model = label(step.get("model") or self.tr("no model"), "muted")
        self.model.setObjectName("inspectorModel")
        self.model.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.model, 1)
        status = str(step["status"])
        state = _STATES.get(status, status)
        self.state = label(translate("StepState", str(STATE_NAMES.get(state, state))))
        self.state.setObjectName("inspectorState")
        set_state(self.state, state)
        top.addWidget(self.state)
        column.addLayout(top)
        self.figures = label(figures(step), "muted", wrap=True)
        self.figures.setObjectName("inspectorFigures")
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.figures)
        return header

    def _seen(self, step: Mapping[str, Any]) -> None:
        """The step as the agent's panel showed it."""
        hints = []
        if step.get("skipped_reason"):
            hints.append(localize(str(step["skipped_reason"])))
        if step.get("kept_from"):
            hints.append(self.tr("Kept from run {run}.").format(run=step["kept_from"]))
        if hints:
            self.body.addWidget(label("\n".join(hints), "muted", wrap=True))
        parsed = step.get("parsed_json")
        view = structured_view(parsed) if isinstance(parsed, Mapping) else None
        if view is not None:
            self.body.addWidget(view)
        elif step.get("output_text"):
            self.output = StreamView(min_lines=1, max_lines=DETAIL_LINES)
            self.output.setObjectName("inspectorOutput")
            self.output.append(str(step["output_text"]))
            self.body.addWidget(self.output)
        if step.get("error"):
            box = QFrame()
            set_role(box, "error")
            inner = QVBoxLayout(box)
            inner.setContentsMargins(10, 8, 10, 8)
            self.error = label(localize(str(step["error"])), wrap=True)
            self.error.setObjectName("inspectorError")
            self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            inner.addWidget(self.error)
            self.body.addWidget(box)

    def _unseen(self, step: Mapping[str, Any]) -> None:
        """What the agent did not see, folded until asked for."""
        self.details_toggle = QToolButton()
        self.details_toggle.setObjectName("inspectorDetailsToggle")
        set_role(self.details_toggle, "fold")
        self.details_toggle.setCheckable(True)
        self.details_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.details = QWidget()
        self.details.setObjectName("inspectorDetails")
        column = QVBoxLayout(self.details)
        column.setContentsMargins(14, 0, 0, 0)
        column.setSpacing(4)
        messages = step.get("messages_json")
        if messages:
            column.addWidget(label(self.tr("Messages sent"), "section"))
            column.addWidget(self._messages(messages))
        for key, title in _DETAILS:
            text = pretty(step.get(key))
            if text:
                column.addWidget(label(translate("StepSection", str(title)), "section"))
                view = DetailView(f"inspectorDetail.{key}")
                view.append(text)
                column.addWidget(view)
        if not column.count():
            column.addWidget(label(self.tr("Nothing else was recorded for this step."), "muted"))
        self.details_toggle.toggled.connect(self.show_details)
        self.show_details(False)
        self.body.addWidget(self.details_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.details)

    def _messages(self, messages: Any) -> DetailView:
        view = DetailView("inspectorMessages")
        role_format = QTextCharFormat(view.char_format)
        role_format.setFontWeight(700)
        text_format = view.char_format
        for index, message in enumerate(messages if isinstance(messages, list) else [messages]):
            role = message.get("role", "?") if isinstance(message, Mapping) else "?"
            content = message.get("content") if isinstance(message, Mapping) else message
            view.char_format = role_format
            view.append(("\n\n" if index else "") + f"[{role}]\n")
            view.char_format = text_format
            view.append(pretty(content))
        view.verticalScrollBar().setValue(0)  # read from the first message
        return view

    def show_details(self, shown: bool) -> None:
        arrow = ARROW_OPEN if shown else ARROW_CLOSED
        self.details_toggle.setText(f"{arrow} " + self.tr("Details the agent did not see"))
        self.details_toggle.setChecked(shown)
        self.details.setVisible(shown)

    def add_below(self, widget: QWidget) -> None:
        """Something about the whole step, under its details (the verdict box)."""
        self.body.addWidget(widget)
