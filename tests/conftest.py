"""Shared test set-up: headless Qt, a fresh data dir per test, a real keyring where one runs,
and no unexpected error logs."""

from __future__ import annotations

import gc
import logging
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest

from tests.keyring_memory import MemoryKeyring

ARTIFACTS = Path(__file__).parent / "artifacts"


def _secret_service() -> keyring.backend.KeyringBackend | None:
    """The real Secret Service when this machine runs one (CI starts gnome-keyring)."""
    if not sys.platform.startswith("linux") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return None
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    probe = f"probe-{uuid.uuid4().hex}"
    try:
        backend.set_password("stepwise-test", probe, "x")
        backend.delete_password("stepwise-test", probe)
    except Exception:
        return None
    return backend


def pytest_configure(config: pytest.Config) -> None:
    keyring.set_keyring(_secret_service() or MemoryKeyring())


def pytest_report_header() -> str:
    backend = type(keyring.get_keyring())
    return f"keyring backend: {backend.__module__}.{backend.__name__}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Qt tests run last, so no plain test runs after a QApplication exists (see below)."""
    items.sort(key=lambda item: "qtbot" in getattr(item, "fixturenames", ()))


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Collect a Qt test's garbage now, on the GUI thread (after pytest-qt closed its widgets).

    Left to chance, Python's collector may run in a simulator thread and delete Qt objects there,
    which crashes Qt later (ui/app.py does the same for the app).
    """
    if "qtbot" in getattr(item, "fixturenames", ()):
        gc.collect()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("STEPWISE_DATA_DIR", str(path))
    return path


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def no_unexpected_errors(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """Error logs fail a test unless it is marked ``expected_errors``."""
    yield
    if request.node.get_closest_marker("expected_errors"):
        return
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    if errors:
        pytest.fail("unexpected error log: " + "; ".join(r.getMessage() for r in errors))
