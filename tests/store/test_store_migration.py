"""A database written by an earlier Stepwise migrates in place, keeping every row.

The schema-1 file is built with the very statements schema-1 Stepwise ran (``MIGRATIONS[1]``, which
is never edited; a checksum below holds it to that), on a connection set up the way Stepwise
always sets one up.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store import Store, seed_demo
from app.store.db import connect
from app.store.schema import MIGRATIONS, SCHEMA_VERSION

# sha256 of "\n".join(MIGRATIONS[1]) as released. A change here breaks every existing database.
SCHEMA_V1_SHA256 = "1969c961d2f35fdace6ec393635ab9694de16acfb4fdbaef228b4cf210d15f1a"


def _at_version(path: Path, version: int) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path, read_only=False, busy_timeout_s=1.0)
    conn.execute("BEGIN IMMEDIATE")
    for step in range(1, version + 1):
        for statement in MIGRATIONS[step]:
            if callable(statement):
                statement(conn)
            else:
                conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("COMMIT")
    return conn


V1_ROWS = (
    "INSERT INTO customers VALUES ('C-1', 'Ann Lee', 'ann@example.com', 0, NULL, '2024-01-02',"
    " 'en', 2, '')",
    "INSERT INTO orders VALUES ('7001', 'C-1', '2026-11-20', 38900, 'USD', 'delivered',"
    " 'standard', 'UPS', '1Z1', 'delivered', 'Denver, CO', '2026-11-30T15:08:00', '2026-11-30')",
    "INSERT INTO orders VALUES ('7002', 'C-1', '2026-12-01', 1000, 'USD', 'shipped',"
    " 'standard', 'USPS', '94', 'in_transit', 'Reno, NV', '2026-12-02T08:00:00', '2026-12-09')",
    "INSERT INTO order_items VALUES ('7001', 1, 'HOME-ESP', 'Espresso machine', 1, 38900)",
    "INSERT INTO policies VALUES ('POL-REFUNDS', 'Refunds', 'Refunds within 30 days.',"
    " '[\"refund\"]')",
    "INSERT INTO tickets (id, customer_id, subject, body, channel, received_at)"
    " VALUES ('T-1', 'C-1', 'Leaks', 'My espresso machine leaks.', 'email', '2026-12-09T11:18:00')",
    "INSERT INTO runs VALUES ('R-old-1', 'T-1', '2026-12-09T11:20:00', '2026-12-09T11:20:09', 0,"
    " NULL)",
    "INSERT INTO runs VALUES ('R-old-2', 'T-1', '2026-12-09T11:30:00', '2026-12-09T11:30:08', 1,"
    " 'Hi Ann,')",
    "INSERT INTO run_steps VALUES ('R-old-1', 0, 'intent', 'flash', 400, 90, 0, 0.4, 0.2, 'done',"
    ' \'{"intents": ["refund"]}\', NULL)',
    "INSERT INTO run_steps VALUES ('R-old-1', 1, 'reasoning', 'gpt-4.1', 1200, NULL, 1, 2.0,"
    " NULL, 'failed', 'partial', 'Rate limited')",
    "INSERT INTO run_steps VALUES ('R-old-2', 0, 'reply', 'sonnet', 800, 150, 0, 1.1, 0.3,"
    " 'done', 'Hi Ann,', NULL)",
)


@pytest.fixture
def v1_path(db_path: Path) -> Iterator[Path]:
    conn = _at_version(db_path, 1)
    try:
        conn.execute("BEGIN")
        for statement in V1_ROWS:
            conn.execute(statement)
        conn.execute("COMMIT")
    finally:
        conn.close()
    yield db_path


def test_schema_1_is_as_released() -> None:
    text = "\n".join(MIGRATIONS[1])
    assert hashlib.sha256(text.encode()).hexdigest() == SCHEMA_V1_SHA256
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))
    assert SCHEMA_VERSION == 5


def test_runs_of_schema_1_migrate_with_defaults(v1_path: Path) -> None:
    with Store.open(v1_path) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        failed, ok = store.run("R-old-1"), store.run("R-old-2")
    assert (failed["ok"], failed["status"], ok["ok"], ok["status"]) == (False, "failed", True, "ok")
    assert (failed["input_tokens"], failed["output_tokens"]) == (1600, 90)  # summed from steps
    assert (ok["input_tokens"], ok["output_tokens"], ok["draft"]) == (800, 150, "Hi Ann,")
    for run in (failed, ok):
        assert (run["flags_json"], run["config_json"], run["cost_usd"]) == ([], {}, 0.0)
        assert (run["needs_approval"], run["cost_estimated"]) == (False, False)
        assert (run["rerun_of"], run["from_step"], run["agent_name"]) == (None, None, None)
    intent, reasoning = failed["steps"]
    assert (intent["step"], intent["model"], intent["status"]) == ("intent", "flash", "done")
    assert intent["raw_output"] == intent["output_text"] == '{"intents": ["refund"]}'
    assert (reasoning["error"], reasoning["tokens_estimated"]) == ("Rate limited", True)
    assert (reasoning["retries"], reasoning["pruned_messages"]) == (0, 0)
    assert (reasoning["cache_hit"], reasoning["fallback_used"], reasoning["repaired"]) == (
        False,
        False,
        False,
    )
    assert reasoning["messages_json"] is None and reasoning["cost_usd"] is None


def test_records_of_schema_1_are_kept(v1_path: Path) -> None:
    with Store.open(v1_path) as store:
        delivered, in_transit = store.order("7001"), store.order("7002")
        assert delivered is not None and in_transit is not None
        assert (delivered.total, delivered.items[0].unit_price) == (389.0, 389.0)
        assert delivered.delivered_at == "2026-11-30"  # the delivery scan's date
        assert in_transit.delivered_at is None
        assert store.ticket("T-1").body == "My espresso machine leaks."
        assert [p.id for p in store.search_policies("refund")] == ["POL-REFUNDS"]  # FTS kept
        assert store.policy_limits() == []
        assert store.run_ids("T-1") == ["R-old-2", "R-old-1"]


def test_migrated_file_is_whole_and_still_wal(v1_path: Path) -> None:
    with Store.open(v1_path) as store:
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    plain = sqlite3.connect(v1_path)  # WAL is a property of the file, not of our connection
    try:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        plain.close()


def test_migrated_store_takes_new_runs_and_reopens_without_migrating(v1_path: Path) -> None:
    with Store.open(v1_path) as store:
        store.record_run(
            "R-new",
            "T-1",
            "2026-12-09T12:00:00",
            "2026-12-09T12:00:05",
            True,
            "Hi Ann, refund approved",
            [{"step": "reply", "status": "done", "cost_usd": 0.01, "retries": 1}],
            needs_approval=True,
            rerun_of="R-old-2",
            from_step="reply",
        )
    with Store.open(v1_path) as store:
        run = store.run("R-new")
        assert (run["needs_approval"], run["rerun_of"], run["cost_usd"]) == (True, "R-old-2", 0.01)
        assert store.run_ids("T-1")[0] == "R-new"


def test_a_fresh_database_and_a_migrated_one_have_the_same_schema(
    v1_path: Path, tmp_path: Path
) -> None:
    Store.open(v1_path).close()
    fresh = tmp_path / "fresh.sqlite"
    Store.open(fresh).close()
    assert _columns(v1_path) == _columns(fresh)


def _columns(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            table: [tuple(row) for row in conn.execute(f"PRAGMA table_info({table})")]
            for table in sorted(tables)
        }
    finally:
        conn.close()


def test_demo_database_without_limits_gets_them_once(store: Store) -> None:
    assert seed_demo(store) is True
    limits = store.policy_limits()
    # A demo database seeded before schema 2 has tickets but no limits.
    store._conn.execute("DELETE FROM policy_limits")
    assert seed_demo(store) is False
    assert store.policy_limits() == limits
    assert seed_demo(store) is False
    assert store.policy_limits() == limits
    assert len(store.list_tickets()) == 27  # the tickets were not loaded twice
