"""Fixtures for the store tests: a fresh database file per test, empty or seeded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.store import Store, seed_demo

FIXED_NOW = datetime(2026, 12, 8, 9, 30, 0, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "stepwise.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path, clock=lambda: FIXED_NOW) as opened:
        yield opened


@pytest.fixture
def seeded(store: Store) -> Store:
    assert seed_demo(store) is True
    return store
