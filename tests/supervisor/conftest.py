"""The supervisor tests use the store tests' fixtures: a fresh database per test, or seeded."""

from tests.store.conftest import FIXED_NOW, db_path, seeded, store

__all__ = ["FIXED_NOW", "db_path", "seeded", "store"]
