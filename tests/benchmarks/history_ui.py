"""The history benchmark's view pass (issue 6): the supervisor's History tab and Dashboard, shown
offscreen over the store ``history_scale`` generated, in the same process.

Each timing runs from a gesture to the end of the first paint of the table's viewport after it
(the dashboard: to its ``shown`` signal). Nothing sleeps or polls (``qt_waits``): an event filter
on the viewport quits a local ``QEventLoop`` on its ``QEvent.Paint``, and ``exec()`` returns once
that paint is done. So a figure holds the store's queries, the model, the layout, the paint, and
Qt's update throttle (a window paints at the earliest 5 ms after an update request; the app pays
it too). The app's theme and GUI-thread garbage collector are set up as ``ui.app.run_gui`` does.

- open: ``Store.open`` (a new connection, as the store's first page), ``HistoryView(store,
  clock)`` (its model counts the runs and reads a page of 200), ``show()`` at the supervisor
  window's size, until the first page is painted; also split at the end of the constructor;
- filter: from cleared controls, a supervisor's gesture (``GESTURES``): what is set first is not
  timed (the target filter's intent pick, a combo, queries at once, then costs and text are
  typed); the change that queries for the whole filter is: a combo's pick, or, for typed fields,
  ``apply_filters``, which the typing debounce calls, called at once instead of 250 ms later.
  Each must end on the filter ``history_scale`` times (checked), the same counts and rows too;
- scroll: the scroll bar dragged to its end: the view's ``fetchMore``, 200 rows appended, painted;
- dashboard: the last 30 days (``history_scale``'s period), first opening the tab (``show()``:
  pyqtgraph imported, the charts built), then ``refresh()``, each until ``shown``; the figures
  it shows must be ``dashboard()``'s;
- memory: peak RSS growth over this pass, and of its two parts; the QApplication and theme exist
  before it starts (the app has them anyway).

The clock says ``history_data.END``, so the views' periods cover the generated data.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QComboBox, QWidget

from app.store import HistoryFilter, Store
from tests.benchmarks.history_data import END
from tests.benchmarks.qt_waits import PaintWait, application, dispose, until_signal
from tests.benchmarks.rss_peak import RssPeak
from ui.gc_guard import GuiThreadCollector
from ui.supervisor.history_view import HistoryView
from ui.supervisor.period import PeriodPicker

SIZE = (1280, 760)  # the supervisor window's
Timing = tuple[float, float]  # (first, median) seconds


def clock() -> datetime:
    return END


def summary(times: list[float]) -> Timing:
    return times[0], statistics.median(times)


# --- the history view ---


@dataclass(frozen=True)
class Gesture:
    """A supervisor setting a filter: ``setup`` is not timed, ``query`` (the change that makes
    the view query the store for the whole filter) is."""

    setup: Callable[[HistoryView], object]
    query: Callable[[HistoryView], object]


def _pick(combo: QComboBox, key: str) -> None:
    index = combo.findData(key)
    assert index >= 0, f"{combo.objectName()} offers no {key!r}"
    combo.setCurrentIndex(index)


def _nothing(_view: HistoryView) -> None:
    pass


def _debounced(view: HistoryView) -> None:
    view.apply_filters()  # what the typing debounce's timeout calls


def _target(view: HistoryView) -> None:
    _pick(view.intent, "refund_request")  # a combo applies at once: a query of its own
    view.min_cost.setValue(0.01)
    view.max_cost.setValue(0.05)
    view.search.setText("refund")


GESTURES = {  # the names of history_scale's filters
    "target": Gesture(_target, _debounced),
    "agent": Gesture(lambda view: view.agent.setText("Emily C."), _debounced),
    "model": Gesture(lambda view: view.model_name.setText("gpt-4.1-mini"), _debounced),
    "failed": Gesture(_nothing, lambda view: _pick(view.status, "failed")),
    "edited": Gesture(_nothing, lambda view: _pick(view.edited, "edited")),
    "flagged": Gesture(_nothing, lambda view: view.flagged.setChecked(True)),
    "two words": Gesture(lambda view: view.search.setText("espresso machine"), _debounced),
    "last 7 days": Gesture(_nothing, lambda view: _pick(view.period.combo, "7")),
}


def _clear(view: HistoryView) -> None:
    """Every control back to "any", without the queries each change would make."""
    combos = (view.period.combo, view.intent, view.status, view.edited)
    fields = (view.agent, view.model_name, view.search)
    boxes = (view.min_cost, view.max_cost)
    controls: tuple[QWidget, ...] = (*combos, *fields, *boxes, view.flagged)
    for control in controls:
        control.blockSignals(True)
    for combo in combos:
        combo.setCurrentIndex(0)
    for field in fields:
        field.clear()
    for box in boxes:
        box.setValue(0.0)
    view.flagged.setChecked(False)
    for control in controls:
        control.blockSignals(False)
    assert view.current_filter() == HistoryFilter(), view.current_filter()


def _shown_rows(view: HistoryView) -> tuple[int, list[str]]:
    """The filter's count and the first 100 rows' ids, as history_scale's store pass has them."""
    model = view.model
    return model.total(), [model.run_id(n) for n in range(min(100, model.rowCount()))]


