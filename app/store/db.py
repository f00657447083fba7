"""The SQLite file underneath the store: connection settings, schema and transactions.

The schema is versioned with ``PRAGMA user_version``; ``schema.MIGRATIONS[n]`` lists the
statements that take a database from version n-1 to n, run in one write transaction. ``migrate``
reads the version again under the write lock, so two processes opening an old file at once run
each migration once; CREATE statements still say ``IF NOT EXISTS`` as a second guard (ALTER TABLE
has no such form).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import DatabaseUnreadable, translate
from .schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger("stepwise.store")


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
                if callable(statement):
                    statement(conn)
                else:
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
