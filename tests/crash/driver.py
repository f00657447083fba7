"""The child side of the kill harness: the real app, ``stepwise --demo``, worked like an agent.

``python -m tests.crash.driver --phase typing --seed 7 [--check T-1001,T-1030]`` starts the app
through its own entry point (``ui.main.main(["--demo"])``): the same start-up, workspace lock,
crash hook, demo workspace and in-process simulator a user gets. The product knows nothing of
this module: an application-wide event filter notices the main window being shown and starts
``drive`` on the app's own asyncio loop, which works the real widgets (the inbox, the Draft
reply action, the reply editor through key events, the Send button).

Every line on stdout is one JSON object, written and flushed before the next action, so the
parent knows what must survive the kill it is about to deliver:

    {"ev": "ready", "pid": 123}
    {"ev": "state", "integrity": [...], "tickets": {...}, "shown": {...}}  (what came back)
    {"ev": "phase", "phase": "typing", "ticket": "T-1001", "base": "..."}
    {"ev": "typed", "t": <time.monotonic()>, "c": "x"}           (after the key event)
    {"ev": "saved", "t": ..., "length": 42}                      (after the autosave wrote)
    {"ev": "run_started"} / {"ev": "step", "step": "intent"} / {"ev": "reply_text", "text": "..."}
    {"ev": "run_finished", "ok": true, "draft": "..."}            (after the window saved it)
    {"ev": "send_click", "ticket": ..., "text": ...} / {"ev": "send_ack", "ticket": ...}
    {"ev": "dialog", "name": ..., "text": ...}                   (any message box: a failure)

``--phase verify`` reports the state and closes the window the normal way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable
from contextlib import closing, suppress
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, SignalInstance
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.store import Store
from ui.main_window import MainWindow

PHASES = ("streaming", "typing", "sending")
# What the agent types: letters, spaces and full stops (plain key events on every platform).
TYPED = (
    "Thanks for your patience. I checked the carrier and your parcel is moving again. "
    "It should reach you by Friday. I added a small credit for the delay. "
)
RUN_TIMEOUT_S = 60.0


def emit(event: str, **fields: Any) -> None:
    sys.stdout.write(json.dumps({"ev": event, **fields}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


async def next_emission(
    signal: SignalInstance, wanted: Callable[..., bool] = lambda *_: True
) -> None:
    """Wait for the next emission of ``signal`` whose arguments ``wanted`` accepts."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_emit(*args: object) -> None:
        if wanted(*args) and not done.done():
            done.set_result(None)

    signal.connect(on_emit)
    try:
        await asyncio.wait_for(done, RUN_TIMEOUT_S)
    finally:
        with suppress(RuntimeError):  # the window (and its signals) may be gone by now
            signal.disconnect(on_emit)


# --- what came back ---


def report_state(window: MainWindow, checks: list[str]) -> None:
    store = window.workspace.store
    assert isinstance(store, Store)
    uri = f"{store.path.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        runs = conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    tickets = {}
    for summary in store.list_tickets():  # through the app's own store API
        ticket = store.ticket(summary.id)
        tickets[ticket.id] = {
            "status": ticket.status,
            "draft": ticket.draft,
            "sent_text": ticket.sent_text,
        }
    shown = {}
    for ticket_id in checks:  # as the restarted window shows them
        listed = window.inbox.select(ticket_id)
        shown[ticket_id] = {
            "listed": listed,
            "editor": window.editor.text(),
            "sent": window.editor.is_sent(),
            "send_enabled": window.editor.send_button.isEnabled(),
        }
    emit("state", integrity=integrity, runs=runs, tickets=tickets, shown=shown)


# --- the three phases: each goes on until the parent kills the process ---


def work_ticket(window: MainWindow, *, create: bool = False) -> str:
    """The first ticket not yet answered (a new one when all are, and ``create``)."""
    store = window.workspace.store
    open_ids = [t.id for t in store.list_tickets() if t.status != "sent"]
    if open_ids:
        return min(open_ids, key=lambda ticket_id: (len(ticket_id), ticket_id))
    if not create:
        raise LookupError("every ticket is answered")
    ticket = store.add_ticket(
        "My parcel has not arrived yet. Could you check where it is?",
        subject="Where is my parcel?",
    )
    window.inbox.set_tickets(store.list_tickets())
    return ticket.id


def open_ticket(window: MainWindow, ticket_id: str) -> None:
    if not window.inbox.select(ticket_id):
        raise LookupError(f"ticket {ticket_id} is not in the inbox")
    editor = window.editor.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)