class HistorySession:
    """One history view on its own store connection, shown, with its paints observed."""

    def __init__(self, path: Path) -> None:
        start = time.perf_counter()
        self.store = Store.open(path)
        self.view = HistoryView(self.store, clock)
        self.built = time.perf_counter() - start
        assert self.view.model.rowCount() > 0, "the history view loaded no rows"
        self.paint = PaintWait(self.view.table.viewport())
        self.reloads: list[None] = []
        self.view.model.reloaded.connect(lambda: self.reloads.append(None))
        self.view.resize(*SIZE)
        self.opened = self.built + self.paint.timed(self.view.show)

    def close(self) -> None:
        dispose(self.view)
        self.store.close()

    def clear(self) -> None:
        _clear(self.view)
        self.paint.timed(self.view.apply_filters)

    def filter_once(self, gesture: Gesture) -> float:
        self.clear()
        before = len(self.reloads)
        self.paint.timed(lambda: gesture.setup(self.view), lambda: len(self.reloads) > before)
        before = len(self.reloads)
        took = self.paint.timed(lambda: gesture.query(self.view))
        assert len(self.reloads) > before, "the gesture made no query"
        return took

    def scroll_once(self) -> float | None:
        """Drag the scroll bar to its end: the next page fetched and painted (None: no more)."""
        model, bar = self.view.model, self.view.table.verticalScrollBar()
        rows = model.rowCount()
        if not model.canFetchMore(QModelIndex()):
            return None
        took = self.paint.timed(lambda: bar.setValue(bar.maximum()))
        assert model.rowCount() > rows, "scrolling to the end fetched no rows"
        return took


def _history(path: Path, repeat: int, filters: dict[str, HistoryFilter]) -> dict[str, Any]:
    assert filters.keys() == GESTURES.keys(), "history_scale's filters and GESTURES differ"
    opened, built = [], []
    for _ in range(repeat):
        session = HistorySession(path)
        opened.append(session.opened)
        built.append(session.built)
        page = _shown_rows(session.view)
        session.close()
    result: dict[str, Any] = {"open": summary(opened), "open built": summary(built)}
    timings, found = {}, {}
    session = HistorySession(path)
    try:
        for name, gesture in GESTURES.items():
            timings[name] = summary([session.filter_once(gesture) for _ in range(repeat)])
            shown = session.view.current_filter()
            assert shown == filters[name], f"the view's {name} filter is {shown}"
            found[name] = _shown_rows(session.view)
        session.clear()
        scrolls = [took for _ in range(repeat) if (took := session.scroll_once()) is not None]
    finally:
        session.close()
    result["filter"] = timings["target"]
    result["filters"] = {name: median for name, (_, median) in timings.items()}
    result["slowest filter"] = max(timings.items(), key=lambda item: item[1][1])
    result["scroll"] = summary(scrolls) if scrolls else None
    result["answers"] = {"page": page, "filters": found}
    return result


# --- the dashboard view ---
# ``ui.supervisor.dashboard.DashboardView(store, clock)``: its first showing computes its period
# (a worker thread, a read-only Store of its own), ``refresh()`` computes it again, ``shown`` says
# the figures are on screen. Without the module the pass says "not available yet" and goes on.


def _dashboard(path: Path, repeat: int) -> dict[str, Any] | None:
    """First try: opening the tab (``show()``: the charts module imported, the charts built);
    the others: ``refresh()``. Each until ``shown``."""
    try:
        from ui.supervisor.dashboard import DashboardView
    except ImportError:
        return None
    with Store.open(path) as store:
        view = DashboardView(store, clock)
        try:
            view.resize(*SIZE)
            _last_30_days(view.period)
            times = [until_signal(view.shown, view.show)]
            times += [until_signal(view.shown, view.refresh) for _ in range(repeat - 1)]
            figures = view.figures
        finally:
            dispose(view)
    return {"timing": summary(times), "figures": figures}


def _last_30_days(period: PeriodPicker) -> None:
    """history_scale's dashboard period: the 30 days up to END, the clock's now."""
    period.combo.blockSignals(True)  # no computation of its own: show() computes
    _pick(period.combo, "30")
    period.combo.blockSignals(False)
    assert period.bounds() == (END - timedelta(days=30), None), period.bounds()


# --- the pass ---


def measure_views(path: Path, repeat: int, filters: dict[str, HistoryFilter]) -> dict[str, Any]:
    """The view pass's timings (``Timing``s), its answers, and its peak RSS growth: over the
    whole pass (``rss``), the history's part, and the dashboard's from where the history left
    it."""
    app = application()
    collector = GuiThreadCollector(app)  # as ui.app.run_gui: collections on the GUI thread
    collector.start()
    try:
        history = RssPeak()
        result = _history(path, repeat, filters)
        result["rss history"] = history.growth()
        board = RssPeak()  # from the RSS the history left
        result["dashboard"] = _dashboard(path, repeat)
        result["rss dashboard"] = board.growth()
        since_start = board.start - history.start + result["rss dashboard"]
        result["rss"] = max(result["rss history"], since_start)
    finally:
        collector.stop()
    return result
