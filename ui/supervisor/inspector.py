"""The supervisor's inspector: one run, whole, read-only (issue 6, part 2).

``InspectorWindow`` (objectName ``inspectorWindow``) reads the run once (``inspect``) and lays it
out as one scrolling column: the run's summary, a section per recorded step (``StepSection``,
what the agent saw and, folded, what the agent did not see, with the supervisor's verdict box),
and the draft against the sent reply (``DiffView`` inside ``inspectorDiff``). A run that cannot
be read shows the store's sentence instead of the column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.pipeline.events import Usage
from app.store import Store, StoreError
from app.supervisor.inspector import Inspection, inspect
from ui.core_text import localize, step_name
from ui.formatting import format_cost, format_datetime, format_duration, format_tokens, humanize
from ui.step_views import label
from ui.supervisor.annotation_box import AnnotationBox
from ui.supervisor.diff_view import DiffView, level_name
from ui.supervisor.step_section import StepSection
from ui.theme import set_role, set_state

DEFAULT_SIZE = (1000, 860)
_RUN_STATES = {"ok": "done", "failed": "failed", "cancelled": "stopped"}


class InspectorWindow(QWidget):
    # (Annotation): a verdict on one of the run's steps was saved (the history may recount)
    annotationSaved = Signal(object)
    # (str): the window was closed; its run's id
    closed = Signal(str)

    def __init__(
        self, store: Store, run_id: str, *, author: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("inspectorWindow")
        self.store, self.run_id, self.author = store, run_id, author
        self.sections: dict[str, StepSection] = {}  # by step: its latest record
        self.boxes: dict[str, AnnotationBox] = {}
        self.diff = DiffView()
        self.resize(*DEFAULT_SIZE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        try:
            found = inspect(store, run_id)
        except StoreError as err:
            self.setWindowTitle(self.tr("Run {run}").format(run=run_id))
            self.problem = label(localize(str(err)), "verdictFail", wrap=True)
            self.problem.setObjectName("inspectorProblem")
            outer.addWidget(self.problem, 0, Qt.AlignmentFlag.AlignTop)
            return
        self.inspection = found
        title = self.tr("Run {run} · ticket {ticket}")
        self.setWindowTitle(title.format(run=run_id, ticket=found.ticket.id))
        outer.addWidget(self._column(found))

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit(self.run_id)

    def _column(self, found: Inspection) -> QScrollArea:
        column = QWidget()
        set_role(column, "pane")
        layout = QVBoxLayout(column)
        layout.setContentsMargins(16, 14, 16, 16)
        layout.setSpacing(12)
        layout.addWidget(self._summary(found))
        layout.addWidget(label(self.tr("Steps"), "section"))
        steps: Sequence[Mapping[str, Any]] = found.run["steps"]
        latest = {str(step["step"]): index for index, step in enumerate(steps)}
        for index, step in enumerate(steps):
            name = str(step["step"])
            section = StepSection(step, index + 1, latest=latest[name] == index)
            if latest[name] == index:
                self.sections[name] = section
                box = AnnotationBox(
                    self.store,
                    self.run_id,
                    name,
                    author=self.author,
                    annotations=found.annotations,
                )
                box.saved.connect(self.annotationSaved)
                self.boxes[name] = box
                section.add_below(box)
            layout.addWidget(section)
        if not steps:
            layout.addWidget(label(self.tr("This run recorded no steps."), "muted"))
        layout.addWidget(self._diff(found))
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("inspectorScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(column)
        return scroll

    def _summary(self, found: Inspection) -> QFrame:
        run = found.run
        card = QFrame()
        card.setObjectName("inspectorSummary")
        set_role(card, "card")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(8)
        top = QHBoxLayout()
        heading = self.tr("Run {run} · ticket {ticket}")
        top.addWidget(label(heading.format(run=self.run_id, ticket=found.ticket.id), "title"), 1)
        status = str(run["status"])
        state = label(self._status_name(status))
        state.setObjectName("inspectorRunStatus")
        set_state(state, _RUN_STATES.get(status, "queued"))
        top.addWidget(state)
        layout.addLayout(top)
        about = found.ticket.subject
        if found.customer is not None:
            about = f"{about} · {found.customer.name}"
        layout.addWidget(label(about, wrap=True))
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        for index, (name, value) in enumerate(self._facts(found)):
            row_at, col = divmod(index, 3)
            key = label(name, "muted")
            shown = label(value, wrap=True)
            shown.setObjectName("inspectorFact")
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(key, row_at, col * 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(shown, row_at, col * 2 + 1, Qt.AlignmentFlag.AlignTop)
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)
        layout.addLayout(grid)
        for notice in self._notices(run):
            layout.addWidget(notice)
        return card

    def _facts(self, found: Inspection) -> list[tuple[str, str]]:
        run, row = found.run, found.row
        latency = row.latency_s
        cost = format_cost(run["cost_usd"])
        if run["cost_estimated"]:
            cost = self.tr("{cost} (estimated)").format(cost=cost)
        usage = Usage(run["input_tokens"], run["output_tokens"])
        facts = [
            (self.tr("Started"), format_datetime(run["started_at"])),
            (self.tr("Agent"), run["agent_name"] or self.tr("not recorded")),
            (self.tr("Total time"), format_duration(latency) if latency is not None else "—"),
            (self.tr("Cost"), cost),
            (self.tr("Tokens"), format_tokens(usage)),
            (self.tr("Models"), ", ".join(row.models) or "—"),
            (self.tr("Intents"), ", ".join(humanize(i) for i in row.intents) or "—"),
            (self.tr("Edit level"), level_name(row.edit_level) if row.edit_level else "—"),
        ]
        if run["rerun_of"]:
            text = self.tr("{run}, from the {step} step")
            step = run["from_step"] or ""
            title = step_name(step).lower()  # lower case mid-sentence; no case in Chinese
            facts.append((self.tr("Re-run of"), text.format(run=run["rerun_of"], step=title)))
        return facts

    def _notices(self, run: Mapping[str, Any]) -> list[QLabel]:
        notices = []
        if run["needs_approval"]:
            notices.append(self.tr("This reply needs a supervisor's approval."))
        for flag in run["flags_json"] or ():
            notices.append(localize(str(flag.get("message") or flag.get("rule") or "")))
        made = []
        for text in notices:
            notice = label(text, "notice", wrap=True)
            notice.setObjectName("inspectorFlag")
            made.append(notice)
        return made

    def _status_name(self, status: str) -> str:
        names = {
            "ok": self.tr("completed"),
            "failed": self.tr("failed"),
            "cancelled": self.tr("stopped"),
        }
        return names.get(status, status)

    def _diff(self, found: Inspection) -> QFrame:
        frame = QFrame()
        frame.setObjectName("inspectorDiff")
        set_role(frame, "card")
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(label(self.tr("Draft and sent reply"), "stepTitle"))
        if found.comparison is not None:
            self.diff.show_comparison(found.comparison)
            if not found.compared_at_send:
                note = self.tr(
                    "The reply was sent from another run's draft; this comparison is for "
                    "reading only."
                )
                layout.addWidget(label(note, "muted", wrap=True))
        elif found.ticket.sent_text is not None:
            self.diff.show_unsent(found.run["draft"], self.tr("Sent, but this run made no draft."))
        else:
            self.diff.show_unsent(found.run["draft"])
        layout.addWidget(self.diff)
        return frame

    def section(self, step: str) -> StepSection:
        return self.sections[step]
