"""The settings dialog's Models page: the model (and fallback model) for each step, and prices.

Prices are USD per million tokens for the models in use; a blank row keeps the bundled price list
(resources/prices.json), so only the agent's own overrides land in ``Settings.prices``.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.config import StepRoute
from app.presets import Preset
from ui.contracts import StepInfo
from ui.core_text import step_title
from ui.i18n import translate
from ui.step_views import label

# Shown with translate("ModelsPage", ...): the header titles of the prices table.
PRICE_COLUMNS = (
    str(QT_TRANSLATE_NOOP("ModelsPage", "Model")),
    str(QT_TRANSLATE_NOOP("ModelsPage", "Input $/M tokens")),
    str(QT_TRANSLATE_NOOP("ModelsPage", "Output $/M tokens")),
)


def _edit(object_name: str, accessible: str, text: str) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setObjectName(object_name)
    edit.setAccessibleName(accessible)
    return edit


def _price(text: str) -> float | None:
    try:
        value = float(text.strip().lstrip("$"))
    except ValueError:
        return None
    return value if value >= 0 else None


class ModelsPage(QWidget):
    def __init__(
        self,
        steps: Sequence[StepInfo],
        routes: dict[str, StepRoute],
        prices: dict[str, dict[str, float]],
    ) -> None:
        super().__init__()
        self.models: dict[str, QLineEdit] = {}
        self.fallbacks: dict[str, QLineEdit] = {}
        grid = QGridLayout()
        grid.addWidget(label(self.tr("Step"), "section"), 0, 0)
        grid.addWidget(label(self.tr("Model"), "section"), 0, 1)
        grid.addWidget(label(self.tr("Fallback model (optional)"), "section"), 0, 2)
        for row, step in enumerate(steps, start=1):
            route = routes.get(step.name)
            model = _edit(
                f"modelEdit.{step.name}",
                self.tr("{step} model").format(step=step_title(step.name, step.title)),
                route.model if route else "",
            )
            fallback = _edit(
                f"fallbackEdit.{step.name}",
                self.tr("{step} fallback model").format(step=step_title(step.name, step.title)),
                route.fallback_model if route else "",
            )
            fallback.setPlaceholderText(self.tr("none"))
            self.models[step.name], self.fallbacks[step.name] = model, fallback
            title = label(step_title(step.name, step.title))
            title.setBuddy(model)
            grid.addWidget(title, row, 0)
            grid.addWidget(model, row, 1)
            grid.addWidget(fallback, row, 2)
            model.editingFinished.connect(self.refresh_prices)
            fallback.editingFinished.connect(self.refresh_prices)
        self.prices = QTableWidget(0, len(PRICE_COLUMNS))
        self.prices.setObjectName("pricesTable")
        self.prices.setAccessibleName(self.tr("Prices per million tokens for the models in use"))
        self.prices.setHorizontalHeaderLabels([translate("ModelsPage", c) for c in PRICE_COLUMNS])
        self.prices.verticalHeader().hide()
        header = self.prices.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.prices.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.prices.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(label(self.tr("Prices (blank: the bundled price list)"), "section"))
        layout.addWidget(self.prices, 1)
        self._known = dict(prices)
        self.refresh_prices()
        edits = [w for step in self.models for w in (self.models[step], self.fallbacks[step])]
        for first, second in itertools.pairwise([*edits, self.prices]):
            QWidget.setTabOrder(first, second)

    def apply_preset(self, preset: Preset) -> None:
        for step, model in preset.models.items():
            if step in self.models:
                self.models[step].setText(model)
                self.fallbacks[step].setText(preset.fallback_model)
        self.refresh_prices()

    def models_in_use(self) -> list[str]:
        names = [e.text().strip() for e in (*self.models.values(), *self.fallbacks.values())]
        return list(dict.fromkeys(n for n in names if n))

    def refresh_prices(self) -> None:
        """One row per model in use, keeping what was typed for each."""
        self._known = self.all_prices()
        names = self.models_in_use()
        self.prices.setRowCount(len(names))
        for row, name in enumerate(names):
            model = QTableWidgetItem(name)
            model.setFlags(model.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.prices.setItem(row, 0, model)
            price = self._known.get(name, {})
            for column, part in ((1, "input"), (2, "output")):
                text = f"{price[part]:g}" if part in price else ""
                self.prices.setItem(row, column, QTableWidgetItem(text))

    def all_prices(self) -> dict[str, dict[str, float]]:
        """The table's prices, and the saved ones of models no longer in use (kept)."""
        shown = {item.text() for row in range(self.prices.rowCount())
                 if (item := self.prices.item(row, 0)) is not None}  # fmt: skip
        kept = {name: price for name, price in self._known.items() if name not in shown}
        return kept | self.collect_prices()

    def collect_prices(self) -> dict[str, dict[str, float]]:
        prices: dict[str, dict[str, float]] = {}
        for row in range(self.prices.rowCount()):
            cells = [self.prices.item(row, column) for column in range(3)]
            if any(cell is None for cell in cells):
                continue
            name, given, taken = (cell.text() for cell in cells if cell is not None)
            cost_in, cost_out = _price(given), _price(taken)
            if cost_in is not None and cost_out is not None:
                prices[name] = {"input": cost_in, "output": cost_out}
        return prices

    def routes(self, current: dict[str, StepRoute]) -> dict[str, StepRoute]:
        return {
            name: dataclasses.replace(
                route,
                model=self.models[name].text().strip() or route.model,
                fallback_model=self.fallbacks[name].text().strip(),
            )
            if name in self.models
            else route
            for name, route in current.items()
        }

    def make_read_only(self) -> None:
        for edit in (*self.models.values(), *self.fallbacks.values()):
            edit.setReadOnly(True)
        self.prices.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
