"""Hostile-input tests share the end-to-end fixtures: the demo workspace with its simulator over
loopback HTTP, the real main window, the qasync loop attached to pytest-qt."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import qloop, shot, themed, window, workspace
from tests.ui.conftest import OFFSCREEN_NOISE

__all__ = ["qloop", "shot", "themed", "window", "workspace"]
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))
