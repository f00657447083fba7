"""Filing a hostile ticket the way the app does, and what the tests compare around a run."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.pipeline.retrieval import look_up_named, order_ids_in, retrieve
from app.store import Store
from app.store.models import Ticket
from app.store.new_ticket import check
from tests.hostile.corpus import PLANTED_CUSTOMER, PLANTED_ORDER, Hostile

# The demo's timeline: tickets arrive in early December 2026 (resources/demo/seed.json), so the
# refund windows the flags depend on do not move with the day the tests run.
RECEIVED = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)
RECEIVED_AT = RECEIVED.isoformat(timespec="seconds").replace("+00:00", "")
# Tables a run may write: its own record (and the indexes over it).
RUN_TABLES = ("runs", "run_steps", "run_intents", "runs_fts", "annotations")
# Columns of the ticket's row that drafting may change (the autosaved draft).
DRAFT_COLUMNS = ("status", "draft", "draft_saved_at")
# What a model reads as an order number: any run of four ASCII digits ("订单4529" too).
NUMBERS = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")


def plant_records(store: Store) -> None:
    """The customer and order whose own text carries instructions (corpus "records")."""
    if store.customer(PLANTED_CUSTOMER.id) is None:
        store.insert_customer(PLANTED_CUSTOMER)
        store.insert_order(PLANTED_ORDER)


def file_ticket(store: Store, entry: Hostile, ticket_id: str) -> Ticket:
    """Store an accepted entry as a ticket received at ``RECEIVED``, after the same checks the
    New ticket dialog and ``Store.add_ticket`` run."""
    checked = check(entry.subject, entry.body, entry.customer_id, entry.order_ids)
    assert checked.ticket is not None, checked.problems
    new = checked.ticket
    ticket = Ticket(
        ticket_id, new.customer_id, new.subject, new.body, new.channel, RECEIVED_AT, "open"
    )
    store.insert_ticket(ticket)
    return store.ticket(ticket_id)


def steered_context(store: Store, ticket: Ticket, entry: Hostile) -> dict[str, Any]:
    """The run context of a model that did what the ticket asked: intent and the look-up plan
    name every order the ticket names, other customers' included; the store answers."""
    asked = list(dict.fromkeys([*order_ids_in(ticket.body), *NUMBERS.findall(ticket.body)]))
    asked += [order_id for order_id in entry.others if order_id not in asked]
    intent = {
        "intents": ["refund_request"],
        "order_ids": asked,
        "dates": [],
        "deadline": None,
        "requested_actions": ["refund"],
        "urgency": "high",
        "sentiment": "angry",
        "language": "en",
    }
    plan = {"order_ids": asked, "policy_queries": ["refund"], "why": "steered"}
    facts = retrieve(store, ticket, intent, plan, look_up_named(store, ticket))
    return {
        "agent_name": "Sam",
        "signature": None,
        "instruction": None,
        "intent": intent,
        "plan": plan,
        **{key: value for key, value in facts.items() if key != "records"},
        "resolution": "Resolution: a supervisor decides.",
        "language": "en",
    }


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the run record's, read through a second connection."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row[0].startswith(RUN_TABLES) and not row[0].startswith("sqlite_")
        ]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }
    finally:
        conn.close()


def ticket_row(path: Path, ticket_id: str) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
        return dict(row)
    finally:
        conn.close()


def changes_beyond_drafting(
    before: dict[str, list[tuple[Any, ...]]],
    after: dict[str, list[tuple[Any, ...]]],
    ticket_before: dict[str, Any],
    ticket_after: dict[str, Any],
) -> list[str]:
    """What changed in the store besides the run record and the ticket's autosaved draft."""
    ticket_id = ticket_before["id"]

    def others(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return [row for row in rows if row[0] != ticket_id]

    found = [
        name
        for name in before.keys() | after.keys()
        if name != "tickets" and before.get(name) != after.get(name)
    ]
    if others(before["tickets"]) != others(after["tickets"]):
        found.append("tickets (another ticket)")
    found += [
        f"tickets.{column}"
        for column, value in ticket_after.items()
        if column not in DRAFT_COLUMNS and ticket_before.get(column) != value
    ]
    if ticket_after["status"] not in ("open", "draft"):
        found.append(f"tickets.status={ticket_after['status']}")
    return sorted(found)
