"""Inbox: the item model, search and filters, read state, keyboard navigation, New ticket.

The fake store's tickets (tests/ui/conftest.py), newest first:
T-1001 Maya, open,  unread, shipping_expedite + discount_request, high
T-1002 Maya, draft, unread, discount_request, normal
T-1003 guest, sent, read,   never run (no intent, no urgency)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.store import DiskFull
from tests.ui.conftest import FakeWorkspace
from ui.inbox import Inbox
from ui.inbox_model import ID_ROLE, STATUS_ROLE, UNREAD_ROLE, URGENCY_ROLE, InboxModel
from ui.new_ticket_dialog import NewTicketDialog

Shot = Callable[..., Path]


def make_inbox(qtbot: QtBot, workspace: FakeWorkspace | None = None) -> Inbox:
    store = (workspace or FakeWorkspace()).store
    inbox = Inbox(store)
    qtbot.addWidget(inbox)
    inbox.set_tickets(store.list_tickets())
    inbox.resize(300, 520)
    with qtbot.waitExposed(inbox):
        inbox.show()
    return inbox


def shown(inbox: Inbox) -> list[str]:
    return [str(inbox.proxy.index(row, 0).data(ID_ROLE)) for row in range(inbox.proxy.rowCount())]


def choose(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    assert index >= 0, f"{value!r} is not a choice of {combo.objectName()}"
    combo.setCurrentIndex(index)


def test_model_passes_qt_model_tester(qtmodeltester: ModelTester) -> None:
    model = InboxModel(FakeWorkspace().store.list_tickets())
    qtmodeltester.check(model)
    model.set_status("T-1001", "sent")
    model.set_read("T-1001")
    qtmodeltester.check(model)


def test_model_roles(qtbot: QtBot) -> None:
    model = InboxModel(FakeWorkspace().store.list_tickets())
    first = model.index(0, 0)
    assert first.data(ID_ROLE) == "T-1001"
    assert first.data(STATUS_ROLE) == "open"
    assert (first.data(UNREAD_ROLE), first.data(URGENCY_ROLE)) == (True, "high")
    display = first.data(Qt.ItemDataRole.DisplayRole)
    assert display.startswith("Maya Chen — Order #4521 late")
    assert "\n" in display  # the preview is the second line
    assert first.data(Qt.ItemDataRole.AccessibleTextRole).startswith("unread, Maya Chen")
    assert "Intent: shipping expedite" in first.data(Qt.ItemDataRole.ToolTipRole)


def test_search_filters_by_name_subject_and_text(qtbot: QtBot) -> None:
    inbox = make_inbox(qtbot)
    assert inbox.proxy.rowCount() == 3
    qtbot.keyClicks(inbox.search, "refund")
    assert shown(inbox) == ["T-1003"]
    assert inbox.count.text() == "1 of 3 shown · 2 unread"
    inbox.search.clear()
    qtbot.keyClicks(inbox.search, "MAYA")  # case-insensitive, matches the customer
    assert inbox.proxy.rowCount() == 2
    inbox.search.clear()
    assert inbox.count.text() == "3 tickets · 2 unread"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("", ["T-1001", "T-1002", "T-1003"]),
        ("unread", ["T-1001", "T-1002"]),
        ("open", ["T-1001"]),
        ("draft", ["T-1002"]),
        ("sent", ["T-1003"]),
    ],
)
def test_status_filter(qtbot: QtBot, status: str, expected: list[str]) -> None:
    inbox = make_inbox(qtbot)
    choose(inbox.status_filter, status)
    assert shown(inbox) == expected


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        ("", ["T-1001", "T-1002", "T-1003"]),  # "Any intent" includes the never-run T-1003
        ("discount_request", ["T-1001", "T-1002"]),
        ("shipping_expedite", ["T-1001"]),
        ("refund_request", []),  # T-1003 is about a refund, but no run has said so yet
    ],
)
def test_intent_filter(qtbot: QtBot, intent: str, expected: list[str]) -> None:
    inbox = make_inbox(qtbot)
    choose(inbox.intent_filter, intent)
    assert shown(inbox) == expected


@pytest.mark.parametrize(
    ("urgency", "expected"),
    [
        ("", ["T-1001", "T-1002", "T-1003"]),
        ("high", ["T-1001"]),
        ("normal", ["T-1002"]),
        ("low", []),
    ],
)
def test_urgency_filter(qtbot: QtBot, urgency: str, expected: list[str]) -> None:
    inbox = make_inbox(qtbot)
    choose(inbox.urgency_filter, urgency)
    assert shown(inbox) == expected


def test_filter_choices_come_from_the_taxonomy_and_the_intent_schema(qtbot: QtBot) -> None:
    inbox = make_inbox(qtbot)
    urgencies = [inbox.urgency_filter.itemData(i) for i in range(inbox.urgency_filter.count())]
    assert urgencies == ["", "low", "normal", "high"]
    assert inbox.intent_filter.findData("complaint_escalation") > 0
    row = inbox.intent_filter.findData("shipping_expedite")
    assert inbox.intent_filter.itemText(row) == "Shipping expedite"
    assert inbox.intent_filter.itemData(row, Qt.ItemDataRole.ToolTipRole)  # the description


def test_filters_combine_with_each_other_and_with_search(qtbot: QtBot) -> None:
    inbox = make_inbox(qtbot)
    choose(inbox.intent_filter, "discount_request")
    choose(inbox.status_filter, "unread")
    assert shown(inbox) == ["T-1001", "T-1002"]
    qtbot.keyClicks(inbox.search, "winter10")  # only T-1002's body says it
    assert shown(inbox) == ["T-1002"]
    choose(inbox.urgency_filter, "high")
    assert shown(inbox) == []
    assert inbox.count.text() == "0 of 3 shown · 2 unread"
    inbox.clear_filters()
    assert shown(inbox) == ["T-1001", "T-1002", "T-1003"]
    assert inbox.search.text() == ""


def test_click_selects_a_ticket(qtbot: QtBot) -> None:
    inbox = make_inbox(qtbot)
    rect = inbox.view.visualRect(inbox.proxy.index(1, 0))
    with qtbot.waitSignal(inbox.ticketSelected, timeout=1000) as blocker:
        qtbot.mouseClick(inbox.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["T-1002"]


def test_keyboard_navigation_selects(qtbot: QtBot) -> None:
    inbox = make_inbox(qtbot)
    with qtbot.waitSignal(inbox.ticketSelected, timeout=1000) as first:
        inbox.select_first()
    assert first.args == ["T-1001"]
    inbox.view.setFocus()
    with qtbot.waitSignal(inbox.ticketSelected, timeout=1000) as down:
        qtbot.keyClick(inbox.view, Qt.Key.Key_Down)
    assert down.args == ["T-1002"]
    assert inbox.current_id() == "T-1002"


def test_keyboard_navigation_walks_only_the_filtered_rows(qtbot: QtBot) -> None:
    inbox = make_inbox(qtbot)
    choose(inbox.status_filter, "unread")
    inbox.search.setFocus()
    qtbot.keyClicks(inbox.search, "maya")
    # Down in the search box moves into the list, on its first row.
    with qtbot.waitSignal(inbox.ticketSelected, timeout=1000) as into:
        qtbot.keyClick(inbox.search, Qt.Key.Key_Down)
    assert into.args == ["T-1001"]
    assert inbox.view.hasFocus()
    with qtbot.waitSignal(inbox.ticketSelected, timeout=1000) as down:
        qtbot.keyClick(inbox.view, Qt.Key.Key_Down)
    assert down.args == ["T-1002"]
    with qtbot.assertNotEmitted(inbox.ticketSelected):
        qtbot.keyClick(inbox.view, Qt.Key.Key_Down)  # T-1003 is filtered out: stays on T-1002
    assert inbox.current_id() == "T-1002"


def test_opening_marks_read_and_the_row_stays_under_the_unread_filter(qtbot: QtBot) -> None:
    workspace = FakeWorkspace()
    inbox = make_inbox(qtbot, workspace)
    choose(inbox.status_filter, "unread")
    opened: list[str] = []
    # What the main window does: open the selected ticket, then mark it read.
    inbox.ticketSelected.connect(
        lambda ticket_id: (opened.append(ticket_id), inbox.mark_read(ticket_id))
    )
    with qtbot.waitSignal(inbox.ticketSelected, timeout=1000):
        inbox.select_first()
    assert "T-1001" in workspace.store.read
    assert inbox.proxy.index(0, 0).data(UNREAD_ROLE) is False
    # Still listed (no cascade opening the next ticket), until the filter is applied again.
    assert shown(inbox) == ["T-1001", "T-1002"] and opened == ["T-1001"]
    assert inbox.count.text() == "2 of 3 shown · 1 unread"
    choose(inbox.status_filter, "open")
    choose(inbox.status_filter, "unread")
    assert shown(inbox) == ["T-1002"]


def test_a_store_failure_leaves_the_ticket_unread(qtbot: QtBot) -> None:
    workspace = FakeWorkspace()
    inbox = make_inbox(qtbot, workspace)
    workspace.store.fail = DiskFull("Could not mark ticket T-1001 as read: the disk is full.")
    inbox.mark_read("T-1001")
    assert inbox.proxy.index(0, 0).data(UNREAD_ROLE) is True
    inbox.mark_read("T-1001")  # the next open tries again
    assert inbox.proxy.index(0, 0).data(UNREAD_ROLE) is False


def test_status_update_shows_in_the_row(qtbot: QtBot) -> None:
    inbox = make_inbox(qtbot)
    inbox.set_status("T-1001", "sent")
    assert inbox.proxy.index(0, 0).data(STATUS_ROLE) == "sent"


def test_new_ticket_button_and_ctrl_n_open_the_dialog(qtbot: QtBot) -> None:
    inbox = make_inbox(qtbot)
    assert inbox.new_button.objectName() == "newTicketButton"
    qtbot.mouseClick(inbox.new_button, Qt.MouseButton.LeftButton)
    dialog = inbox.new_ticket_dialog
    assert isinstance(dialog, NewTicketDialog) and dialog.isVisible()
    assert dialog.objectName() == "newTicketDialog"
    qtbot.mouseClick(inbox.new_button, Qt.MouseButton.LeftButton)  # a second click: same one
    assert inbox.new_ticket_dialog is dialog
    dialog.reject()
    assert inbox.new_ticket_dialog is None
    with qtbot.waitActive(inbox, timeout=3000):  # shortcuts fire only in the active window
        inbox.activateWindow()
    qtbot.keyClick(inbox.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    # A button's shortcut "animates" the click: it lands a moment later.
    qtbot.waitUntil(lambda: inbox.new_ticket_dialog is not None, timeout=1000)
    assert inbox.new_ticket_dialog is not None and inbox.new_ticket_dialog.isVisible()
    inbox.new_ticket_dialog.reject()


def test_without_a_store_new_ticket_is_off(qtbot: QtBot) -> None:
    inbox = Inbox()
    qtbot.addWidget(inbox)
    assert not inbox.new_button.isEnabled()
    inbox.open_new_ticket()
    assert inbox.new_ticket_dialog is None
    inbox.mark_read("T-1001")  # only the screen; nothing to write to


def test_every_control_has_an_accessible_name_and_tab_walks_them_in_order(qtbot: QtBot) -> None:
    inbox = make_inbox(qtbot)
    controls: list[QWidget] = [
        inbox.new_button,
        inbox.search,
        inbox.status_filter,
        inbox.urgency_filter,
        inbox.intent_filter,
        inbox.view,
    ]
    assert all(widget.accessibleName() for widget in controls)
    with qtbot.waitActive(inbox, timeout=3000):
        inbox.activateWindow()
    inbox.new_button.setFocus()
    qtbot.waitUntil(inbox.new_button.hasFocus, timeout=1000)
    for widget in controls[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget


def test_screenshot_with_filters(qtbot: QtBot, shot: Shot) -> None:
    workspace = FakeWorkspace()
    inbox = make_inbox(qtbot, workspace)
    shot(inbox, "inbox")
    choose(inbox.intent_filter, "discount_request")
    with qtbot.waitSignal(inbox.ticketSelected, timeout=1000):
        inbox.select_first()
    inbox.mark_read("T-1001")
    shot(inbox, "inbox_filtered")
