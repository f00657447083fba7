"""Inbox: the item model, search filter, selection signal and keyboard navigation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.ui.conftest import FakeWorkspace
from ui.inbox import Inbox
from ui.inbox_model import ID_ROLE, STATUS_ROLE, InboxModel

Shot = Callable[..., Path]


def make_inbox(qtbot: QtBot) -> Inbox:
    inbox = Inbox()
    qtbot.addWidget(inbox)
    inbox.set_tickets(FakeWorkspace().store.list_tickets())
    inbox.resize(280, 420)
    with qtbot.waitExposed(inbox):
        inbox.show()
    return inbox


def test_model_passes_qt_model_tester(qtmodeltester: ModelTester) -> None:
    model = InboxModel(FakeWorkspace().store.list_tickets())
    qtmodeltester.check(model)
    model.set_status("T-1001", "sent")
    qtmodeltester.check(model)


def test_model_roles(qtbot: QtBot) -> None:
    model = InboxModel(FakeWorkspace().store.list_tickets())
    first = model.index(0, 0)
    assert first.data(ID_ROLE) == "T-1001"
    assert first.data(STATUS_ROLE) == "open"
    display = first.data(Qt.ItemDataRole.DisplayRole)
    assert display.startswith("Maya Chen — Order #4521 late")
    assert "\n" in display  # the preview is the second line


def test_search_filters_by_name_subject_and_text(qtbot: QtBot) -> None:
    inbox = make_inbox(qtbot)
    assert inbox.proxy.rowCount() == 3
    qtbot.keyClicks(inbox.search, "refund")
    assert inbox.proxy.rowCount() == 1
    assert inbox.proxy.index(0, 0).data(ID_ROLE) == "T-1003"
    assert inbox.count.text() == "1 of 3 shown"
    inbox.search.clear()
    qtbot.keyClicks(inbox.search, "MAYA")  # case-insensitive, matches the customer
    assert inbox.proxy.rowCount() == 2
    inbox.search.clear()
    assert inbox.count.text() == "3 tickets"


def test_click_selects_a_ticket(qtbot: QtBot) -> None:
    inbox = make_inbox(qtbot)
    rect = inbox.view.visualRect(inbox.proxy.index(1, 0))
    with qtbot.waitSignal(inbox.ticketSelected, timeout=1000) as blocker:
        qtbot.mouseClick(inbox.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["T-1002"]


def test_keyboard_navigation_selects(qtbot: QtBot, shot: Shot) -> None:
    inbox = make_inbox(qtbot)
    with qtbot.waitSignal(inbox.ticketSelected, timeout=1000) as first:
        inbox.select_first()
    assert first.args == ["T-1001"]
    inbox.view.setFocus()
    with qtbot.waitSignal(inbox.ticketSelected, timeout=1000) as down:
        qtbot.keyClick(inbox.view, Qt.Key.Key_Down)
    assert down.args == ["T-1002"]
    assert inbox.current_id() == "T-1002"
    shot(inbox, "inbox")


def test_status_update_shows_in_the_row(qtbot: QtBot) -> None:
    inbox = make_inbox(qtbot)
    inbox.set_status("T-1001", "sent")
    assert inbox.proxy.index(0, 0).data(STATUS_ROLE) == "sent"
