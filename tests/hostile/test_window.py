"""The real main window on the demo workspace, the simulator over loopback HTTP, one hostile
ticket per category (tests/hostile/corpus.py, ``e2e``).

For each: the ticket is drafted while a 10 ms timer measures the window's longest stall; only
chat completions reach the simulator (one per model call) and no connection goes anywhere else;
the store changes only by the run's record and the autosaved draft (there is no refund, cancel
or e-mail action to trigger: the only effect on a customer is ``Store.mark_sent``, never called
until the test clicks Send); policy flags and cuts to fit are on screen; then the test clicks
Send (confirming a flagged draft) and the reply is recorded once.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, Qt, QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.store import Store
from app.workspace import Workspace
from tests.e2e.conftest import RUN_MS
from tests.hostile.corpus import BY_ID, E2E, Hostile
from tests.hostile.filing import (
    changes_beyond_drafting,
    file_ticket,
    plant_records,
    snapshot,
    ticket_row,
)
from ui.main_window import MainWindow
from ui.new_ticket_dialog import NewTicketDialog

CHAT = "/v1/chat/completions"
STALL_S = 0.5  # a generous bound on the window's longest stall: behaviour, not a speed target
TICK_MS = 10
CUT = "too long for this model"
FLAGGED = "Needs approval"


@dataclass
class Watch:
    """What the process did while a test ran: outgoing connections and replies recorded sent."""

    connects: list[Any] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch, workspace: Workspace) -> Iterator[Watch]:
    seen = Watch()
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(sock: socket.socket, address: Any) -> None:
        seen.connects.append(address)
        real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        seen.connects.append(address)
        return real_connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    mark_sent = workspace.store.mark_sent

    def recorded(ticket_id: str, text: str) -> None:
        seen.sent.append((ticket_id, text))
        mark_sent(ticket_id, text)

    monkeypatch.setattr(workspace.store, "mark_sent", recorded)
    yield seen


class Ticker:
    """A 10 ms timer on the window's thread: the longest gap between its ticks is the longest
    time the window could not react."""

    def __init__(self) -> None:
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.longest = 0.0
        self.ticks = 0

    def __enter__(self) -> Ticker:
        self._last = time.monotonic()
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._tick()
        self._timer.stop()

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest = max(self.longest, now - self._last)
        self._last = now
        self.ticks += 1


def sim_address(workspace: Workspace) -> tuple[str, int]:
    assert workspace.simulator is not None
    host, port = workspace.simulator.base_url.split("//", 1)[1].split("/", 1)[0].split(":")
    return host, int(port)


@pytest.mark.e2e
@pytest.mark.parametrize("entry", E2E, ids=lambda entry: entry.id)
def test_a_hostile_ticket_gets_a_draft_and_nothing_else_until_send(
    qtbot: QtBot, workspace: Workspace, window: MainWindow, watch: Watch, entry: Hostile
) -> None:
    assert workspace.simulator is not None and isinstance(workspace.store, Store)
    store, path = workspace.store, workspace.store.path
    plant_records(store)
    with Ticker() as ticker:
        ticket_id = (
            file_by_hand(qtbot, window, store, entry)
            if entry.raw
            else file_ticket(store, entry, "T-9001").id
        )
        window.reload_inbox()
        assert window.inbox.select(ticket_id)
        shown = store.ticket(ticket_id)
        assert window.ticket_view.message.toPlainText() == shown.body  # data, as plain text
        before, row = snapshot(path), ticket_row(path, ticket_id)
        asked = len(workspace.simulator.recorded)
        with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS) as finished:
            window.draft_action.trigger()
        qtbot.waitUntil(lambda: not window.bridge.is_running(), timeout=RUN_MS)
    run = finished.args[0]
    assert run.ok, run
    assert ticker.ticks > 5 and ticker.longest < STALL_S, f"stalled {ticker.longest:.3f} s"

    # Only chat completions went out, one per step that called a model, and only to the
    # simulator on this computer.
    called = [name for name, panel in window.panels.items() if panel.state() == "done"]
    requests = workspace.simulator.recorded[asked:]
    assert [r.path for r in requests] == [CHAT] * len(called)
    assert {(host, port) for host, port, *_ in watch.connects} <= {sim_address(workspace)}
    # Nothing but drafting: no reply recorded sent, and only the run's record and the
    # autosaved draft changed in the store.
    assert watch.sent == [] and not window.editor.is_sent()
    after = ticket_row(path, ticket_id)
    assert (after["sent_at"], after["sent_text"]) == (None, None)
    assert changes_beyond_drafting(before, snapshot(path), row, after) == []
    draft = window.editor.text()
    assert draft and draft == window.panels["reply"].text() and after["draft"] == draft

    # What the agent must know is on screen: the flags, and every cut to fit the window.
    notices = {name: panel.notice_text() for name, panel in window.panels.items()}
    flagged = bool(run.flags)
    assert flagged == (FLAGGED in notices["reasoning"]) and entry.flags <= {
        flag.rule for flag in run.flags
    }
    if flagged:
        reasoning = window.panels["reasoning"]
        assert reasoning.is_expanded() and reasoning.notices.isVisibleTo(window)
    for name in called:
        assert (CUT in notices[name]) == entry.cut, (name, notices[name])
        if notices[name]:
            assert window.panels[name].notices.isVisibleTo(window)

    # Only now does the test click Send; a flagged draft asks first.
    send(qtbot, window, confirm=flagged)
    assert watch.sent == [(ticket_id, draft)]
    sent = store.ticket(ticket_id)
    assert (sent.status, sent.sent_text) == ("sent", draft) and window.editor.is_sent()


def send(qtbot: QtBot, window: MainWindow, *, confirm: bool) -> None:
    qtbot.mouseClick(window.editor.send_button, Qt.MouseButton.LeftButton)
    if not confirm:
        return
    box = window.message_box
    assert box is not None and box.objectName() == "approvalBox"
    qtbot.waitUntil(box.isVisible, timeout=RUN_MS)
    assert not window.editor.is_sent()  # asking is not sending
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)


def file_by_hand(qtbot: QtBot, window: MainWindow, store: Store, entry: Hostile) -> str:
    """The entry's raw bytes pasted into the New ticket dialog, as a clipboard delivers them."""
    dialog = open_dialog(qtbot, window)
    dialog.customer.setText(entry.customer_id)
    paste(dialog, entry)
    with qtbot.waitSignal(window.inbox.ticketCreated, timeout=RUN_MS) as created:
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    ticket_id = str(created.args[0])
    assert store.ticket(ticket_id).body == entry.body  # U+FFFD for bad bytes
    return ticket_id


