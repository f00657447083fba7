"""The Dashboard tab (issue 6, part 3): a period's figures as tiles and bar charts.

The figures are ``app.supervisor.figures.dashboard``, the same ones ``stepwise report`` prints.
They are computed in a worker thread (``Background``) on a read-only Store of its own, since a busy
month takes about half a second; the tab says "Computing…" meanwhile and keeps the last figures on
screen. The charts module (pyqtgraph) is imported the first time the tab is shown.

Charts: latency p50/p95/p99 per step and end to end; cost per 1,000 tickets by step and by model;
acceptance of the drafts sent; the intent mix; error, retry and skip rates per step. Each chart's
accessible description reads its figures out, for screen readers and for tests.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.store import Store
from app.supervisor.figures import Dashboard, dashboard
from ui.core_text import localize
from ui.formatting import format_cost
from ui.step_views import label
from ui.supervisor.background import Background
from ui.supervisor.chart_data import Series, chart_series, percent, seconds, tile_texts
from ui.supervisor.period import Clock, PeriodPicker, utc_now
from ui.theme import set_role

if TYPE_CHECKING:
    from ui.supervisor.charts import BarChart

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # "All time" starts here
CHARTS = {
    "latency": (0, 0, 2),
    "cost_by_step": (1, 0, 1),
    "cost_by_model": (1, 1, 1),
    "acceptance": (2, 0, 1),
    "intents": (2, 1, 1),
    "rates": (3, 0, 2),
}


def compute(path: Path, since: datetime, until: datetime) -> Dashboard:
    """The figures, on a read-only connection of the calling (worker) thread."""
    with Store.open(path, read_only=True) as store:
        return dashboard(store, since, until)


class DashboardView(QWidget):
    # the figures of the period asked for last are on screen
    shown = Signal()
    # (str): why the figures could not be computed, in the agent's words
    failed = Signal(str)

    def __init__(self, store: Store, clock: Clock = utc_now) -> None:
        super().__init__()
        self.setObjectName("dashboardView")
        self.store = store
        self._clock = clock
        self.figures: Dashboard | None = None
        self.charts: dict[str, BarChart] = {}
        self.cards: dict[str, QFrame] = {}
        self.worker = Background(self)
        self.worker.done.connect(self._show)
        self.worker.failed.connect(self._fail)
        self.period = PeriodPicker("dashboardPeriod", clock, preset="30")
        self.period.changed.connect(self.refresh)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("dashboardRefresh")
        self.refresh_button.setAccessibleName(self.tr("Compute the figures again"))
        self.refresh_button.clicked.connect(self.refresh)
        self.state = label("", "muted")
        self.state.setObjectName("dashboardState")
        self.state.setAccessibleName(self.tr("Dashboard state"))
        self.message = label("", "notice", wrap=True)
        self.message.setObjectName("dashboardMessage")
        self.message.setAccessibleName(self.tr("Dashboard problem"))
        self.message.hide()
        self.tiles = QGridLayout()
        self.values: dict[str, QLabel] = {}
        self.grid = QGridLayout()
        self._layout()

    # --- construction ---

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.period)
        top.addWidget(self.refresh_button)
        top.addWidget(self.state, 1)
        for index, (key, name) in enumerate(self._tile_names()):
            tile = QFrame()
            set_role(tile, "card")
            column = QVBoxLayout(tile)
            column.setContentsMargins(12, 8, 12, 8)
            column.setSpacing(2)
            value = label("–", "title")
            value.setObjectName(f"dashboardTile_{key}")
            value.setAccessibleName(name)
            column.addWidget(label(name, "muted"))
            column.addWidget(value)
            self.values[key] = value
            self.tiles.addWidget(tile, 0, index)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addLayout(self.tiles)
        column.addLayout(self.grid)
        column.addStretch(1)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(8)
        scroll = QScrollArea()
        scroll.setObjectName("dashboardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)
        order = (self.period.combo, self.period.first, self.period.last, self.refresh_button)
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)

    def _tile_names(self) -> list[tuple[str, str]]:
        return [
            ("runs", self.tr("Runs")),
            ("tickets", self.tr("Tickets")),
            ("failed", self.tr("Failed runs")),
            ("cost", self.tr("Cost")),
            ("per_1000", self.tr("Cost per 1,000 tickets")),
            ("unedited", self.tr("Sent unedited")),
        ]

    def _chart_titles(self) -> dict[str, str]:
        return {
            "latency": self.tr("Latency per step and end to end (p50, p95, p99)"),
            "cost_by_step": self.tr("Cost per 1,000 tickets, by step"),
            "cost_by_model": self.tr("Cost per 1,000 tickets, by model"),
            "acceptance": self.tr("Drafts sent: unedited, lightly edited, rewritten"),
            "intents": self.tr("Intent mix (share of classified tickets)"),
            "rates": self.tr("Error, retry and skip rates per step"),
        }

    def _build_charts(self) -> None:
        from ui.supervisor.charts import BarChart  # about a second to import: see charts.py

        titles = self._chart_titles()
        horizontal = {"cost_by_model", "intents"}
        value_text = {"latency": seconds, "cost_by_step": format_cost, "cost_by_model": format_cost}
        for key, (row, col, span) in CHARTS.items():
            card = QFrame()
            card.setObjectName(f"dashboardCard_{key}")
            set_role(card, "card")
            card.setAccessibleName(titles[key])
            column = QVBoxLayout(card)
            column.setContentsMargins(10, 8, 10, 8)
            column.setSpacing(4)
            column.addWidget(label(titles[key], "section", wrap=True))
            key_line = label("", "muted")
            key_line.setObjectName(f"dashboardLegend_{key}")
            key_line.setTextFormat(Qt.TextFormat.RichText)
            key_line.hide()
            column.addWidget(key_line)
            chart = BarChart(horizontal=key in horizontal, value_text=value_text.get(key, percent))
            chart.setObjectName(f"dashboardChart_{key}")
            empty = label(self.tr("Nothing to show for this period."), "muted")
            empty.setObjectName(f"dashboardEmpty_{key}")
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            empty.setMinimumHeight(120)
            empty.hide()
            column.addWidget(chart)
            column.addWidget(empty)
            column.addStretch(1)  # a shorter chart than its neighbour keeps to the top
            self.charts[key] = chart
            self.cards[key] = card
            self.grid.addWidget(card, row, col, 1, span)
        for col in (0, 1):
            self.grid.setColumnStretch(col, 1)

    # --- computing ---

    def showEvent(self, event: QShowEvent) -> None:
        # Each time the tab is brought forward (runs were recorded since), not when the window
        # merely comes back from being minimised (a spontaneous show, from the window system).
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    def refresh(self) -> None:
        """Compute the figures of the period picked, in the worker thread."""
        since, until = self.period.bounds()
        now = self._clock()
        self.state.setText(self.tr("Computing…"))
        self.worker.submit(lambda: compute(self.store.path, since or EPOCH, until or now))

    def _show(self, found: object) -> None:
        assert isinstance(found, Dashboard)
        if not self.charts:
            self._build_charts()
        self.figures = found
        self.message.hide()
        self._fill_tiles(found)
        series = chart_series(found)
        for key, (categories, parts) in series.items():
            self._draw(key, categories, parts)
        self.state.setText(
            self.tr("{runs} runs of {tickets} tickets").format(
                runs=f"{found.runs:,}", tickets=f"{found.tickets:,}"
            )
        )
        self.shown.emit()

    def _fail(self, err: object) -> None:
        text = localize(str(err))
        self.state.setText("")
        self.message.setText(
            self.tr("The figures could not be computed: {reason}").format(reason=text)
        )
        self.message.show()
        self.failed.emit(text)

    # --- filling ---

    def _fill_tiles(self, found: Dashboard) -> None:
        for key, text in tile_texts(found).items():
            self.values[key].setText(text)

    def _draw(self, key: str, categories: list[str], parts: list[Series]) -> None:
        from ui.supervisor.charts import legend

        chart, card = self.charts[key], self.cards[key]
        empty = card.findChild(QLabel, f"dashboardEmpty_{key}")
        key_line = card.findChild(QLabel, f"dashboardLegend_{key}")
        assert empty is not None and key_line is not None
        has_data = bool(categories) and any(v is not None for s in parts for v in s.values)
        chart.setVisible(has_data)
        empty.setVisible(not has_data)
        key_line.setVisible(has_data and len(parts) > 1)
        key_line.setText(legend(parts))
        if not has_data:
            card.setAccessibleDescription(self.tr("Nothing to show for this period."))
            return
        chart.show_series(categories, parts)
        lines = []
        for index, category in enumerate(categories):
            texts = chart.labels[index :: len(categories)]  # this category's value per series
            named = [f"{part.name} {text}" for part, text in zip(parts, texts, strict=True)]
            lines.append(f"{category}: {', '.join(named)}")
        card.setAccessibleDescription("; ".join(lines))
