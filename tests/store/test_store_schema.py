"""Opening a database: file, schema, pragmas, versioning, and the Qt-free boundary."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.store import DatabaseUnreadable, Store
from app.store.schema import SCHEMA_VERSION

TABLES = {
    "customers",
    "orders",
    "order_items",
    "policies",
    "policies_fts",
    "tickets",
    "runs",
    "run_steps",
    "policy_limits",
}


def test_open_creates_folder_file_and_schema(db_path: Path) -> None:
    assert not db_path.parent.exists()
    with Store.open(db_path) as store:
        assert store.is_empty()
    assert db_path.is_file()
    conn = sqlite3.connect(db_path)
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert names >= TABLES
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        ticket_columns = [row[1] for row in conn.execute("PRAGMA table_info(tickets)")]
        assert ticket_columns == [
            "id",
            "customer_id",
            "subject",
            "body",
            "channel",
            "received_at",
            "status",
            "draft",
            "draft_saved_at",
            "sent_text",
            "sent_at",
            "read_at",
        ]
        order_columns = [row[1] for row in conn.execute("PRAGMA table_info(orders)")]
        assert order_columns[-2:] == ["eta", "delivered_at"]
    finally:
        conn.close()


def test_pragmas_wal_full_sync_foreign_keys_and_integrity(seeded: Store) -> None:
    conn = seeded._conn  # the store's own connection: pragmas are per connection
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_reopen_keeps_data_and_does_not_migrate_again(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.load_seed({"tickets": [_ticket("T-1")]})
    with Store.open(db_path) as store:
        assert [t.id for t in store.list_tickets()] == ["T-1"]


def test_newer_schema_is_refused_with_a_plain_message(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(DatabaseUnreadable, match="newer version of Stepwise"):
        Store.open(db_path)


def test_store_package_never_imports_qt() -> None:
    code = (
        "import sys, app.store\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync', 'ui')]\n"
        "assert not bad, bad\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def _ticket(ticket_id: str) -> dict[str, object]:
    return {
        "id": ticket_id,
        "customer_id": None,
        "subject": "Hello",
        "body": "Where is my parcel?",
        "channel": "email",
        "received_at": "2026-12-01T10:00:00",
    }