async def streaming(window: MainWindow, rng: random.Random) -> None:
    """Draft the reply, then Regenerate it, again and again: the pipeline always streams."""
    ticket_id = work_ticket(window, create=True)
    open_ticket(window, ticket_id)
    emit("phase", phase="streaming", ticket=ticket_id, base=window.editor.text())
    bridge = window.bridge
    # Connected after the window's own slots, so these run once the window has saved the draft.
    bridge.stepStarted.connect(lambda step, _model: emit("step", step=step))
    bridge.textAppended.connect(
        lambda step, text: emit("reply_text", text=text) if step == "reply" else None
    )
    bridge.runFinished.connect(
        lambda event: emit("run_finished", ok=event.ok, draft=window.editor.text())
    )
    first = True
    while True:
        idle = asyncio.ensure_future(next_emission(bridge.runningChanged, lambda on: not on))
        emit("run_started")
        if first:
            window.draft_action.trigger()
        else:
            window.editor.regenerate_button.click()
        first = False
        await idle  # the run is recorded by now: Regenerate may start from it
        await asyncio.sleep(rng.uniform(0.0, 0.3))


async def typing(window: MainWindow, rng: random.Random) -> None:
    """Type at a human pace (about 7 characters a second, with pauses) and never stop."""
    ticket_id = work_ticket(window, create=True)
    open_ticket(window, ticket_id)
    editor = window.editor.editor
    emit("phase", phase="typing", ticket=ticket_id, base=window.editor.text())
    window.editor.draftChanged.connect(
        lambda text: emit("saved", t=time.monotonic(), length=len(text))
    )
    for index in range(10**9):
        char = TYPED[index % len(TYPED)]
        QTest.keyClicks(editor, char)  # a real key event: the editor's userEdited follows
        emit("typed", t=time.monotonic(), c=char)
        pause = rng.uniform(0.06, 0.22)
        if char == " " and rng.random() < 0.1:
            pause += rng.uniform(0.4, 1.0)  # thinking of the next word
        await asyncio.sleep(pause)


async def sending(window: MainWindow, rng: random.Random) -> None:
    """Answer one ticket after another: write a line, click Send."""
    emit("phase", phase="sending")
    for number in range(10**9):
        ticket_id = work_ticket(window, create=True)
        open_ticket(window, ticket_id)
        line = f"Reply {number} from the kill harness."
        QTest.keyClicks(window.editor.editor, (" " if window.editor.text() else "") + line)
        await asyncio.sleep(rng.uniform(0.0, 0.15))
        text = window.editor.text()
        emit("send_click", ticket=ticket_id, text=text)
        window.editor.send_button.click()
        box = window.message_box
        if (
            box is not None
            and box.isVisible()
            and box.objectName() in ("approvalBox", "incompleteBox")
        ):
            box.button(QMessageBox.StandardButton.Yes).click()
        if not window.editor.is_sent():
            emit("send_failed", ticket=ticket_id)
            raise RuntimeError(f"the reply to {ticket_id} was not sent")
        emit("send_ack", ticket=ticket_id)
        await asyncio.sleep(rng.uniform(0.0, 0.15))


async def drive(window: MainWindow, args: argparse.Namespace) -> None:
    try:
        emit("ready", pid=os.getpid())
        report_state(window, [c for c in args.check.split(",") if c])
        if args.phase == "verify":
            window.close()
            return
        phase = {"streaming": streaming, "typing": typing, "sending": sending}[args.phase]
        await phase(window, random.Random(args.seed))
    except asyncio.CancelledError:
        raise
    except BaseException:
        emit("driver_error", error=traceback.format_exc())
        window.close()


class Watcher(QObject):
    """Starts ``drive`` when the main window is shown; reports every message box."""

    def __init__(self, args: argparse.Namespace) -> None:
        super().__init__()
        self.args = args
        self.task: asyncio.Future[None] | None = None  # a strong reference for the loop

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            if isinstance(watched, MainWindow) and self.task is None:
                self.task = asyncio.ensure_future(drive(watched, self.args))
            elif isinstance(watched, QMessageBox):
                emit("dialog", name=watched.objectName(), text=watched.text())
                if watched.objectName() == "startupProblem":  # modal: close it, exit code 2
                    QTimer.singleShot(0, watched.accept)
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=(*PHASES, "verify"), required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", default="", help="ticket ids to open and report (a,b,c)")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(["stepwise"])
    watcher = Watcher(args)
    app.installEventFilter(watcher)
    from ui.main import main as stepwise

    code = stepwise(["--demo"])
    emit("exit", code=code)
    return code


if __name__ == "__main__":
    sys.exit(main())
