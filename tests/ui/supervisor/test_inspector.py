"""The supervisor's inspector: a run's four steps as the agent saw them and what it did not see,
the draft against the sent reply, and the verdicts a supervisor saves on the steps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QPlainTextEdit, QScrollArea, QTextEdit
from pytestqt.qtbot import QtBot

from app.store import Store, seed_demo
from app.supervisor.diff import compare
from tests.store.run_factory import MODELS, record, step, steps
from ui.i18n import install_language
from ui.supervisor.diff_view import DiffView
from ui.supervisor.inspector import InspectorWindow
from ui.theme import apply_theme, colours

# The fixtures used here (qapp, qtbot, shot, and the autouse light theme) come from
# tests/ui/conftest.py, which pytest applies to this folder too.
Shot = Callable[..., Path]
DRAFT = "Hi Emily,\n\nYour order #4521 ships today by express. It arrives on Dec 9.\n\nBest, Dana"
SENT = "Hi Emily,\n\nYour order #4521 ships today by express. It arrives on Friday.\n\nDana"
NAMES = ("intent", "retrieval", "reasoning", "reply")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "stepwise.sqlite") as store:
        seed_demo(store)
        yield store


def full_steps() -> list[dict[str, object]]:
    made = steps(("order_status", "shipping_expedite"))
    made[0] |= {"ttft_s": 0.4, "route_json": {"provider": "sim", "temperature": 0}}
    made[0]["messages_json"] = [
        {"role": "system", "content": "Classify the ticket."},
        {"role": "user", "content": "Where is order #4521?"},
    ]
    made[1] |= {"cache_hit": True, "input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0}
    made[2] |= {"reasoning_text": "The order ships today; no refund is due.", "retries": 2}
    made[3] |= {"output_text": DRAFT, "fallback_used": True, "input_tokens": 1234}
    return made


@pytest.fixture
def sent_run(db: Store) -> Store:
    record(db, "R-1", draft=DRAFT, run_steps=full_steps())
    db.mark_sent("T-1001", SENT)
    return db


def open_inspector(qtbot: QtBot, store: Store, run_id: str = "R-1") -> InspectorWindow:
    window = InspectorWindow(store, run_id, author="Lee")
    qtbot.addWidget(window)
    window.resize(1100, 900)
    window.show()
    return window


def texts(window: InspectorWindow, name: str) -> list[str]:
    return [w.text() for w in window.findChildren(QLabel, name)]


def test_every_step_with_the_figures_the_store_has(
    qtbot: QtBot, sent_run: Store, shot: Shot
) -> None:
    window = open_inspector(qtbot, sent_run)
    assert window.objectName() == "inspectorWindow"
    assert window.windowTitle() == "Run R-1 · ticket T-1001"
    for name in NAMES:
        section = window.sections[name]
        assert section.objectName() == f"inspectorStep.{name}"
        assert section.model.text() == MODELS[name]
        assert section.state.text() == "done"
    assert [s.objectName() for s in window.sections.values()] == [
        f"inspectorStep.{n}" for n in NAMES
    ]
    intent = window.sections["intent"].figures.text()
    assert intent == "first token 0.4 s · took 1.0 s · tokens in 100 · out 20 · $0.0100"
    assert "cache hit" in window.sections["retrieval"].figures.text()
    assert "retries 2" in window.sections["reasoning"].figures.text()
    reply = window.sections["reply"].figures.text()
    assert "in 1,234 · out 20" in reply and "fallback model used" in reply
    assert window.sections["intent"].findChild(QLabel, "intentChip").text() == "order status"
    assert window.sections["reply"].output.toPlainText() == DRAFT
    facts = texts(window, "inspectorFact")
    assert (
        "Dana" in facts
        and "$0.0300" in facts
        and "in 1,434 · out 60" in facts
        and "lightly edited" in facts
    )
    window.sections["reasoning"].details_toggle.click()
    shot(window, "supervisor_inspector")
    scroll = window.findChild(QScrollArea, "inspectorScroll")
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    shot(window, "supervisor_inspector_end")


def test_details_hold_what_the_agent_did_not_see(qtbot: QtBot, sent_run: Store) -> None:
    window = open_inspector(qtbot, sent_run)
    intent = window.sections["intent"]
    assert intent.details.isHidden()
    intent.details_toggle.click()
    assert intent.details.isVisible()
    sent = intent.findChild(QPlainTextEdit, "inspectorMessages").toPlainText()
    assert sent == "[system]\nClassify the ticket.\n\n[user]\nWhere is order #4521?"
    detail = {
        w.objectName().split(".")[1]: w.toPlainText()
        for w in intent.findChildren(QPlainTextEdit)
        if w.objectName().startswith("inspectorDetail.")
    }
    assert detail["raw_output"] == "intent output"
    assert '"intents": [\n    "order_status",' in detail["parsed_json"]
    assert detail["route_json"] == '{\n  "provider": "sim",\n  "temperature": 0\n}'
    reasoning = window.sections["reasoning"]
    found = reasoning.findChild(QPlainTextEdit, "inspectorDetail.reasoning_text")
    assert found.toPlainText() == "The order ships today; no refund is due."
    assert found.isReadOnly()


def test_a_failed_step_shows_its_error(qtbot: QtBot, db: Store) -> None:
    failed = steps()
    failed[3] = step("reply", "failed", error="The provider rejected the API key.")
    record(db, "R-2", ok=False, run_steps=failed)
    window = open_inspector(qtbot, db, "R-2")
    reply = window.sections["reply"]
    assert reply.state.text() == "failed"
    assert reply.error.text() == "The provider rejected the API key."
    assert texts(window, "inspectorRunStatus") == ["failed"]
    assert window.diff.not_sent.text() == "Not sent yet"


def test_a_retried_step_has_a_section_per_record(qtbot: QtBot, db: Store) -> None:
    retried = steps()
    retried.insert(3, step("reply", "failed", error="The provider took too long to answer."))
    record(db, "R-4", run_steps=retried)
    window = open_inspector(qtbot, db, "R-4")
    earlier = window.findChild(QFrame, "inspectorStep.reply.4")
    assert earlier.error.text() == "The provider took too long to answer."
    assert window.sections["reply"].state.text() == "done"
    assert earlier.findChild(QFrame, "annotationBox.reply") is None
    assert window.sections["reply"].findChild(QFrame, "annotationBox.reply") is not None


def marked(edit: QTextEdit, start: int, end: int) -> list[QTextCharFormat]:
    formats = []
    for position in range(start + 1, end + 1):  # the format of the character before position
        cursor = QTextCursor(edit.document())
        cursor.setPosition(position)
        formats.append(cursor.charFormat())
    return formats


def test_diff_marks_deleted_and_inserted_words(qtbot: QtBot, shot: Shot) -> None:
    view = DiffView()
    qtbot.addWidget(view)
    comparison = compare(DRAFT, SENT)
    view.show_comparison(comparison)
    view.resize(900, 240)
    view.show()
    palette = colours()
    draft, sent = view.draft.toPlainText(), view.sent.toPlainText()
    assert (draft, sent) == (DRAFT, SENT)
    gone = draft.index("Best,")
    for fmt in marked(view.draft, gone, gone + len("Best")):
        assert (
            fmt.fontStrikeOut() and fmt.background().color().name() == palette.danger_soft.lower()
        )
    new = sent.index("Friday")
    for fmt in marked(view.sent, new, new + len("Friday")):
        assert not fmt.fontStrikeOut()
        assert fmt.background().color().name() == palette.success_soft.lower()
    same = sent.index("express")
    for fmt in marked(view.sent, same, same + len("express")) + marked(view.draft, same, same + 7):
        assert not fmt.fontStrikeOut() and fmt.background().style().name == "NoBrush"
    # "Dec 9" → "Friday" (6) and "Best, " deleted (6), of 82 characters
    assert (comparison.distance, comparison.level) == (12, "light")
    assert view.summary.text() == "Edit distance 12 characters · 15% changed · lightly edited"
    shot(view, "supervisor_diff")


def test_diff_in_the_dark_theme(qtbot: QtBot, qapp: QApplication, shot: Shot) -> None:
    apply_theme(qapp, "dark")
    try:
        view = DiffView()
        qtbot.addWidget(view)
        view.show_comparison(compare(DRAFT, "Sorry, we cannot expedite order #4521. Dana"))
        view.resize(900, 240)
        view.show()
        assert view.summary.text().endswith("· rewritten")
        cursor = QTextCursor(view.sent.document())
        cursor.setPosition(2)
        assert cursor.charFormat().background().color().name() == colours().success_soft.lower()
        shot(view, "supervisor_diff_dark")
    finally:
        apply_theme(qapp, "light")


def test_an_unsent_run_says_not_sent_yet(qtbot: QtBot, db: Store) -> None:
    record(db, "R-3", draft=DRAFT)
    window = open_inspector(qtbot, db, "R-3")
    view = window.findChild(DiffView, "diffView")
    assert view is window.diff and view.parent().objectName() == "inspectorDiff"
    assert view.not_sent.isVisible() and view.not_sent.text() == "Not sent yet"
    assert view.sent.isHidden() and view.summary.isHidden()
    assert view.draft.toPlainText() == DRAFT


def test_a_wrong_verdict_is_saved_and_shown_when_reopened(
    qtbot: QtBot, sent_run: Store, shot: Shot
) -> None:
    window = open_inspector(qtbot, sent_run)
    box = window.boxes["intent"]
    assert not box.save_button.isEnabled()
    box.wrong.click()
    box.label_edit.setText("wrong_intent")
    box.note.setPlainText("It is a refund request.")
    with qtbot.waitSignal(window.annotationSaved, timeout=1000) as saved:
        box.save_button.click()
    [annotation] = sent_run.annotations("R-1")
    assert saved.args == [annotation]
    assert (annotation.step, annotation.verdict, annotation.label, annotation.note,
            annotation.author) == ("intent", "wrong", "wrong_intent", "It is a refund request.",
                                   "Lee")  # fmt: skip
    assert box.status.text() == "Saved as wrong."
    assert box.wrong.property("role") == "primary" and not box.right.property("role")
    shot(box, "supervisor_annotation")
    window.close()
    reopened = open_inspector(qtbot, sent_run)
    again = reopened.boxes["intent"]
    assert again.wrong.isChecked() and not again.right.isChecked()
    assert (again.label_edit.text(), again.note.toPlainText()) == (
        "wrong_intent",
        "It is a refund request.",
    )
    other = InspectorWindow(sent_run, "R-1", author="Kim")
    qtbot.addWidget(other)
    kims = other.boxes["intent"]
    assert kims.verdict() is None
    assert texts(other, "annotationOther") == [
        "Lee: wrong · wrong_intent · It is a refund request."
    ]


def test_a_store_error_on_save_is_shown_in_the_box(
    qtbot: QtBot, sent_run: Store, tmp_path: Path
) -> None:
    with Store.open(tmp_path / "stepwise.sqlite", read_only=True) as reader:
        window = open_inspector(qtbot, reader)
        box = window.boxes["reply"]
        box.right.click()
        box.save_button.click()
        assert box.status.property("role") == "verdictFail"
        assert box.status.text().startswith("Could not save the verdict on step reply of run R-1")
        assert "read-only" in box.status.text()
        assert reader.annotations("R-1") == []


def test_an_unknown_run_says_so(qtbot: QtBot, db: Store) -> None:
    window = InspectorWindow(db, "R-404")
    qtbot.addWidget(window)
    assert window.problem.text() == "Run R-404 was not found in the history."


def test_inspector_in_chinese(
    qtbot: QtBot, qapp: QApplication, sent_run: Store, shot: Shot
) -> None:
    install_language(qapp, "zh_CN")
    try:
        window = open_inspector(qtbot, sent_run)
        assert "R-1" in window.windowTitle() and not window.windowTitle().startswith("Run ")
        shot(window, "supervisor_inspector_zh")
    finally:
        install_language(qapp, "en")
