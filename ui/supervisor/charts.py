"""Bar charts for the dashboard, drawn with pyqtgraph.

Why pyqtgraph: QtCharts is not in PySide6-Essentials, and matplotlib would add a second drawing
stack (~40 MB with its own fonts and event loop glue) for a few bar charts. pyqtgraph draws with
Qt's own QGraphicsView, so charts follow our fonts and theme colours, stay crisp on high-DPI
screens and redraw in milliseconds; it is MIT-licensed and maintained (0.14, 2025). Its only other
dependency is numpy. It takes about a second to import, so the dashboard imports this module the
first time it is shown, never at start-up.

A chart is a list of categories (one tick each) and one or more series (a bar per category each,
side by side), with each bar's value written at its end, so the figures can be read without
hovering. Horizontal charts suit long category names (models, intents). The key to the series'
colours (``legend``) is a line of text for the chart's card, above the plot, where it can never
hide a bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

import pyqtgraph as pg
from PySide6.QtGui import QFont

from ui.supervisor.chart_data import Series
from ui.theme import colours

GROUP_WIDTH = 0.8  # of the space between two ticks, shared by the group's bars
LABEL_POINTS = 8
HEIGHT = 240  # pixels: four charts' worth of figures on a laptop screen, the rest a scroll away
BAR_PIXELS = 26  # per category of a horizontal chart, so ten intents still get a readable bar


class ValueAxis(pg.AxisItem):  # type: ignore[misc]
    """An axis whose ticks read like the bars' values ("35%", "$5.00", "1.5 s")."""

    def __init__(self, orientation: str, value_text: Callable[[float], str]) -> None:
        super().__init__(orientation)
        self.value_text = value_text

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return ["0" if value == 0 else self.value_text(value * scale) for value in values]


class BarChart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph ships no type hints
    def __init__(self, *, horizontal: bool = False, value_text: Callable[[float], str] = str):
        value_axis = "bottom" if horizontal else "left"
        super().__init__(axisItems={value_axis: ValueAxis(value_axis, value_text)})
        self.horizontal = horizontal
        self.value_text = value_text
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setFixedHeight(HEIGHT)
        self.plotItem.setContentsMargins(4, 4, 12, 4)
        self.labels: list[str] = []  # the value texts drawn, in series then category order

    def show_series(self, categories: Sequence[str], series: Sequence[Series]) -> None:
        """Draw ``series`` over ``categories`` in the theme's colours now in use."""
        c = colours()
        if self.horizontal:
            self.setFixedHeight(max(HEIGHT // 2, BAR_PIXELS * len(categories) + 40))
        self.setBackground(c.surface)
        self.clear()
        self.labels = []
        width = GROUP_WIDTH / max(1, len(series))
        font = QFont()
        font.setPointSize(LABEL_POINTS)
        top = 0.0
        for number, found in enumerate(series):
            offset = (number - (len(series) - 1) / 2) * width
            places = [index + offset for index in range(len(categories))]
            heights = [value or 0.0 for value in found.values]
            top = max([top, *heights])
            bars = self._bars(places, heights, width * 0.92, found.colour)
            self.addItem(bars)
            for place, value in zip(places, found.values, strict=True):
                text = "–" if value is None else self.value_text(value)
                self.labels.append(text)
                self._write(text, place, value or 0.0, c.text, font)
        self._axes(categories, top, c.text, c.border)

    def _bars(self, places: list[float], heights: list[float], width: float, colour: str) -> object:
        pen = pg.mkPen(colour)
        if self.horizontal:
            return pg.BarGraphItem(
                x0=0, y=places, width=heights, height=width, brush=colour, pen=pen
            )
        return pg.BarGraphItem(x=places, height=heights, width=width, brush=colour, pen=pen)

    def _write(self, text: str, place: float, value: float, colour: str, font: QFont) -> None:
        anchor = (0.0, 0.5) if self.horizontal else (0.5, 1.0)
        item = pg.TextItem(text, color=colour, anchor=anchor)
        item.setFont(font)
        item.setPos(value, place) if self.horizontal else item.setPos(place, value)
        self.addItem(item)

    def _axes(self, categories: Sequence[str], top: float, text: str, line: str) -> None:
        ticks = [[(float(index), name) for index, name in enumerate(categories)]]
        category_axis, value_axis = ("left", "bottom") if self.horizontal else ("bottom", "left")
        for name in (category_axis, value_axis):
            axis = self.getAxis(name)
            axis.setTextPen(text)
            axis.setPen(line)
        self.getAxis(category_axis).setTicks(ticks)
        self.getAxis(value_axis).setTicks(None)
        # Horizontal bars carry their values at their ends; an axis under them says nothing more.
        self.showAxis(value_axis, show=not self.horizontal)
        # Room past the longest bar for its value, and half a slot around the outer bars.
        value_range = (0.0, (top or 1.0) * (1.35 if self.horizontal else 1.18))
        slots = (-0.6, len(categories) - 0.4)
        if self.horizontal:
            self.setRange(xRange=value_range, yRange=slots, padding=0)
            self.getViewBox().invertY(True)  # first category on top
        else:
            self.setRange(xRange=slots, yRange=value_range, padding=0)


def legend(series: Sequence[Series]) -> str:
    """The series' colours and names as rich text: "■ p50  ■ p95  ■ p99"."""
    keys = [f'<span style="color:{found.colour}">■</span> {escape(found.name)}' for found in series]
    return "&nbsp;&nbsp;&nbsp;".join(keys)
