"""The New ticket dialog: a valid ticket is stored and selected; bad input is named, not stored."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.store import DiskFull
from app.store.new_ticket import MAX_BODY_CHARS
from tests.ui.conftest import FakeWorkspace
from ui.inbox import Inbox
from ui.new_ticket_dialog import NewTicketDialog

Shot = Callable[..., Path]


def open_dialog(qtbot: QtBot, workspace: FakeWorkspace) -> tuple[Inbox, NewTicketDialog]:
    inbox = Inbox(workspace.store)
    qtbot.addWidget(inbox)
    inbox.set_tickets(workspace.store.list_tickets())
    inbox.resize(300, 500)
    with qtbot.waitExposed(inbox):
        inbox.show()
    qtbot.mouseClick(inbox.new_button, Qt.MouseButton.LeftButton)
    dialog = inbox.new_ticket_dialog
    assert dialog is not None and dialog.isVisible()
    return inbox, dialog


def test_a_valid_ticket_is_created_listed_and_selected(qtbot: QtBot) -> None:
    workspace = FakeWorkspace()
    inbox, dialog = open_dialog(qtbot, workspace)
    dialog.body.setPlainText("\n  Hi, my scarf arrived torn.\nCan I get a new one?\n")
    qtbot.keyClicks(dialog.customer, "C-1001")
    qtbot.keyClicks(dialog.orders, "#4521, 9999")
    assert dialog.order_note.isVisibleTo(dialog)  # 9999 is unknown: noted, not refused
    assert "#9999" in dialog.order_note.text() and "#4521" not in dialog.order_note.text()
    selected: list[str] = []
    inbox.ticketSelected.connect(selected.append)
    with qtbot.waitSignal(inbox.ticketCreated, timeout=1000) as created:
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert created.args == ["T-1004"]
    assert inbox.new_ticket_dialog is None  # closed
    ticket = workspace.tickets["T-1004"]
    assert ticket.subject == "Hi, my scarf arrived torn."  # the first line
    assert ticket.customer_id == "C-1001"
    assert ticket.body.endswith("[Order numbers added by the agent: #4521, #9999]")
    assert inbox.current_id() == "T-1004" and selected == ["T-1004"]
    assert inbox.count.text() == "4 tickets · 2 unread"  # typed in by the agent: already read


def test_a_filter_hiding_the_new_ticket_is_cleared(qtbot: QtBot) -> None:
    workspace = FakeWorkspace()
    inbox, dialog = open_dialog(qtbot, workspace)
    inbox.status_filter.setCurrentIndex(inbox.status_filter.findData("sent"))
    qtbot.keyClicks(dialog.subject, "Call back")
    dialog.body.setPlainText("Please call me back.")
    with qtbot.waitSignal(inbox.ticketCreated, timeout=1000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert inbox.current_id() == "T-1004"
    assert inbox.status_filter.currentData() == ""
    assert workspace.tickets["T-1004"].subject == "Call back"


@pytest.mark.parametrize(
    ("fill", "field", "message"),
    [
        ({}, "body", "it is empty"),
        ({"body": "  \n\t \n "}, "body", "it is empty"),
        ({"body": "x" * 100_001}, "body", "100,001 characters long; the limit is 100,000"),
        ({"body": "Hello\nbad \x00 byte"}, "body", r"not text \(U\+0000, line 2\)"),
        ({"body": "Hi", "subject": "ding \x07"}, "subject", r"U\+0007"),
        ({"body": "Hi", "subject": "s" * 250}, "subject", "keep it under 200"),
        ({"body": "Hi", "customer": "C-9999"}, "customer_id", "No customer has the id C-9999"),
        ({"body": "Hi", "customer": "Maya Chen"}, "customer_id", "one word"),
        ({"body": "Hi", "orders": "45/21"}, "order_ids", "not an order number"),
    ],
)
def test_bad_input_is_named_under_its_field_and_nothing_is_created(
    qtbot: QtBot, fill: dict[str, str], field: str, message: str
) -> None:
    workspace = FakeWorkspace()
    inbox, dialog = open_dialog(qtbot, workspace)
    dialog.body.setPlainText(fill.get("body", ""))
    dialog.subject.setText(fill.get("subject", ""))
    dialog.customer.setText(fill.get("customer", ""))
    dialog.orders.setText(fill.get("orders", ""))
    with qtbot.assertNotEmitted(inbox.ticketCreated):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    problem = dialog.problems[field]
    assert problem.isVisibleTo(dialog)
    assert re.search(message, problem.text()), problem.text()
    assert sorted(workspace.tickets) == ["T-1001", "T-1002", "T-1003"]
    # Fixing the input and trying again works, and the old message goes away.
    dialog.body.setPlainText("A fine message.")
    dialog.subject.clear()
    dialog.customer.clear()
    dialog.orders.clear()
    with qtbot.waitSignal(inbox.ticketCreated, timeout=1000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert sorted(workspace.tickets)[-1] == "T-1004"


def test_a_one_megabyte_paste_is_refused_before_it_reaches_the_editor(qtbot: QtBot) -> None:
    workspace = FakeWorkspace()
    inbox, dialog = open_dialog(qtbot, workspace)
    dialog.body.setPlainText("Keep me. ")
    dialog.body.moveCursor(QTextCursor.MoveOperation.End)
    QApplication.clipboard().setText("z" * 1_048_576)
    dialog.body.paste()
    assert dialog.body.toPlainText() == "Keep me. "  # nothing pasted, nothing lost
    problem = dialog.problems["body"]
    assert problem.isVisibleTo(dialog)
    assert problem.text().startswith("Nothing was pasted: the text is 1,048,576 characters long")
    QApplication.clipboard().setText("and a normal paste")
    dialog.body.paste()
    assert dialog.body.toPlainText() == "Keep me. and a normal paste"
    with qtbot.waitSignal(inbox.ticketCreated, timeout=1000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert workspace.tickets["T-1004"].body == "Keep me. and a normal paste"


def test_the_counter_warns_before_the_limit_is_hit(qtbot: QtBot) -> None:
    _inbox, dialog = open_dialog(qtbot, FakeWorkspace())
    assert dialog.counter.text() == "0 / 100,000 characters"
    dialog.body.setPlainText("y" * (MAX_BODY_CHARS + 1))
    assert dialog.counter.text() == "100,001 / 100,000 characters — too long"
    # Counted as the store counts: an emoji is one character (two UTF-16 units to Qt).
    dialog.body.setPlainText("🙂" * 60_000)
    assert dialog.counter.text() == "60,000 / 100,000 characters"


def test_a_store_failure_is_shown_in_the_dialog(qtbot: QtBot) -> None:
    workspace = FakeWorkspace()
    inbox, dialog = open_dialog(qtbot, workspace)
    workspace.store.fail = DiskFull("Could not add the new ticket: the disk is full.")
    dialog.body.setPlainText("Where is my parcel?")
    with qtbot.assertNotEmitted(inbox.ticketCreated):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.problems["general"].text() == (
        "The ticket was not created. Could not add the new ticket: the disk is full."
    )
    assert dialog.body.toPlainText() == "Where is my parcel?"  # nothing typed is lost


def test_cancel_creates_nothing(qtbot: QtBot) -> None:
    workspace = FakeWorkspace()
    inbox, dialog = open_dialog(qtbot, workspace)
    dialog.body.setPlainText("Never mind")
    with qtbot.assertNotEmitted(inbox.ticketCreated):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert inbox.new_ticket_dialog is None
    assert len(workspace.tickets) == 3


def test_accessible_names_and_tab_order(qtbot: QtBot) -> None:
    _inbox, dialog = open_dialog(qtbot, FakeWorkspace())
    order = [
        dialog.body,
        dialog.subject,
        dialog.customer,
        dialog.orders,
        dialog.channel,
        dialog.create_button,
    ]
    assert all(widget.accessibleName() for widget in order)
    with qtbot.waitActive(dialog, timeout=3000):
        dialog.activateWindow()
    dialog.body.setFocus()
    qtbot.waitUntil(dialog.body.hasFocus, timeout=1000)
    for widget in order[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget


def test_screenshot(qtbot: QtBot, shot: Shot) -> None:
    _inbox, dialog = open_dialog(qtbot, FakeWorkspace())
    dialog.body.setPlainText(
        "Hello,\n\nI ordered two scarves (order #4521) and one arrived torn.\n"
        "Could you send a replacement before the 20th?\n\nThanks, Maya"
    )
    dialog.customer.setText("C-9999")
    qtbot.keyClicks(dialog.orders, "4521, 7777")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    shot(dialog, "new_ticket_dialog")
