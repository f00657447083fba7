"""The supervisor's Dashboard tab: the hand-worked figures of ``tests/supervisor/hand_runs.py`` on
its tiles and in its charts, computed off the UI thread for the period picked; an empty period,
a store that cannot be read, and screenshots in light, dark and Chinese."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.store import Store, seed_demo
from tests.benchmarks.history_data import END as GENERATED_END
from tests.benchmarks.history_data import make_store
from tests.supervisor.hand_runs import record_hand_runs
from ui.i18n import install_language
from ui.supervisor.background import Background
from ui.supervisor.dashboard import DashboardView
from ui.supervisor.window import SupervisorWindow
from ui.theme import apply_theme

Shot = Callable[..., Path]
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # the day after the hand-worked one
README_SHOT = Path(__file__).resolve().parents[2] / "screenshots" / "supervisor-dashboard.png"


@pytest.fixture(autouse=True)
def utc_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The hand-worked day is a UTC day and custom ranges are read in local time: run in UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "stepwise.sqlite", clock=lambda: NOW) as opened:
        seed_demo(opened)
        record_hand_runs(opened)
        yield opened


def open_dashboard(qtbot: QtBot, store: Store, first: QDate, last: QDate) -> DashboardView:
    view = DashboardView(store, clock=lambda: NOW)
    qtbot.addWidget(view)
    view.resize(1200, 1300)
    with qtbot.waitSignal(view.shown, timeout=10_000):
        view.show()  # the first showing computes the default period (last 30 days)
    with qtbot.waitSignal(view.shown, timeout=10_000):
        view.period.set_days(first, last)
    return view


@pytest.fixture
def day(qtbot: QtBot, store: Store) -> DashboardView:
    """The dashboard over 2026-12-01 only (a custom range of one day)."""
    return open_dashboard(qtbot, store, QDate(2026, 12, 1), QDate(2026, 12, 1))


def tile(view: DashboardView, key: str) -> str:
    return view.values[key].text()


def described(view: DashboardView, key: str) -> dict[str, str]:
    """A chart's accessible description as {category: "series value, …"}."""
    lines = view.cards[key].accessibleDescription().split("; ")
    return dict(line.split(": ", 1) for line in lines)


def test_tiles_show_the_days_totals(day: DashboardView) -> None:
    # Five runs of four tickets; R4 failed; $0.104 spent, $26 per 1,000 tickets; one of the
    # three sent drafts went unedited.
    assert tile(day, "runs") == "5"
    assert tile(day, "tickets") == "4"
    assert tile(day, "failed") == "1 (20%)"
    assert tile(day, "cost") == "$0.1040"
    assert tile(day, "per_1000") == "$26.00"
    assert tile(day, "unedited") == "33%"
    assert day.state.text() == "5 runs of 4 tickets"


def test_latency_chart_shows_the_hand_worked_percentiles(day: DashboardView) -> None:
    # tests/supervisor/test_figures.py works these out: e.g. end to end over [2, 3, 4, 5] s.
    assert described(day, "latency") == {
        "Intent": "p50 0.5 s, p95 0.7 s, p99 0.7 s",
        "Retrieval": "p50 0.3 s, p95 0.3 s, p99 0.3 s",
        "Reasoning": "p50 2.5 s, p95 3.0 s, p99 3.0 s",
        "Reply": "p50 1.1 s, p95 1.5 s, p99 1.5 s",
        "End to end": "p50 3.5 s, p95 4.8 s, p99 5.0 s",
    }
    figures = day.figures
    assert figures is not None and figures.latency["end_to_end"].p95 == pytest.approx(4.85)


def test_cost_charts_by_step_and_by_model(day: DashboardView) -> None:
    assert described(day, "cost_by_step") == {
        "Intent": "Cost $0.7500",
        "Retrieval": "Cost $0.5000",
        "Reasoning": "Cost $6.50",
        "Reply": "Cost $18.25",
    }
    assert described(day, "cost_by_model") == {
        "deepseek": "Cost $0.5000",
        "flash": "Cost $0.7500",
        "gpt-4.1": "Cost $11.00",
        "sonnet": "Cost $13.75",
    }


def test_acceptance_intents_and_rates(day: DashboardView) -> None:
    assert described(day, "acceptance") == {
        "Unedited": "Sent 33%",
        "Lightly edited": "Sent 33%",
        "Rewritten": "Sent 33%",
    }
    intents = described(day, "intents")
    # Four classified tickets; shipping_expedite on T-1001 and T-1002.
    assert intents["Shipping expedite"] == "Tickets 50%"
    assert intents["Refund request"] == "Tickets 25%"
    rates = described(day, "rates")
    # Reasoning ran on R1 (1 retry), R4 (failed, 2 retries) and R5: one failure and two retried
    # in three; skipped on R3 of its five records (R2 kept it).
    assert rates["Reasoning"] == "Errors 33%, Retries 67%, Skipped 20%"
    assert set(rates) == {"Intent", "Retrieval", "Reasoning", "Reply", "All steps"}


