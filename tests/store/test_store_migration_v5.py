"""Schema 4 → 5: runs already stored get what the supervisor's history shows and searches."""

from __future__ import annotations

import json
from pathlib import Path

from app.store import HistoryFilter, Store
from app.store.schema import SCHEMA_VERSION
from tests.store.test_store_migration import _at_version

DRAFT = "Hi Ann, your refund of $389 for the espresso machine is on its way to your card."
INTENT = json.dumps({"intents": ["refund_request", "damaged_item"], "urgency": "high"})

V4_ROWS = (
    "INSERT INTO customers VALUES ('C-1', 'Ann Lee', 'ann@example.com', 0, NULL, '2024-01-02',"
    " 'en', 2, '')",
    "INSERT INTO tickets (id, customer_id, subject, body, channel, received_at, status, sent_text,"
    " sent_at) VALUES ('T-1', 'C-1', 'Leaks', 'My espresso machine leaks.', 'email',"
    f" '2026-12-09T11:18:00', 'sent', '{DRAFT} Sorry!', '2026-12-09T12:00:00'),"
    " ('T-2', NULL, 'Where is it', 'Parcel late.', 'chat', '2026-12-09T11:30:00', 'open', NULL,"
    " NULL)",
    # R-a ok, R-b ok and newest before the reply was sent, R-c started after sending.
    "INSERT INTO runs (id, ticket_id, started_at, finished_at, ok, draft, status, agent_name)"
    " VALUES ('R-a', 'T-1', '2026-12-09T11:20:00', '2026-12-09T11:20:09', 1, 'Old draft.', 'ok',"
    " 'Dana'),"
    f" ('R-b', 'T-1', '2026-12-09T11:30:00', '2026-12-09T11:30:04.5', 1, '{DRAFT}', 'ok', 'Dana'),"
    " ('R-c', 'T-1', '2026-12-09T12:30:00', '2026-12-09T12:30:05', 1, 'After.', 'ok', 'Dana'),"
    " ('R-d', 'T-2', '2026-12-09T11:40:00', NULL, 0, NULL, 'failed', 'Kim')",
    "INSERT INTO run_steps (run_id, seq, step, model, status, parsed_json, duration_s, cost_usd)"
    f" VALUES ('R-b', 0, 'intent', 'flash', 'done', '{INTENT}', 0.4, 0.001),"
    " ('R-b', 1, 'reasoning', 'gpt-4.1', 'skipped', NULL, NULL, NULL),"
    " ('R-b', 2, 'reply', 'sonnet', 'done', NULL, 2.0, 0.02),"
    " ('R-d', 0, 'intent', 'flash', 'failed', 'not json', 0.1, 0.0)",
)


def _v4(db_path: Path) -> Path:
    conn = _at_version(db_path, 4)
    try:
        conn.execute("BEGIN")
        for statement in V4_ROWS:
            conn.execute(statement)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return db_path


def test_runs_of_schema_4_gain_their_history_columns(db_path: Path) -> None:
    with Store.open(_v4(db_path)) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        rows = {row.run_id: row for row in store.history_page()}
        started = dict(store._conn.execute("SELECT run_id, run_started_at FROM run_steps"))
    b, d = rows["R-b"], rows["R-d"]
    assert (b.intents, b.models, b.latency_s) == (("refund_request", "damaged_item"),
                                                  ("flash", "sonnet"), 4.5)  # fmt: skip
    assert (d.intents, d.models, d.latency_s, d.customer_name) == ((), ("flash",), None, "")
    assert started == {"R-b": "2026-12-09T11:30:00", "R-d": "2026-12-09T11:40:00"}
    # The reply sent at 12:00 came from R-b's draft, the newest ok one started before it.
    assert {run_id: row.edit_level for run_id, row in rows.items()} == {
        "R-a": None,
        "R-b": "light",
        "R-c": None,
        "R-d": None,
    }


def test_migrated_runs_are_searchable_and_filterable(db_path: Path) -> None:
    with Store.open(_v4(db_path)) as store:

        def found(**fields: object) -> list[str]:
            flt = HistoryFilter(**fields)  # type: ignore[arg-type]
            return [row.run_id for row in store.history_page(flt)]

        assert found(text="espresso") == ["R-c", "R-b", "R-a"]  # the ticket's body
        assert found(text="sorry") == ["R-c", "R-b", "R-a"]  # the reply sent
        assert found(text="after") == ["R-c"]  # a draft
        assert found(intent="damaged_item") == ["R-b"]
        assert found(model="sonnet") == ["R-b"]
        assert found(agent="Kim") == ["R-d"]
        assert found(edited=True) == ["R-b"]
        # New runs and replies keep the index in step after the migration.
        store.record_run("R-e", "T-2", "2026-12-10T09:00:00", None, True, "Tracked.", [])
        store.mark_sent("T-2", "Tracked and found.")
        assert found(text="found") == ["R-e", "R-d"]
        assert found(edited=True) == ["R-e", "R-b"]
        docs = store._conn.execute("SELECT count(DISTINCT doc), count(*) FROM runs").fetchone()
        assert tuple(docs) == (5, 5)
        store._conn.execute("INSERT INTO runs_fts (runs_fts) VALUES ('integrity-check')")
