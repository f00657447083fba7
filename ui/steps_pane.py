"""The right-hand column: the four step panels stacked in pipeline order, scrollable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from app.pipeline.events import StepFailed, StepFinished
from ui.contracts import StepInfo
from ui.core_text import step_title
from ui.step_panel import StepPanel
from ui.step_views import label
from ui.theme import set_role

FOLD_WHEN_DONE = frozenset({"reasoning"})  # DESIGN.md sketch: reasoning folds once done


class StepsPane(QScrollArea):
    # (step, model): a panel asked to run its step again; model "" = the route's own
    rerunRequested = Signal(str, str)
    # (): a failure needs a setting changed
    settingsRequested = Signal()

    def __init__(self, steps: Sequence[StepInfo]) -> None:
        super().__init__()
        self.setObjectName("stepsPane")
        self.setAccessibleName(self.tr("Assistant steps"))
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        set_role(inner, "pane")
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(8, 8, 10, 8)
        layout.setSpacing(8)
        layout.addWidget(label(self.tr("Assistant steps"), "section"))
        self.panels: dict[str, StepPanel] = {}
        for number, step in enumerate(steps, start=1):
            title = step_title(step.name, step.title)
            panel = StepPanel(step.name, title, number, markdown=step.output == "text")
            panel.fold_when_done = step.name in FOLD_WHEN_DONE
            panel.rerunRequested.connect(self.rerunRequested)
            panel.settingsRequested.connect(self.settingsRequested)
            self.panels[step.name] = panel
            layout.addWidget(panel)
        layout.addStretch(1)
        self.setWidget(inner)

    def reset(self, models: Mapping[str, str]) -> None:
        for name, panel in self.panels.items():
            panel.reset(models.get(name, ""))

    def start(self, step: str, model: str) -> None:
        if step in self.panels:
            self.panels[step].start(model)
            self.ensureWidgetVisible(self.panels[step].header)

    def wait(self, step: str, message: str) -> None:
        if step in self.panels:
            self.panels[step].wait(message)

    def append_text(self, step: str, text: str) -> None:
        if step in self.panels:
            self.panels[step].append_text(text)

    def append_reasoning(self, step: str, text: str) -> None:
        if step in self.panels:
            self.panels[step].append_reasoning(text)

    def finish(self, event: StepFinished) -> None:
        if event.step in self.panels:
            self.panels[event.step].finish(event)

    def fail(self, event: StepFailed, fallback_model: str = "") -> bool:
        """Show the failure in its panel; False when no panel can hold it."""
        panel = self.panels.get(event.step)
        if panel is None:
            return False
        panel.fail(event, fallback_model)
        self.ensureWidgetVisible(panel)
        return True

    def skip(self, step: str, reason: str) -> None:
        if step in self.panels:
            self.panels[step].skip(reason)

    def note(self, step: str, message: str) -> None:
        if step in self.panels:
            self.panels[step].note(message)

    def notice(self, step: str, message: str) -> None:
        if step in self.panels:
            self.panels[step].add_notice(message)

    def halt(self) -> None:
        for panel in self.panels.values():
            panel.halt()

    def set_idle(self, idle: bool) -> None:
        for panel in self.panels.values():
            panel.set_idle(idle)
