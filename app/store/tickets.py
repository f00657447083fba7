"""SQL for the inbox and for tickets the agent adds by hand.

The inbox is one query, whatever the number of tickets: each row carries the intents and urgency
of the ticket's latest classified run. "Latest classified" is the newest run whose intent step
gave an answer (done, cached, or kept from an earlier run); a later run that failed or was stopped
before classifying does not make a known ticket look unclassified. The look-up per ticket walks
the ``runs_by_ticket`` index newest first and the run_steps primary key, so it stays cheap for
thousands of tickets with many runs each.
"""

from __future__ import annotations

import sqlite3

from .new_ticket import NewTicket

FIRST_TICKET_NUMBER = 1001  # an empty store starts at "T-1001", as the demo shop does

# The rowid of the ticket's latest classifying intent step, evaluated once per ticket: the row is
# then joined by rowid, so reading several fields of its answer does not repeat the look-up.
# The unary + on step and status keeps SQLite on the ticket's runs and their steps by primary
# key: without statistics it would otherwise pick run_steps_by_step (schema 5) and read every
# intent step ever recorded, for each ticket.
_LATEST_INTENT = (
    "SELECT s.rowid FROM runs r JOIN run_steps s ON s.run_id = r.id"
    " WHERE r.ticket_id = t.id AND +s.step = 'intent'"
    " AND +s.status IN ('done', 'cached', 'kept')"
    " AND s.parsed_json IS NOT NULL AND json_valid(s.parsed_json)"
    " ORDER BY r.started_at DESC, r.id DESC, s.seq DESC LIMIT 1"
)

# The preview needs only the body's start; a pasted 100,000-character body is not read whole.
PREVIEW_SOURCE_CHARS = 2000

# json_type is NULL for a missing path and for a path into a JSON array or scalar.
INBOX = (
    f"SELECT t.id, t.subject, substr(t.body, 1, {PREVIEW_SOURCE_CHARS}) AS body,"
    " t.received_at, t.status, c.name AS customer_name,"
    " t.read_at IS NULL AS unread,"
    " CASE WHEN json_type(i.parsed_json, '$.intents') = 'array'"
    "  THEN json_extract(i.parsed_json, '$.intents') END AS intents_json,"
    " CASE WHEN json_type(i.parsed_json, '$.urgency') = 'text'"
    "  THEN json_extract(i.parsed_json, '$.urgency') END AS urgency"
    " FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id"
    f" LEFT JOIN run_steps i ON i.rowid = ({_LATEST_INTENT})"
    " ORDER BY t.received_at DESC, t.id DESC"
)

# Ids like "T-1027" only: an imported "T-1a" or "X-9" does not count.
_LAST_NUMBER = (
    "SELECT max(CAST(substr(id, 3) AS INTEGER)) FROM tickets"
    " WHERE id GLOB 'T-[0-9]*' AND substr(id, 3) NOT GLOB '*[^0-9]*'"
)

_INSERT = (
    "INSERT INTO tickets (id, customer_id, subject, body, channel, received_at, status, read_at)"
    " VALUES (?, ?, ?, ?, ?, ?, 'open', ?)"
)


def next_ticket_id(conn: sqlite3.Connection) -> str:
    """The id after the highest "T-<number>" stored; call inside the write transaction."""
    last = conn.execute(_LAST_NUMBER).fetchone()[0]
    number = FIRST_TICKET_NUMBER if last is None else int(last) + 1
    return f"T-{number}"


def customer_exists(conn: sqlite3.Connection, customer_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM customers WHERE id = ?", (customer_id,)).fetchone()
    return row is not None


def insert_new(conn: sqlite3.Connection, ticket_id: str, ticket: NewTicket, now: str) -> None:
    """Store a checked ticket as received now. The agent typed it in, so it is already read."""
    conn.execute(
        _INSERT,
        (ticket_id, ticket.customer_id, ticket.subject, ticket.body, ticket.channel, now, now),
    )


def mark_read(conn: sqlite3.Connection, ticket_id: str, now: str) -> int:
    """Stamp the first opening; returns the number of rows changed (0: read before, or no such
    ticket)."""
    return conn.execute(
        "UPDATE tickets SET read_at = ? WHERE id = ? AND read_at IS NULL", (now, ticket_id)
    ).rowcount


def ticket_exists(conn: sqlite3.Connection, ticket_id: str) -> bool:
    return conn.execute("SELECT 1 FROM tickets WHERE id = ?", (ticket_id,)).fetchone() is not None
