"""The SQLite file underneath the store: connection settings, schema and transactions.

The schema is versioned with ``PRAGMA user_version``; ``MIGRATIONS[n]`` lists the statements that
take a database from version n-1 to n, run in one write transaction. Every statement is written to
be re-runnable (``IF NOT EXISTS``) so two processes opening a new file at once cannot trip each
other. The runs tables are deliberately minimal for now; later versions will deepen them.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import DatabaseUnreadable, translate

log = logging.getLogger("stepwise.store")

SCHEMA_VERSION = 1

_SCHEMA_V1 = (
    """CREATE TABLE IF NOT EXISTS customers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        vip INTEGER NOT NULL CHECK (vip IN (0, 1)),
        vip_tier TEXT,
        customer_since TEXT NOT NULL,
        language TEXT NOT NULL,
        lifetime_orders INTEGER NOT NULL DEFAULT 0,
        notes TEXT NOT NULL DEFAULT ''
    )""",
    # Money is kept in integer cents so sums never drift; records expose floats.
    """CREATE TABLE IF NOT EXISTS orders (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL REFERENCES customers(id),
        placed_at TEXT NOT NULL,
        total_cents INTEGER NOT NULL,
        currency TEXT NOT NULL,
        status TEXT NOT NULL,
        shipping_method TEXT NOT NULL,
        carrier TEXT NOT NULL,
        tracking_number TEXT NOT NULL,
        tracking_status TEXT NOT NULL,
        tracking_location TEXT NOT NULL,
        last_scan_at TEXT NOT NULL,
        eta TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS orders_by_customer ON orders(customer_id, placed_at)",
    """CREATE TABLE IF NOT EXISTS order_items (
        order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        line_no INTEGER NOT NULL,
        sku TEXT NOT NULL,
        name TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        unit_price_cents INTEGER NOT NULL,
        PRIMARY KEY (order_id, line_no)
    )""",
    """CREATE TABLE IF NOT EXISTS policies (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]'
    )""",
    # A standalone FTS5 index kept in step by triggers, so no write path can forget it. Porter
    # stemming lets "refunds"/"refunded" find "refund" in text written by customers and models.
    """CREATE VIRTUAL TABLE IF NOT EXISTS policies_fts USING fts5(
        policy_id UNINDEXED, title, body, tags,
        tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER IF NOT EXISTS policies_ai AFTER INSERT ON policies BEGIN
        INSERT INTO policies_fts (policy_id, title, body, tags) VALUES (new.id, new.title,
            new.body, (SELECT group_concat(value, ' ') FROM json_each(new.tags)));
    END""",
    """CREATE TRIGGER IF NOT EXISTS policies_ad AFTER DELETE ON policies BEGIN
        DELETE FROM policies_fts WHERE policy_id = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS policies_au AFTER UPDATE ON policies BEGIN
        DELETE FROM policies_fts WHERE policy_id = old.id;
        INSERT INTO policies_fts (policy_id, title, body, tags) VALUES (new.id, new.title,
            new.body, (SELECT group_concat(value, ' ') FROM json_each(new.tags)));
    END""",
    """CREATE TABLE IF NOT EXISTS tickets (
        id TEXT PRIMARY KEY,
        customer_id TEXT REFERENCES customers(id),
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        channel TEXT NOT NULL,
        received_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'draft', 'sent')),
        draft TEXT,
        draft_saved_at TEXT,
        sent_text TEXT,
        sent_at TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS tickets_by_received ON tickets(received_at)",
    """CREATE TABLE IF NOT EXISTS runs (
        id TEXT PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES tickets(id),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        draft TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS runs_by_ticket ON runs(ticket_id, started_at)",
    # ``seq`` keeps the steps in the order they were recorded and lets a step appear twice
    # (a retried step) without a key clash.
    """CREATE TABLE IF NOT EXISTS run_steps (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        step TEXT NOT NULL,
        model TEXT,
        input_tokens INTEGER,
        output_tokens INTEGER,
        tokens_estimated INTEGER NOT NULL DEFAULT 0 CHECK (tokens_estimated IN (0, 1)),
        duration_s REAL,
        ttft_s REAL,
        status TEXT NOT NULL,
        output_text TEXT,
        error TEXT,
        PRIMARY KEY (run_id, seq)
    )""",
)

MIGRATIONS: dict[int, tuple[str, ...]] = {1: _SCHEMA_V1}


def connect(path: Path, *, read_only: bool, busy_timeout_s: float) -> sqlite3.Connection:
    """Open ``path`` with the settings every Stepwise connection needs (raises sqlite3.Error).

    ``isolation_level=None`` turns off the sqlite3 module's implicit transactions: writes go
    through ``write_transaction`` so each one is exactly one BEGIN IMMEDIATE … COMMIT.
    """
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    conn = sqlite3.connect(target, uri=read_only, timeout=busy_timeout_s, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        if not read_only:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":  # e.g. some network file systems refuse WAL
                log.warning("database %s is in journal mode %r, not WAL", path, mode)
        # FULL: the WAL is synced on every commit, so a saved draft or a sent reply survives a
        # power cut, not only an app crash (DESIGN.md, "Rules that hold everywhere").
        conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return conn


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to SCHEMA_VERSION (raises StoreError)."""
    with guarded("read the database"):
        found = user_version(conn)
    if found > SCHEMA_VERSION:
        raise DatabaseUnreadable(
            f"Could not open the database at {path}: it was written by a newer version of "
            f"Stepwise (schema {found}; this version knows up to {SCHEMA_VERSION}). "
            "Update Stepwise to use it."
        )
    if found == SCHEMA_VERSION:
        return
    with write_transaction(conn, "set up the database"):
        # Read again under the write lock: another process may have migrated meanwhile.
        for version in range(user_version(conn) + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            log.info("database %s migrated to schema %d", path, version)


@contextmanager
def guarded(action: str) -> Iterator[None]:
    """Re-raise any sqlite3 error inside the block as a StoreError about ``action``."""
    try:
        yield
    except sqlite3.Error as err:
        raise translate(err, action) from err


@contextmanager
def write_transaction(conn: sqlite3.Connection, action: str) -> Iterator[None]:
    """One BEGIN IMMEDIATE … COMMIT around the block, rolled back on any exception.

    IMMEDIATE takes the write lock up front, so a busy database fails here (after busy_timeout)
    rather than half-way through. A call made inside an open transaction joins it, which lets
    ``load_seed`` wrap many single-record inserts in one transaction.
    """
    if conn.in_transaction:
        yield
        return
    with guarded(action):
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            _rollback_quietly(conn)
            raise


def _rollback_quietly(conn: sqlite3.Connection) -> None:
    # SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR), so there may be
    # nothing left to roll back; a failing ROLLBACK must not hide the error that caused it.
    if not conn.in_transaction:
        return
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        log.exception("rollback failed")