def open_dialog(qtbot: QtBot, window: MainWindow) -> NewTicketDialog:
    qtbot.mouseClick(window.inbox.new_button, Qt.MouseButton.LeftButton)
    dialog = window.inbox.new_ticket_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=RUN_MS)
    return dialog


def paste(dialog: NewTicketDialog, entry: Hostile) -> None:
    assert entry.raw is not None
    data = QMimeData()
    data.setData("text/plain", entry.raw)  # the clipboard's bytes, not yet text
    dialog.body.setFocus()
    dialog.body.insertFromMimeData(data)


@pytest.mark.e2e
def test_pasted_bytes_with_nuls_are_refused_under_the_message(
    qtbot: QtBot, workspace: Workspace, window: MainWindow, watch: Watch
) -> None:
    entry = BY_ID["utf8-paste-nul"]
    count = len(workspace.store.list_tickets())
    dialog = open_dialog(qtbot, window)
    paste(dialog, entry)
    assert dialog.body.toPlainText() == entry.body  # decoded, NULs and all
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    problem = dialog.problems["body"]
    assert problem.isVisibleTo(dialog) and all(words in problem.text() for words in entry.refusal)
    assert dialog.isVisible() and len(workspace.store.list_tickets()) == count
    dialog.reject()
    assert watch.sent == [] and workspace.simulator is not None
    assert workspace.simulator.recorded == []
