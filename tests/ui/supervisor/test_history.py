"""The supervisor's History tab over a real store of 450 varied runs: the paged model (checked by
qtmodeltester), every filter against what the store counts for it, search, opening a run, and
store failures shown as a message."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QStringListModel, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.pipeline.steps import taxonomy
from app.store import DatabaseLocked, HistoryFilter, Store, seed_demo
from tests.store.run_factory import record, steps
from ui.i18n import install_language
from ui.supervisor.history_model import COLUMN, PAGE_SIZE, HistoryModel
from ui.supervisor.history_view import HistoryView
from ui.supervisor.tables import RUN_ID_ROLE
from ui.supervisor.window import SupervisorWindow

Shot = Callable[..., Path]
RUNS = 450
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
AGENTS = ("Dana", "Lee", "Priya")
WORD = "zephyrine"  # in exactly one run's reply
SEARCHED = "R-0126"  # an ok run: failed and cancelled runs keep no draft


def _run_fields(n: int, intents: list[str]) -> dict[str, Any]:
    at = NOW - timedelta(minutes=97 * n + 3)  # R-0000 newest, spread over ~30 days
    run_steps = steps(intents=[intents[n % len(intents)]] + ([intents[0]] if n % 5 == 0 else []))
    run_steps[3]["model"] = ("sonnet", "haiku")[n % 4 == 0]
    run_steps[3]["cost_usd"] = 0.004 * (n % 9)
    fields: dict[str, Any] = {"at": at.isoformat(), "agent_name": AGENTS[n % 3]}
    fields["seconds"] = 2.0 + (n % 23) * 1.7 if n % 31 else None
    fields["cost_estimated"] = n % 13 == 0
    if n % 17 == 5:
        fields |= {"ok": False, "run_steps": run_steps[:2]}
    elif n % 29 == 7:
        fields |= {"ok": False, "status": "cancelled", "run_steps": run_steps[:3]}
    else:
        fields["run_steps"] = run_steps
    if n % 11 == 0:
        fields["flags_json"] = [{"rule": "refund_agent_cap_usd", "message": "Above the cap."}]
        fields["needs_approval"] = True
    extra = f" The code {WORD} applies." if f"R-{n:04d}" == SEARCHED else ""
    fields["draft"] = f"Hi, thanks for waiting: update {n} on your order is below.{extra}"
    return fields


@pytest.fixture(scope="module")
def history_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the demo shop and RUNS runs, built once and copied per test."""
    path = tmp_path_factory.mktemp("history") / "stepwise.sqlite"
    intents = list(taxonomy())
    with Store.open(path) as store:
        seed_demo(store)
        tickets = [ticket.id for ticket in store.list_tickets()]
        newest_draft: dict[str, str] = {}
        for n in range(RUNS):
            ticket, fields = tickets[n % len(tickets)], _run_fields(n, intents)
            if fields.get("ok", True):
                newest_draft.setdefault(ticket, fields["draft"])
            record(store, f"R-{n:04d}", ticket=ticket, **fields)
        # Send replies to 18 tickets: unedited, lightly edited and rewritten drafts.
        for k, (ticket, draft) in enumerate(sorted(newest_draft.items())[:18]):
            sent = (draft, draft + " Kind regards, Dana", "Sorry, we cannot help with that.")[k % 3]
            store.mark_sent(ticket, sent)
    return path


