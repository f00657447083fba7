"""End-to-end tests share the widget tests' Qt fixtures (qasync loop, theme, screenshots)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import OFFSCREEN_NOISE, qloop, shot, themed

__all__ = ["qloop", "shot", "themed"]
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))
