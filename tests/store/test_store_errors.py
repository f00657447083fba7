"""Failures reach callers as StoreError subclasses with plain messages, never raw sqlite3.

Each environment fault is produced for real where the test can do it honestly: a read-only
connection, a file the OS refuses, a page limit that fills the "disk", a second connection holding
the write lock, a file that is not a database.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from app.store import (
    DatabaseLocked,
    DatabaseUnreadable,
    DiskFull,
    ReadOnlyStorage,
    StorageUnavailable,
    Store,
    StoreBug,
    StoreError,
)
from app.store.errors import translate

IS_ROOT = getattr(os, "geteuid", lambda: -1)() == 0
needs_non_root = pytest.mark.skipif(
    IS_ROOT, reason="root ignores file permissions; the read_only=True tests cover this as root"
)


def _assert_plain(err: StoreError) -> None:
    assert isinstance(err.__cause__, (sqlite3.Error, OSError))
    assert str(err).startswith("Could not ")
    assert "sqlite3" not in str(err)


@pytest.fixture
def seeded_path(seeded: Store) -> Path:
    seeded.close()
    return seeded.path


def test_read_only_database_gives_a_plain_message(seeded_path: Path) -> None:
    with Store.open(seeded_path, read_only=True) as store:
        assert store.ticket("T-1001").subject  # reading still works
        with pytest.raises(ReadOnlyStorage, match="read-only") as caught:
            store.save_draft("T-1001", "text")
        _assert_plain(caught.value)
        with pytest.raises(ReadOnlyStorage):
            store.mark_sent("T-1001", "text")


def test_read_only_open_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnreadable, match="cannot be opened") as caught:
        Store.open(tmp_path / "missing.sqlite", read_only=True)
    _assert_plain(caught.value)


@needs_non_root
def test_read_only_file_gives_a_plain_message(seeded_path: Path) -> None:
    seeded_path.chmod(0o444)
    try:
        with (
            pytest.raises(StorageUnavailable, match=r"^Could not") as caught,
            Store.open(seeded_path) as store,
        ):
            store.save_draft("T-1001", "text")
        _assert_plain(caught.value)
    finally:
        seeded_path.chmod(0o644)


@needs_non_root
def test_read_only_folder_gives_a_plain_message(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(StorageUnavailable, match=r"^Could not open the database") as caught:
            Store.open(folder / "stepwise.sqlite")
        _assert_plain(caught.value)
    finally:
        folder.chmod(0o755)


def test_data_folder_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(DatabaseUnreadable, match="data folder is not usable") as caught:
        Store.open(blocker / "stepwise.sqlite")
    _assert_plain(caught.value)


def test_full_disk_gives_disk_full_and_keeps_old_data(seeded: Store) -> None:
    conn = seeded._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the "disk" has no room left
    with pytest.raises(DiskFull, match="disk is full") as caught:
        seeded.save_draft("T-1001", "x" * 1_000_000)
    _assert_plain(caught.value)
    assert seeded.ticket("T-1001").draft is None


def test_database_locked_by_another_program(db_path: Path) -> None:
    Store.open(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # holds the write lock
        with Store.open(db_path, busy_timeout_s=0.05) as store:
            assert store.is_empty()  # WAL: readers are not blocked
            with pytest.raises(DatabaseLocked, match="busy in another program") as caught:
                store.load_seed({"customers": []})
            _assert_plain(caught.value)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_file_that_is_not_a_database(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is a spreadsheet, honest\n" * 200)
    with pytest.raises(DatabaseUnreadable, match="not a Stepwise database") as caught:
        Store.open(db_path)
    _assert_plain(caught.value)


@pytest.mark.expected_errors  # a StoreBug is logged as an error
def test_use_after_close_is_a_store_bug(db_path: Path) -> None:
    store = Store.open(db_path)
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StoreBug, match="This is a bug"):
        store.list_tickets()


@pytest.mark.expected_errors
def test_unclassified_sqlite_errors_are_store_bugs() -> None:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("SELECT * FROM no_such_table")
    except sqlite3.Error as err:
        translated = translate(err, "read the inbox")
    finally:
        conn.close()
    assert isinstance(translated, StoreBug)
    assert str(translated).startswith("Could not read the inbox because of an internal error")