@pytest.fixture
def store(history_db: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "copy.sqlite"
    shutil.copy(history_db, path)
    opened = Store.open(path)
    yield opened
    opened.close()


@pytest.fixture
def view(store: Store, qtbot: QtBot) -> HistoryView:
    widget = HistoryView(store, clock=lambda: NOW)
    qtbot.addWidget(widget)
    widget.resize(1280, 640)
    return widget


def test_the_model_passes_the_model_tester_with_data_and_after_a_filter(
    store: Store, qtmodeltester: Any
) -> None:
    model = HistoryModel(store)
    model.set_filter(HistoryFilter())
    qtmodeltester.check(model)
    model.set_filter(HistoryFilter(status="failed", agent="Lee"))
    assert 0 < model.rowCount() < RUNS
    qtmodeltester.check(model)
    model.set_filter(HistoryFilter(text="nothingmatchesthis"))
    qtmodeltester.check(model)


def test_the_completion_models_pass_the_model_tester(view: HistoryView, qtmodeltester: Any) -> None:
    for field in (view.agent, view.model_name):
        completer = field.completer()
        assert completer is not None
        names = completer.model()
        assert isinstance(names, QStringListModel)
        assert names.rowCount() > 0
        qtmodeltester.check(names)
    assert view.agent.completer().model().stringList() == sorted(AGENTS)  # type: ignore[attr-defined]


def test_pages_load_200_rows_at_a_time(store: Store) -> None:
    model = HistoryModel(store)
    model.set_filter(HistoryFilter())
    assert (model.rowCount(), model.total(), model.all_runs()) == (PAGE_SIZE, RUNS, RUNS)
    assert model.canFetchMore(model.index(-1, -1))
    root = model.index(-1, -1)
    model.fetchMore(root)
    assert model.rowCount() == 2 * PAGE_SIZE
    model.fetchMore(root)
    assert model.rowCount() == RUNS
    assert not model.canFetchMore(root)
    ids = [model.index(row, 0).data(RUN_ID_ROLE) for row in range(RUNS)]
    assert ids == [row.run_id for row in store.history_page(None, 0, RUNS)]
    assert ids[0] == "R-0000"


def test_the_view_fetches_more_when_scrolled_to_the_end(view: HistoryView, qtbot: QtBot) -> None:
    view.show()
    qtbot.waitExposed(view)
    assert view.model.rowCount() == PAGE_SIZE
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() > PAGE_SIZE, timeout=3000)


def _set(view: HistoryView, name: str, value: Any) -> None:
    widget = view.period.combo if name == "period" else getattr(view, name)
    if name in ("agent", "model_name", "search"):
        widget.setText(value)
    elif name in ("min_cost", "max_cost"):
        widget.setValue(value)
    elif name == "flagged":
        widget.setChecked(value)
    else:
        found = widget.findData(value)
        assert found >= 0, f"{name} has no choice {value!r}"
        widget.setCurrentIndex(found)


# (control, value set, the HistoryFilter the store is asked for)
FILTERS = [
    ("period", "7", HistoryFilter(since=NOW - timedelta(days=7))),
    ("period", "30", HistoryFilter(since=NOW - timedelta(days=30))),
    ("agent", "Lee", HistoryFilter(agent="Lee")),
    ("intent", "refund_request", HistoryFilter(intent="refund_request")),
    ("model_name", "haiku", HistoryFilter(model="haiku")),
    ("status", "failed", HistoryFilter(status="failed")),
    ("status", "cancelled", HistoryFilter(status="cancelled")),
    ("min_cost", 0.05, HistoryFilter(min_cost=0.05)),
    ("max_cost", 0.045, HistoryFilter(max_cost=0.045)),
    ("edited", "edited", HistoryFilter(edited=True)),
    ("edited", "unedited", HistoryFilter(edited=False)),
    ("flagged", True, HistoryFilter(flagged=True)),
    ("search", "update 42", HistoryFilter(text="update 42")),
]


@pytest.mark.parametrize(
    ("control", "value", "expected"), FILTERS, ids=[f"{c}={v}" for c, v, _ in FILTERS]
)
def test_each_filter_shows_what_the_store_finds(
    view: HistoryView, store: Store, qtbot: QtBot, control: str, value: Any, expected: HistoryFilter
) -> None:
    _set(view, control, value)
    # Combos apply at once; typed fields after the debounce.
    qtbot.waitUntil(lambda: view.model.filter() == expected, timeout=2000)
    count = store.history_count(expected)
    assert 0 < count < RUNS
    assert view.model.total() == count
    shown = [view.model.run_id(row) for row in range(view.model.rowCount())]
    assert shown == [row.run_id for row in store.history_page(expected, 0, PAGE_SIZE)]
    assert view.count.text() == f"{count} of {RUNS} runs"


def test_a_custom_range_includes_both_days_in_local_time(
    view: HistoryView, store: Store, qtbot: QtBot
) -> None:
    assert view.period.first.isHidden()
    view.period.set_days(QDate(2026, 11, 20), QDate(2026, 11, 24))
    assert not view.period.first.isHidden() and not view.period.last.isHidden()
    since = datetime(2026, 11, 20).astimezone()  # local midnights
    until = datetime(2026, 11, 25).astimezone()
    expected = HistoryFilter(since=since, until=until)
    qtbot.waitUntil(lambda: view.model.filter() == expected, timeout=2000)
    shown = [view.model.row(n).started_at for n in range(view.model.rowCount())]
    assert 0 < len(shown) == store.history_count(expected) < RUNS
    assert all(since <= datetime.fromisoformat(at) < until for at in shown)
    # The days may be picked in either order.
    view.period.set_days(QDate(2026, 11, 24), QDate(2026, 11, 20))
    assert view.current_filter() == expected


