"""The Flagged steps tab over a real store: the annotated steps (checked by qtmodeltester), its
verdict, step and label filters, opening a run, and the evaluation dataset it exports."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.store import AnnotationFilter, Store, seed_demo
from tests.store.run_factory import record, steps
from ui.supervisor.flagged_model import COLUMN, FlaggedModel
from ui.supervisor.flagged_view import FlaggedView
from ui.supervisor.tables import RUN_ID_ROLE

Shot = Callable[..., Path]
IS_ROOT = getattr(os, "geteuid", lambda: -1)() == 0
TIMEOUT_MS = 5000
EMAIL = "emily.carter@example.com"
# (run, ticket): R-4 is the newest
RUNS = (("R-1", "T-1001"), ("R-2", "T-1026"), ("R-3", "T-1001"), ("R-4", "T-1021"))
# (run, step, verdict, label, note, author)
VERDICTS = (
    ("R-1", "intent", "wrong", "wrong_intent", "It is a refund request.", "Lee"),
    ("R-1", "reply", "right", "", "", "Lee"),
    (
        "R-2",
        "reasoning",
        "wrong",
        "invented_fact",
        "Promised a date.\nThe carrier gave none.",
        "Kim",
    ),
    ("R-3", "intent", "wrong", "wrong_intent", "", "Kim"),
    ("R-3", "reply", "wrong", "tone", "Too curt for a VIP.", "Lee"),
    ("R-4", "retrieval", "right", "", "Found the order.", "Kim"),
)
WRONG = {(run, step, author) for run, step, verdict, *_, author in VERDICTS if verdict == "wrong"}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "stepwise.sqlite") as store:
        seed_demo(store)
        for day, (run_id, ticket) in enumerate(RUNS, start=1):
            made = steps()
            made[0]["messages_json"] = [
                {"role": "user", "content": f"From Emily Carter <{EMAIL}>: where is it?"}
            ]
            record(
                store, run_id, ticket=ticket, at=f"2026-12-0{day}T10:00:00+00:00", run_steps=made
            )
        for run_id, step, verdict, tag, note, author in VERDICTS:
            store.annotate(run_id, step, verdict, label=tag, note=note, author=author)
        yield store


@pytest.fixture
def view(db: Store, qtbot: QtBot) -> FlaggedView:
    widget = FlaggedView(db)
    qtbot.addWidget(widget)
    widget.resize(1200, 420)
    return widget


def shown(view: FlaggedView) -> set[tuple[str, str, str]]:
    rows = (view.model.row(n).annotation for n in range(view.model.rowCount()))
    return {(a.run_id, a.step, a.author) for a in rows}


def cells(view: FlaggedView, row: int) -> dict[str, str]:
    return {key: view.model.index(row, column).data() for key, column in COLUMN.items()}


def test_the_model_passes_the_model_tester(db: Store, qtmodeltester: Any) -> None:
    model = FlaggedModel(db)
    model.set_filter(AnnotationFilter())
    assert model.rowCount() == len(WRONG)
    qtmodeltester.check(model)
    model.set_filter(AnnotationFilter(verdict=None))
    assert model.rowCount() == len(VERDICTS)
    qtmodeltester.check(model)
    model.set_filter(AnnotationFilter(label="no_such_label"))
    qtmodeltester.check(model)


def test_it_opens_on_the_steps_marked_wrong(view: FlaggedView, shot: Shot, qtbot: QtBot) -> None:
    assert view.verdict.currentData() == "wrong"
    assert shown(view) == WRONG
    assert view.count.text() == "4 steps"
    assert [view.model.row(n).annotation.run_id for n in range(4)] == ["R-3", "R-3", "R-2", "R-1"]
    reasoning = cells(view, 2)
    assert reasoning["run"] == "R-2" and reasoning["ticket"] == "T-1026"
    assert (reasoning["step"], reasoning["model"], reasoning["verdict"]) == (
        "Reasoning",
        "gpt-4.1",
        "Wrong",
    )
    assert reasoning["label"] == "invented_fact" and reasoning["author"] == "Kim"
    assert reasoning["note"] == "Promised a date. The carrier gave none."  # one line
    note = view.model.index(2, COLUMN["note"])
    assert note.data(Qt.ItemDataRole.ToolTipRole) == "Promised a date.\nThe carrier gave none."
    time = view.model.index(2, COLUMN["time"])
    assert time.data(Qt.ItemDataRole.ToolTipRole).startswith("Marked ")
    assert view.empty.isHidden() and view.message.isHidden()
    headers = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMN))]
    assert headers[0] == "Run started" and headers[COLUMN["verdict"]] == "Verdict"
    view.show()
    qtbot.waitExposed(view)
    view.table.selectRow(2)
    shot(view, "supervisor_flagged")


@pytest.mark.parametrize(
    ("control", "value", "expected"),
    [
        ("verdict", "right", {("R-1", "reply", "Lee"), ("R-4", "retrieval", "Kim")}),
        ("verdict", "", {(run, step, author) for run, step, *_, author in VERDICTS}),
        ("step", "intent", {("R-1", "intent", "Lee"), ("R-3", "intent", "Kim")}),
        ("step", "reasoning", {("R-2", "reasoning", "Kim")}),
    ],
)
def test_the_combos_change_the_rows(
    view: FlaggedView, control: str, value: str, expected: set[tuple[str, str, str]]
) -> None:
    combo = getattr(view, control)
    combo.setCurrentIndex(combo.findData(value))
    assert shown(view) == expected
    assert view.count.text() == ("1 step" if len(expected) == 1 else f"{len(expected)} steps")


def test_the_label_filters_once_typing_pauses(view: FlaggedView, qtbot: QtBot) -> None:
    view.label_filter.setText("wrong_intent")  # typed keys would open the completer's popup
    assert view.model.filter().label is None  # still typing: no query yet
    qtbot.waitUntil(lambda: view.model.filter().label == "wrong_intent", timeout=2000)
    assert shown(view) == {("R-1", "intent", "Lee"), ("R-3", "intent", "Kim")}
    completer = view.label_filter.completer()
    assert completer is not None
    assert completer.model().stringList() == ["invented_fact", "tone", "wrong_intent"]  # type: ignore[attr-defined]
    view.label_filter.setText("no_such_label")
    view.apply_filters()
    assert view.model.rowCount() == 0 and view.count.text() == "0 steps"
    assert not view.empty.isHidden() and not view.export_button.isEnabled()


def test_double_click_and_enter_open_the_run(view: FlaggedView, qtbot: QtBot) -> None:
    view.show()
    qtbot.waitExposed(view)
    table = view.table
    index = view.model.index(2, COLUMN["label"])
    with qtbot.waitSignal(view.runOpened, timeout=2000) as opened:
        point = table.visualRect(index).center()
        # A real double-click starts with a click; QTest's double-click event alone does not.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened.args == ["R-2"]
    table.setFocus()
    table.setCurrentIndex(view.model.index(3, 0))
    with qtbot.waitSignal(view.runOpened, timeout=2000) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == ["R-1"] == [view.model.index(3, 0).data(RUN_ID_ROLE)]


def export(view: FlaggedView, qtbot: QtBot, path: Path | None) -> None:
    view.choose_path = lambda: path  # type: ignore[method-assign]  # never a real file dialog
    view.export_button.click()
    qtbot.waitUntil(lambda: not view.exporting, timeout=TIMEOUT_MS)


def test_the_dataset_holds_exactly_the_flagged_steps_redacted(
    view: FlaggedView, qtbot: QtBot, tmp_path: Path, shot: Shot
) -> None:
    path = tmp_path / "flagged.jsonl"
    assert view.redact.isChecked()
    with qtbot.waitSignal(view.datasetExported, timeout=TIMEOUT_MS) as exported:
        view.choose_path = lambda: path  # type: ignore[method-assign]
        view.export_button.click()
    assert exported.args == [str(path), 4]
    assert view.export_status.text() == f"Exported 4 annotated steps to {path}"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert {(line["run_id"], line["step"], line["author"]) for line in lines} == WRONG
    assert all(line["verdict"] == "wrong" for line in lines)
    intent = next(line for line in lines if line["step"] == "intent")
    assert intent["messages"] == [
        {"role": "user", "content": "From [name] <[email]>: where is it?"}
    ]
    assert EMAIL not in path.read_text(encoding="utf-8")
    assert not (tmp_path / "flagged.jsonl.part").exists()
    view.show()
    qtbot.waitExposed(view)
    shot(view, "supervisor_flagged_exported")


def test_the_dataset_follows_the_filters_and_keeps_pii_when_asked(
    view: FlaggedView, qtbot: QtBot, tmp_path: Path
) -> None:
    view.step.setCurrentIndex(view.step.findData("intent"))
    view.redact.setChecked(False)
    path = tmp_path / "intent.jsonl"
    export(view, qtbot, path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(line["run_id"], line["step"]) for line in lines] == [
        ("R-3", "intent"),
        ("R-1", "intent"),
    ]
    assert EMAIL in lines[0]["messages"][0]["content"]
    assert view.export_status.text() == f"Exported 2 annotated steps to {path}"


def test_a_cancelled_file_choice_exports_nothing(view: FlaggedView, qtbot: QtBot) -> None:
    export(view, qtbot, None)
    assert view.export_status.isHidden() and view.export_button.isEnabled()


def test_a_missing_folder_says_so_and_leaves_no_file(
    view: FlaggedView, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "gone" / "flagged.jsonl"
    export(view, qtbot, path)
    assert view.export_status.text() == (
        f"Could not write the export to {path}: No such file or directory."
    )
    assert view.export_status.property("role") == "verdictFail"
    assert not path.parent.exists()
    assert view.export_button.isEnabled()


@pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions; a missing folder stands in")
def test_a_read_only_folder_says_so_and_leaves_no_file(
    view: FlaggedView, qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        export(view, qtbot, folder / "flagged.jsonl")
        assert "Permission denied" in view.export_status.text()
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_refresh_shows_a_verdict_saved_since(view: FlaggedView, db: Store) -> None:
    db.annotate("R-4", "reply", "wrong", label="tone", author="Lee")
    assert ("R-4", "reply", "Lee") not in shown(view)
    view.refresh()
    assert shown(view) == WRONG | {("R-4", "reply", "Lee")}
    assert view.count.text() == "5 steps"


@pytest.mark.expected_errors  # the store logs the use of a closed connection as its bug
def test_a_closed_store_shows_a_message(view: FlaggedView, db: Store) -> None:
    db.close()
    view.refresh()
    assert view.model.rowCount() == 0
    assert view.message.text().startswith("The flagged steps could not be read: Could not read")
    assert not view.message.isHidden() and view.empty.isHidden()


def test_every_control_has_a_name_and_an_accessible_name(view: FlaggedView) -> None:
    controls = (
        view.verdict,
        view.step,
        view.label_filter,
        view.redact,
        view.export_button,
        view.table,
        view.count,
        view.message,
        view.export_status,
    )
    for widget in controls:
        assert widget.objectName().startswith("flagged"), widget
        assert widget.accessibleName(), widget.objectName()
    assert view.table.isSortingEnabled() is False
