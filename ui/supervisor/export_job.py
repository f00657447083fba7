"""Writing an export off the GUI thread: the supervisor's run exports and the flagged-steps
dataset both run their core writer (``app.supervisor.export``) in a ``Background`` worker, on a
read-only Store of its own (a SQLite connection belongs to the thread that opened it), and show
an ``ExportResult`` when it ends. Also the save dialog and its starting folder, shared by both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from app.store import Store, StoreError
from app.supervisor.export import ExportFailed
from ui.core_text import localize
from ui.i18n import translate

log = logging.getLogger("stepwise.ui.supervisor")

Writer = Callable[[Store], int]  # writes the export from a Store; returns how many records


@dataclass(frozen=True)
class ExportResult:
    count: int = 0  # records written
    problem: str = ""  # the core's sentence when the export failed; "" when it succeeded
    bug: bool = False  # the failure is a bug in Stepwise, not the environment's fault


def write_export(db_path: Path, write: Writer) -> ExportResult:
    """Run ``write`` on a read-only Store of the database at ``db_path`` (in the worker thread);
    a failure becomes the result, never an exception."""
    try:
        with Store.open(db_path, read_only=True) as reader:
            return ExportResult(count=write(reader))
    except (ExportFailed, StoreError, OSError) as err:  # the core's plain sentences
        log.warning("export not written: %s", err)
        return ExportResult(problem=str(err))
    except Exception as err:
        log.exception("export failed")
        return ExportResult(problem=str(err) or type(err).__name__, bug=True)


def problem_text(result: ExportResult) -> str:
    """What a failed export says to the supervisor."""
    if result.bug:
        text = translate(
            "ExportDialog",
            "The export failed because of an internal error in Stepwise ({error}). This is a "
            "bug; please report it.",
        )
        return text.format(error=result.problem)
    return localize(result.problem)


def save_path(parent: QWidget, caption: str, start: Path, suffix: str, kinds: str) -> Path | None:
    """Ask where to save with Qt's save dialog (it asks before replacing a file); None when the
    supervisor cancels. ``kinds``: a name filter such as "CSV files (*.csv)".

    A modal loop of its own (``exec``): call it from a button's slot, never from a coroutine or
    another qasync callback (see ``ui.loop``)."""
    dialog = QFileDialog(parent, caption, str(start.parent))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix(suffix)  # "runs" becomes "runs.csv" before the overwrite question
    dialog.setNameFilter(kinds)
    dialog.selectFile(start.name)
    try:
        chosen = dialog.selectedFiles() if dialog.exec() == QDialog.DialogCode.Accepted else []
    finally:
        dialog.deleteLater()
    return Path(chosen[0]) if chosen else None


def documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()