def test_filters_combine(view: HistoryView, store: Store, qtbot: QtBot) -> None:
    _set(view, "agent", "Dana")
    _set(view, "status", "ok")
    _set(view, "flagged", True)
    expected = HistoryFilter(agent="Dana", status="ok", flagged=True)
    qtbot.waitUntil(lambda: view.model.filter() == expected, timeout=2000)
    assert view.model.total() == store.history_count(expected) > 0
    assert all(view.model.row(n).agent_name == "Dana" for n in range(view.model.rowCount()))


def test_search_finds_a_run_by_a_word_of_its_reply_after_typing_pauses(
    view: HistoryView, qtbot: QtBot
) -> None:
    qtbot.keyClicks(view.search, WORD[:6])  # the last word matches as a prefix
    assert view.model.filter().text == ""  # still typing: no query yet
    qtbot.waitUntil(lambda: view.model.filter().text == WORD[:6], timeout=2000)
    assert view.model.rowCount() == 1
    assert view.model.run_id(0) == SEARCHED
    assert view.count.text() == f"1 of {RUNS} runs"
    view.search.clear()
    qtbot.waitUntil(lambda: view.model.total() == RUNS, timeout=2000)


def test_cells_show_readable_values(view: HistoryView) -> None:
    model = view.model
    row = next(n for n in range(model.rowCount()) if model.run_id(n) == "R-0013")
    cell = {key: model.index(row, column).data() for key, column in COLUMN.items()}
    assert cell["agent"] == "Lee"
    assert cell["ticket"].startswith(model.row(row).ticket_id + " · ")
    assert cell["cost"].startswith("~$")  # estimated
    assert cell["status"] == "OK"
    assert cell["models"] == "flash, deepseek, gpt-4.1, sonnet"
    assert "s" in cell["latency"]
    flagged = next(n for n in range(model.rowCount()) if model.row(n).needs_approval)
    assert model.index(flagged, COLUMN["flags"]).data() == "refund agent cap usd"
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMN))]
    assert headers[0] == "Time" and headers[-1] == "Edit level"


def test_double_click_and_enter_open_the_run(store: Store, qtbot: QtBot) -> None:
    window = SupervisorWindow(store, clock=lambda: NOW)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    table = window.history.table
    index = table.model().index(2, COLUMN["ticket"])
    expected = window.history.model.run_id(2)
    every: list[str] = []
    window.runOpened.connect(every.append)
    with qtbot.waitSignal(window.runOpened, timeout=2000) as opened:
        point = table.visualRect(index).center()
        # A real double-click starts with a click; QTest's double-click event alone does not.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened.args == [expected]
    assert every == [expected]  # once per double-click
    table.setFocus()
    table.setCurrentIndex(table.model().index(5, 0))
    with qtbot.waitSignal(window.runOpened, timeout=2000) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [window.history.model.run_id(5)]


