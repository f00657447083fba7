"""The Export runs dialog over a real store: the file a supervisor gets (CSV and JSONL read back,
with and without redaction, the history's runs or all of them), written off the GUI thread, and
every failure shown in plain words with no file left behind."""

from __future__ import annotations

import csv
import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from app.store import HistoryFilter, Store, seed_demo
from tests.store.run_factory import record
from ui.supervisor import export_dialog
from ui.supervisor.export_dialog import ExportDialog

Shot = Callable[..., Path]
IS_ROOT = getattr(os, "geteuid", lambda: -1)() == 0
# (run, ticket, ok): six runs on four customers' tickets, one of them failed
RUNS = (
    ("R-1", "T-1001", True),
    ("R-2", "T-1026", True),
    ("R-3", "T-1025", False),
    ("R-4", "T-1001", True),
    ("R-5", "T-1021", True),
    ("R-6", "T-1027", True),
)
EMAILS = ("emily.carter@example.com", "tom.becker@example.com", "kevin.obrien@example.com")
OK_ONLY = HistoryFilter(status="ok")
TIMEOUT_MS = 5000


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "stepwise.sqlite") as store:
        seed_demo(store)
        for number, (run_id, ticket, ok) in enumerate(RUNS, start=1):
            at = f"2026-12-0{number}T10:00:00+00:00"
            draft = f"Hi {store.ticket(ticket).id}, your order is on its way."
            record(store, run_id, ticket=ticket, at=at, ok=ok, draft=draft)
        yield store


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def open_dialog(
    qtbot: QtBot, store: Store, flt: HistoryFilter | None, path: Path | None
) -> ExportDialog:
    dialog = ExportDialog(store, flt)
    qtbot.addWidget(dialog)
    dialog.choose_path = lambda: path  # type: ignore[method-assign]  # never a real file dialog
    return dialog


def export(qtbot: QtBot, dialog: ExportDialog) -> None:
    """Press Export and wait until the worker's result is shown."""
    dialog.start_button.click()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=TIMEOUT_MS)


def test_csv_of_the_shown_runs_reads_back_redacted(
    qtbot: QtBot, db: Store, out: Path, shot: Shot
) -> None:
    path = out / "runs.csv"
    dialog = open_dialog(qtbot, db, OK_ONLY, path)
    assert dialog.shown.isChecked() and dialog.csv.isChecked() and dialog.redact.isChecked()
    assert dialog.shown.text() == "The runs the history shows now (5)"
    assert dialog.every.text() == "All runs (6)"
    dialog.choose.click()
    assert dialog.path.text() == str(path)
    with qtbot.waitSignal(dialog.exported, timeout=TIMEOUT_MS) as exported:
        dialog.start_button.click()
    assert exported.args == [str(path), 5]
    assert dialog.message.text() == f"Exported 5 runs to {path}"
    assert dialog.message.property("role") == "verdictOk"
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == db.history_count(OK_ONLY) == 5
    assert [row["run_id"] for row in rows] == ["R-6", "R-5", "R-4", "R-2", "R-1"]
    assert {row["customer_email"] for row in rows} == {"[email]"}
    assert {row["customer_name"] for row in rows} == {"[name]"}
    text = path.read_text(encoding="utf-8")
    assert not any(email in text for email in EMAILS) and "Emily Carter" not in text
    assert sorted(out.iterdir()) == [path]  # no .part left beside it
    dialog.show()
    qtbot.waitExposed(dialog)
    shot(dialog, "supervisor_export_dialog", fit_height=True)


