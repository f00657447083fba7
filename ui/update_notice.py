"""The "new version" notice on the status bar, when the agent asked for it in Settings.

``start`` runs the check (``app.update_check``) as a task once the window is on screen, so
start-up never waits for the network; a newer release adds a permanent status-bar label with a
link to its page. No answer, or no newer version, shows nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow

from app.config import Settings
from app.update_check import Release, newer_release
from ui.i18n import translate

Checker = Callable[[], Awaitable[Release | None]]


def start(
    window: QMainWindow, settings: Settings, checker: Checker = newer_release
) -> asyncio.Task[None] | None:
    """Check in the background when ``settings`` allow it; None when they do not."""
    if not settings.check_updates:
        return None
    return asyncio.ensure_future(_check(window, checker))


async def _check(window: QMainWindow, checker: Checker) -> None:
    release = await checker()
    if release is None:
        return
    with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
        window.statusBar().addPermanentWidget(notice(release))


def notice(release: Release) -> QLabel:
    text = translate(
        "UpdateNotice", 'Stepwise {version} is available: <a href="{url}">download</a>'
    )
    shown = QLabel(text.format(version=release.version, url=release.url))
    shown.setObjectName("updateNotice")
    shown.setTextFormat(Qt.TextFormat.RichText)
    shown.setOpenExternalLinks(True)
    shown.setAccessibleName(
        translate("UpdateNotice", "Stepwise {version} is available").format(version=release.version)
    )
    return shown