def test_an_empty_period_says_so_in_every_chart(qtbot: QtBot, store: Store) -> None:
    view = open_dashboard(qtbot, store, QDate(2026, 6, 1), QDate(2026, 6, 30))
    assert tile(view, "runs") == "0" and tile(view, "per_1000") == "–"
    for key, card in view.cards.items():
        assert view.charts[key].isHidden(), key
        empty = card.findChild(QLabel, f"dashboardEmpty_{key}")
        assert empty is not None and not empty.isHidden()
        assert card.accessibleDescription() == "Nothing to show for this period."


def test_changing_the_period_computes_again(day: DashboardView, qtbot: QtBot) -> None:
    with qtbot.waitSignal(day.shown, timeout=10_000):
        day.period.set_key("")  # all time: R0 and R9 too
    assert tile(day, "runs") == "7"


def test_figures_are_computed_off_the_ui_thread(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.supervisor.dashboard as module

    threads: list[threading.Thread] = []
    real = module.compute

    def spy(path: Path, since: datetime, until: datetime) -> object:
        threads.append(threading.current_thread())
        return real(path, since, until)

    monkeypatch.setattr(module, "compute", spy)
    view = open_dashboard(qtbot, store, QDate(2026, 12, 1), QDate(2026, 12, 1))
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert tile(view, "runs") == "5"


def test_only_the_latest_answer_is_shown(qtbot: QtBot) -> None:
    worker = Background()
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(5)
        return "old"

    shown: list[object] = []
    worker.done.connect(shown.append)
    worker.submit(slow)
    assert started.wait(5)
    worker.submit(lambda: "new")
    release.set()
    qtbot.waitUntil(lambda: shown == ["new"], timeout=5000)
    # The old answer was queued before the new one: it was dropped, not just late.
    assert worker.wait(5000)
    assert shown == ["new"]


def test_an_unreadable_store_shows_a_message_and_keeps_the_figures(
    day: DashboardView, store: Store, qtbot: QtBot, tmp_path: Path
) -> None:
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    for path in store.path.parent.glob("stepwise.sqlite*"):
        shutil.move(path, moved / path.name)
    with qtbot.waitSignal(day.failed, timeout=10_000) as failed:
        day.refresh()
    assert day.message.isVisible()
    assert day.message.text().startswith("The figures could not be computed: ")
    assert "Traceback" not in failed.args[0]
    assert tile(day, "runs") == "5"  # the last figures stay on screen


def test_the_window_computes_again_when_the_tab_comes_back(qtbot: QtBot, store: Store) -> None:
    window = SupervisorWindow(store, clock=lambda: NOW)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.dashboard.shown, timeout=10_000):
        window.tabs.setCurrentWidget(window.dashboard)
    window.tabs.setCurrentWidget(window.history)
    with qtbot.waitSignal(window.dashboard.shown, timeout=10_000):
        window.tabs.setCurrentWidget(window.dashboard)
    assert window.dashboard.worker.wait(5000)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshots(day: DashboardView, qtbot: QtBot, shot: Shot, theme: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, theme)
    with qtbot.waitSignal(day.shown, timeout=10_000):
        day.refresh()  # charts read the theme's colours when drawn
    shot(day, f"supervisor_dashboard_{theme}")


def test_chinese_screenshot(qtbot: QtBot, store: Store, shot: Shot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_language(app, "zh_CN")
    try:
        view = open_dashboard(qtbot, store, QDate(2026, 12, 1), QDate(2026, 12, 1))
        assert view.refresh_button.text() != "Refresh"
        shot(view, "supervisor_dashboard_zh")
    finally:
        install_language(app, "en")


def test_readme_screenshot_over_realistic_runs(qtbot: QtBot, tmp_path: Path, shot: Shot) -> None:
    """The supervisor window on its Dashboard tab over 600 generated runs (the benchmark's own
    generator: real models, prices, intents and latencies), last 30 days."""
    path = tmp_path / "stepwise.sqlite"
    make_store(path, 600, payload="small")
    with Store.open(path) as generated:
        window = SupervisorWindow(generated, clock=lambda: GENERATED_END)
        qtbot.addWidget(window)
        window.resize(1280, 1000)
        window.show()
        with qtbot.waitSignal(window.dashboard.shown, timeout=10_000):
            window.tabs.setCurrentWidget(window.dashboard)
        assert window.dashboard.figures is not None and window.dashboard.figures.runs > 100
        done = shot(window, "supervisor_dashboard_window")
        if os.environ.get("STEPWISE_UPDATE_SCREENSHOTS"):
            shutil.copyfile(done, README_SHOT)