def test_all_runs_unredacted_keep_the_customers_details(qtbot: QtBot, db: Store, out: Path) -> None:
    path = out / "all.csv"
    dialog = open_dialog(qtbot, db, OK_ONLY, path)
    dialog.every.click()
    dialog.redact.click()
    assert not dialog.redact.isChecked() and dialog.redact_note.isHidden()
    export(qtbot, dialog)
    with path.open(encoding="utf-8", newline="") as file:
        rows = {row["run_id"]: row for row in csv.DictReader(file)}
    assert len(rows) == 6 and rows["R-3"]["status"] == "failed"
    assert rows["R-1"]["customer_email"] == "emily.carter@example.com"
    assert rows["R-1"]["customer_name"] == "Emily Carter"
    assert dialog.message.text() == f"Exported 6 runs to {path}"


def test_jsonl_parses_line_by_line_newest_first(qtbot: QtBot, db: Store, out: Path) -> None:
    dialog = open_dialog(qtbot, db, OK_ONLY, out / "runs.csv")
    dialog.choose.click()
    dialog.jsonl.click()  # the chosen name follows the format
    assert dialog.path.text() == str(out / "runs.jsonl")
    dialog.redact.setChecked(False)
    export(qtbot, dialog)
    lines = (out / "runs.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [row.run_id for row in db.history_page(OK_ONLY, 0, 10)]
    assert records[-1]["customer"]["email"] == "emily.carter@example.com"
    assert len(records[-1]["steps"]) == 4


def test_without_a_history_filter_all_runs_are_exported(qtbot: QtBot, db: Store) -> None:
    dialog = open_dialog(qtbot, db, None, None)
    assert not dialog.shown.isEnabled() and dialog.every.isChecked()
    assert dialog.every.text() == "All runs (6)"
    dialog.start_button.click()  # the file dialog was cancelled: nothing happens
    assert not dialog.is_busy() and dialog.message.isHidden()


def test_the_export_runs_off_the_gui_thread_and_the_dialog_waits_for_it(
    qtbot: QtBot, db: Store, out: Path, monkeypatch: pytest.MonkeyPatch, shot: Shot
) -> None:
    release = threading.Event()
    seen: dict[str, Any] = {}
    real = export_dialog.runs_to_csv

    def held(reader: Store, path: Path, *args: Any, **kwargs: Any) -> int:
        seen["thread"], seen["reader"] = threading.current_thread(), reader
        assert release.wait(TIMEOUT_MS / 1000)
        return real(reader, path, *args, **kwargs)

    monkeypatch.setattr(export_dialog, "runs_to_csv", held)
    dialog = open_dialog(qtbot, db, OK_ONLY, out / "runs.csv")
    dialog.show()
    dialog.start_button.click()
    qtbot.waitUntil(lambda: "reader" in seen, timeout=TIMEOUT_MS)
    assert dialog.is_busy() and dialog.busy.isVisible()
    assert dialog.message.text() == "Exporting… A long history takes a few minutes."
    assert not dialog.close_button.isEnabled() and not dialog.csv.isEnabled()
    shot(dialog, "supervisor_export_dialog_busy")
    dialog.reject()  # Escape while exporting
    assert dialog.isVisible()
    assert seen["thread"] is not threading.main_thread()
    assert seen["reader"] is not db and seen["reader"].path == db.path
    with qtbot.waitSignal(dialog.exported, timeout=TIMEOUT_MS):
        release.set()
    assert dialog.close_button.isEnabled() and dialog.busy.isHidden()
    dialog.reject()
    assert not dialog.isVisible()


@pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions; the full disk test stands in")
def test_a_read_only_folder_says_so_and_leaves_no_file(qtbot: QtBot, db: Store, out: Path) -> None:
    out.chmod(0o555)
    try:
        dialog = open_dialog(qtbot, db, OK_ONLY, out / "runs.csv")
        export(qtbot, dialog)
        assert dialog.message.text().startswith(f"Could not write the export to {out}")
        assert "Permission denied" in dialog.message.text()
        assert dialog.message.property("role") == "verdictFail"
        assert list(out.iterdir()) == []
        assert dialog.start_button.isEnabled()  # free to choose another folder
    finally:
        out.chmod(0o755)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_a_full_disk_says_so_and_leaves_no_file(qtbot: QtBot, db: Store, out: Path) -> None:
    # The core writes "<name>.part" first: pointing that name at /dev/full makes every write
    # fail with ENOSPC, as on a full disk (root included).
    (out / "runs.jsonl.part").symlink_to("/dev/full")
    dialog = open_dialog(qtbot, db, None, out / "runs.jsonl")
    dialog.jsonl.setChecked(True)
    export(qtbot, dialog)
    assert dialog.message.text() == (
        f"Could not write the export to {out / 'runs.jsonl'}: No space left on device."
    )
    assert list(out.iterdir()) == []


def test_a_credential_found_mid_export_leaves_no_partial_file(
    qtbot: QtBot, db: Store, out: Path
) -> None:
    # Only a bug (or a hand-edited file) gets a key past record_run; the oldest run is written
    # last, so five runs are in the .part file when the export stops.
    db._conn.execute(
        """UPDATE run_steps SET route_json = '{"model": "x", "api_key": "sk-leak"}'"""
        " WHERE run_id = 'R-1' AND seq = 0"
    )
    dialog = open_dialog(qtbot, db, None, out / "runs.csv")
    export(qtbot, dialog)
    assert dialog.message.text().startswith(
        "Nothing was exported: step intent of run R-1 holds a credential at 'api_key'."
    )
    assert list(out.iterdir()) == []


def test_a_database_gone_from_disk_is_a_plain_message(
    qtbot: QtBot, db: Store, out: Path, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, db, OK_ONLY, out / "runs.csv")
    (tmp_path / "stepwise.sqlite").unlink()  # the worker opens the file again, read-only
    export(qtbot, dialog)
    assert dialog.message.text().startswith("Could not open the database at")
    assert "cannot be opened" in dialog.message.text()
    assert list(out.iterdir()) == []


@pytest.mark.expected_errors  # a bug in the export is logged with its traceback
def test_a_bug_in_the_export_is_named_as_one(
    qtbot: QtBot, db: Store, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> int:
        raise KeyError("ticket")

    monkeypatch.setattr(export_dialog, "runs_to_csv", broken)
    dialog = open_dialog(qtbot, db, OK_ONLY, out / "runs.csv")
    export(qtbot, dialog)
    assert dialog.message.text() == (
        "The export failed because of an internal error in Stepwise ('ticket'). This is a bug; "
        "please report it."
    )


def test_every_control_has_a_name_and_an_accessible_name(qtbot: QtBot, db: Store) -> None:
    dialog = open_dialog(qtbot, db, OK_ONLY, None)
    controls = (
        dialog.csv,
        dialog.jsonl,
        dialog.shown,
        dialog.every,
        dialog.redact,
        dialog.path,
        dialog.choose,
        dialog.start_button,
        dialog.close_button,
        dialog.busy,
        dialog.message,
    )
    for widget in controls:
        assert widget.objectName().startswith("export"), widget
        assert widget.accessibleName(), widget.objectName()


def test_choose_asks_for_a_file_of_the_chosen_format(
    qtbot: QtBot, db: Store, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str, list[str]]] = []

    def answer(file_dialog: QFileDialog) -> int:  # stands in for the modal loop: no window
        asked.append(
            (file_dialog.defaultSuffix(), file_dialog.directory().path(), file_dialog.nameFilters())
        )
        accepted = file_dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
        return int(QDialog.DialogCode.Accepted if accepted else QDialog.DialogCode.Rejected)

    monkeypatch.setattr(QFileDialog, "exec", answer)
    dialog = ExportDialog(db, OK_ONLY)
    qtbot.addWidget(dialog)
    dialog.set_destination(out / "week.csv")
    dialog.jsonl.click()
    dialog.choose.click()
    assert asked == [("jsonl", str(out), ["JSON Lines files (*.jsonl)"])]
    assert dialog.path.text() == str(out / "week.jsonl")