class LockedAfterFirstPage:
    """The real store, until another program locks the database after the first page."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.locked = False

    def history_count(self, flt: HistoryFilter | None = None) -> int:
        self._check()
        return self.store.history_count(flt)

    def history_page(self, flt: HistoryFilter | None, offset: int, limit: int) -> list[Any]:
        self._check()
        page = self.store.history_page(flt, offset, limit)
        self.locked = True
        return page

    def _check(self) -> None:
        if self.locked:
            raise DatabaseLocked("Could not read the history of runs: the database is locked.")


def test_a_locked_database_shows_a_message_not_a_traceback(
    store: Store, qtbot: QtBot, shot: Callable[..., Path]
) -> None:
    locked = LockedAfterFirstPage(store)
    view = HistoryView(locked, clock=lambda: NOW)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    assert view.model.rowCount() == PAGE_SIZE and view.message.isHidden()
    with qtbot.waitSignal(view.model.failed, timeout=1000) as failed:
        view.model.fetchMore(view.model.index(-1, -1))
    assert "database is locked" in failed.args[0]
    assert view.model.rowCount() == PAGE_SIZE  # what was loaded stays
    assert not view.model.canFetchMore(view.model.index(-1, -1))  # no retry on every scroll
    assert not view.message.isHidden()
    assert "database is locked" in view.message.text()
    _set(view, "status", "failed")  # a new filter tries again, and fails again
    assert view.model.rowCount() == 0
    assert not view.message.isHidden()


@pytest.mark.expected_errors  # the store logs the use of a closed connection as its bug
def test_a_closed_store_shows_a_message(view: HistoryView, store: Store) -> None:
    store.close()
    _set(view, "status", "failed")
    assert view.model.rowCount() == 0 and view.model.total() == 0
    assert not view.message.isHidden()
    assert view.message.text().startswith("The history could not be read:")


def test_every_control_has_an_accessible_name(view: HistoryView) -> None:
    controls = (
        view.period.combo,
        view.period.first,
        view.period.last,
        view.agent,
        view.intent,
        view.model_name,
        view.status,
        view.min_cost,
        view.max_cost,
        view.edited,
        view.flagged,
        view.search,
        view.export_button,
        view.table,
        view.count,
    )
    assert all(widget.accessibleName() for widget in controls)
    assert view.table.isSortingEnabled() is False


def test_window_has_the_history_tab(store: Store, qtbot: QtBot) -> None:
    window = SupervisorWindow(store, clock=lambda: NOW)
    qtbot.addWidget(window)
    assert window.objectName() == "supervisorWindow"
    assert window.windowTitle() == "Stepwise — supervisor"
    tabs = [window.tabs.widget(n) for n in range(window.tabs.count())]
    assert tabs == [window.history, window.flagged, window.dashboard]
    assert window.history.objectName() == "historyView"


def test_screenshots(store: Store, qtbot: QtBot, shot: Shot) -> None:
    window = SupervisorWindow(store, clock=lambda: NOW)
    qtbot.addWidget(window)
    window.resize(1400, 720)
    window.show()
    qtbot.waitExposed(window)
    window.history.table.selectRow(1)
    shot(window, "supervisor_history")
    history = window.history
    _set(history, "period", "7")
    _set(history, "flagged", True)
    history.search.setText("update")
    history.apply_filters()
    assert 0 < history.model.total() < RUNS
    shot(window, "supervisor_history_filtered")


def test_history_in_chinese(store: Store, qtbot: QtBot, qapp: QApplication, shot: Shot) -> None:
    install_language(qapp, "zh_CN")
    try:
        window = SupervisorWindow(store, clock=lambda: NOW)
        qtbot.addWidget(window)
        window.resize(1400, 720)
        window.show()
        qtbot.waitExposed(window)
        assert window.tabs.tabText(0) != "History"
        header = window.history.model.headerData(0, Qt.Orientation.Horizontal)
        assert header != "Time"
        shot(window, "supervisor_history_zh")
    finally:
        install_language(qapp, "en")


def test_export_offers_the_runs_listed(view: HistoryView, store: Store, qtbot: QtBot) -> None:
    _set(view, "status", "failed")
    qtbot.waitUntil(lambda: view.model.filter() == HistoryFilter(status="failed"), timeout=2000)
    dialog = view.open_export()
    qtbot.addWidget(dialog)
    listed = store.history_count(HistoryFilter(status="failed"))
    assert dialog.filter == HistoryFilter(status="failed")
    assert dialog.shown.isChecked() and f"({listed})" in dialog.shown.text()
    dialog.close()


def test_a_verdict_saved_in_an_inspector_lists_the_step_under_flagged(
    store: Store, qtbot: QtBot
) -> None:
    window = SupervisorWindow(store, clock=lambda: NOW, author="Lee")
    qtbot.addWidget(window)
    window.show()
    assert window.flagged.model.rowCount() == 0
    inspector = window.inspect("R-0002")
    box = inspector.boxes["reasoning"]
    box.wrong.click()
    box.label_edit.setText("missed the refund cap")
    with qtbot.waitSignal(inspector.annotationSaved, timeout=2000):
        box.save_button.click()
    flagged = window.flagged
    assert flagged.model.rowCount() == 1
    window.tabs.setCurrentWidget(flagged)
    inspector.close()
    flagged.table.setFocus()
    flagged.table.setCurrentIndex(flagged.model.index(0, 0))
    with qtbot.waitSignal(window.runOpened, timeout=2000) as opened:
        qtbot.keyClick(flagged.table, Qt.Key.Key_Return)
    assert opened.args == ["R-0002"]
    # The closed inspector is not shown again on its way out: the run opens in a new one.
    reopened = window.inspectors["R-0002"]
    assert reopened is not inspector and reopened.isVisible()
