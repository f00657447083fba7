"""Where Stepwise finds its bundled resources and keeps its data.

One helper for resources that works from a checkout and from a frozen (PyInstaller) bundle, and one
for the data directory: ``STEPWISE_DATA_DIR`` when set, otherwise the platform's user data dir.
Demo mode lives in a ``demo`` sub-folder so it never touches the real workspace.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Stepwise"
DATA_DIR_ENV = "STEPWISE_DATA_DIR"


def resource_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def data_root() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def workspace_dir(*, demo: bool) -> Path:
    """The folder holding config and database for the real or the demo workspace."""
    root = data_root()
    path = root / "demo" if demo else root
    path.mkdir(parents=True, exist_ok=True)
    return path
