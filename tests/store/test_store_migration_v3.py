"""Schema 2 → 3: tickets gain ``read_at``; those an older Stepwise already worked count as read."""

from __future__ import annotations

from pathlib import Path

from app.store import Store
from app.store.schema import SCHEMA_VERSION
from tests.store.test_store_migration import _at_version

V2_ROWS = (
    "INSERT INTO tickets (id, subject, body, channel, received_at) VALUES"
    " ('T-1', 'New', 'Untouched.', 'email', '2026-12-09T09:00:00'),"
    " ('T-2', 'Ran', 'Pipeline ran.', 'chat', '2026-12-09T09:10:00'),"
    " ('T-3', 'Sent', 'Answered.', 'web', '2026-12-09T09:20:00')",
    "UPDATE tickets SET status = 'sent', draft = 'Hi', draft_saved_at = '2026-12-09T10:05:00',"
    " sent_text = 'Hi', sent_at = '2026-12-09T10:06:00' WHERE id = 'T-3'",
    "INSERT INTO runs (id, ticket_id, started_at, ok) VALUES"
    " ('R-b', 'T-2', '2026-12-09T10:30:00', 1), ('R-a', 'T-2', '2026-12-09T10:00:00', 0)",
    "INSERT INTO run_steps (run_id, seq, step, status, parsed_json) VALUES"
    " ('R-b', 0, 'intent', 'done', '{\"intents\": [\"refund_request\"], \"urgency\": \"normal\"}')",
)


def test_schema_2_tickets_migrate_with_read_state(db_path: Path) -> None:
    conn = _at_version(db_path, 2)
    try:
        conn.execute("BEGIN")
        for statement in V2_ROWS:
            conn.execute(statement)
        conn.execute("COMMIT")
    finally:
        conn.close()
    with Store.open(db_path) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        read_at = dict(store._conn.execute("SELECT id, read_at FROM tickets").fetchall())
        rows = {row.id: row for row in store.list_tickets()}
    # The earliest moment an older Stepwise shows the ticket was opened.
    assert read_at == {"T-1": None, "T-2": "2026-12-09T10:00:00", "T-3": "2026-12-09T10:05:00"}
    assert [rows[t].unread for t in ("T-1", "T-2", "T-3")] == [True, False, False]
    assert (rows["T-2"].intents, rows["T-2"].urgency) == (("refund_request",), "normal")
    assert store_ids_continue(db_path) == "T-4"


def store_ids_continue(db_path: Path) -> str:
    with Store.open(db_path) as store:
        return store.add_ticket("After the upgrade").id
