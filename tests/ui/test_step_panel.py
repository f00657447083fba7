"""StepPanel: folding, timer, streaming text, thinking, structured views, failure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.pipeline.events import StepFailed, StepFinished, Usage
from tests.ui.conftest import INTENT_DATA, RETRIEVAL_DATA, RUN_ID
from ui.formatting import format_duration
from ui.step_panel import StepPanel

Shot = Callable[..., Path]


def make_panel(qtbot: QtBot, step: str = "intent", title: str = "Intent") -> StepPanel:
    panel = StepPanel(step, title, number=1)
    qtbot.addWidget(panel)
    panel.resize(440, 200)
    with qtbot.waitExposed(panel):
        panel.show()
    return panel


def finished(step: str, data: dict[str, object] | None = None, **kw: object) -> StepFinished:
    usage = kw.pop("usage", Usage(1234, 56))
    assert isinstance(usage, Usage)
    return StepFinished(RUN_ID, step, "", usage, 1.234, 0.2, data)


def test_object_name_and_initial_state(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    assert panel.objectName() == "stepPanel.intent"
    assert panel.state() == "queued"
    assert panel.is_expanded()


def test_header_click_folds_and_unfolds(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    qtbot.mouseClick(panel.header, Qt.MouseButton.LeftButton)
    assert not panel.is_expanded()
    assert panel.header.arrow.text() == "▸"
    qtbot.mouseClick(panel.header, Qt.MouseButton.LeftButton)
    assert panel.is_expanded()
    assert panel.header.arrow.text() == "▾"


def test_header_keyboard_space_and_enter_toggle(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    assert panel.header.focusPolicy() == Qt.FocusPolicy.StrongFocus
    panel.header.setFocus()
    qtbot.keyClick(panel.header, Qt.Key.Key_Space)
    assert not panel.is_expanded()
    qtbot.keyClick(panel.header, Qt.Key.Key_Return)
    assert panel.is_expanded()
    qtbot.keyClick(panel.header, Qt.Key.Key_Enter)
    assert not panel.is_expanded()


def test_timer_ticks_while_streaming_and_stops_on_finish(qtbot: QtBot, shot: Shot) -> None:
    panel = make_panel(qtbot)
    panel.start("gpt-4.1-mini")
    assert panel.state() == "streaming"
    assert panel.header.model.text() == "gpt-4.1-mini"
    qtbot.waitUntil(lambda: panel.header.elapsed.text() not in ("", "0.0 s"), timeout=3000)
    panel.append_text('{"intents": ["shipping_expedite"]}')
    shot(panel, "panel_streaming", fit_height=True)
    panel.finish(finished("intent", usage=Usage(1234, 56)))
    assert panel.state() == "done"
    assert panel.header.state.text() == "done"
    assert panel.header.elapsed.text() == format_duration(1.234) == "1.2 s"
    assert panel.header.tokens.text() == "in 1,234 · out 56 · no price"
    assert not panel._ticker.isActive()
    shot(panel, "panel_done", fit_height=True)


def test_estimated_tokens_are_marked(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.start("m")
    panel.finish(finished("intent", usage=Usage(10, 5, estimated=True)))
    assert panel.header.tokens.text() == "~in 10 · out 5 · no price"


def test_text_appended_in_order_without_loss(qtbot: QtBot) -> None:
    panel = make_panel(qtbot, "reply", "Reply")
    panel.start("m")
    # Lines like a real reply: Qt re-lays out a whole paragraph on every insert, so one
    # 25,000-character line would measure QTextLayout, not us (the bridge batches per frame).
    pieces = [f"{i}\n" if i % 12 == 11 else f"{i} " for i in range(5000)]
    for piece in pieces:
        panel.append_text(piece)
    assert panel.text() == "".join(pieces)


def test_output_follows_the_tail_unless_scrolled_up(qtbot: QtBot) -> None:
    panel = make_panel(qtbot, "reply", "Reply")
    panel.start("m")
    for i in range(60):
        panel.append_text(f"line {i}\n")
    bar = panel.output.verticalScrollBar()
    assert bar.maximum() > 0
    assert bar.value() == bar.maximum()
    bar.setValue(0)  # the agent scrolls up to read
    panel.append_text("more\n")
    assert bar.value() == 0


def test_thinking_appears_only_with_reasoning(qtbot: QtBot, shot: Shot) -> None:
    panel = make_panel(qtbot, "reasoning", "Reasoning")
    panel.start("sim-reasoner")
    panel.append_text("The deadline is Friday.")
    assert panel.thinking.isHidden()
    assert panel.thinking_toggle.isHidden()
    panel.append_reasoning("Compare the ETA with the deadline…")
    assert panel.thinking.isVisible()
    assert panel.reasoning_text() == "Compare the ETA with the deadline…"
    look = QTextCursor(panel.thinking.document())
    look.movePosition(QTextCursor.MoveOperation.End)
    assert look.charFormat().fontItalic()
    assert look.charFormat().fontPointSize() < panel.output.font().pointSizeF()
    shot(panel, "panel_thinking", fit_height=True)
    qtbot.mouseClick(panel.thinking_toggle, Qt.MouseButton.LeftButton)  # fold the thinking
    assert not panel.thinking.isVisible()
    assert panel.output.isVisible()
    panel.reset()
    assert panel.thinking_toggle.isHidden()
    assert panel.thinking.isHidden()


def test_intent_chips_and_entities(qtbot: QtBot, shot: Shot) -> None:
    panel = make_panel(qtbot)
    panel.start("sim-flash")
    panel.finish(finished("intent", INTENT_DATA))
    chips = [c.text() for c in panel.findChildren(QLabel, "intentChip")]
    assert chips == ["shipping expedite", "discount request"]
    entities = panel.findChild(QLabel, "intentEntities")
    assert entities is not None
    for part in ("#4521", "Deadline 11 Dec 2026", "Urgency high", "Sentiment frustrated"):
        assert part in entities.text()
    shot(panel, "panel_intent", fit_height=True)


def test_a_json_answer_shown_as_chips_keeps_its_raw_text_one_click_away(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.start("sim-flash")
    panel.append_text('{"intents": ["shipping_expedite"]}')
    assert panel.output.isVisible()  # streaming: the raw text is what there is
    panel.finish(finished("intent", INTENT_DATA))
    assert panel.output.isHidden() and panel.raw_toggle.text() == "▸ Raw answer"
    qtbot.mouseClick(panel.raw_toggle, Qt.MouseButton.LeftButton)
    assert panel.output.isVisible() and panel.text() == '{"intents": ["shipping_expedite"]}'
    panel.reset("sim-flash")
    assert panel.raw_toggle.isHidden() and not panel.raw_toggle.isChecked()


def test_retrieval_records_with_provenance(qtbot: QtBot, shot: Shot) -> None:
    panel = make_panel(qtbot, "retrieval", "Retrieval")
    panel.start("sim-planner")
    panel.finish(finished("retrieval", RETRIEVAL_DATA))
    sources = [s.text() for s in panel.findChildren(QLabel, "recordSource")]
    assert sources == ["source: C-1001", "source: 4521", "source: POL-EXPEDITE"]
    labels = {w.text() for w in panel.findChildren(QLabel)}
    assert {"Customer", "Order", "Policy", "Order #4521 · shipped"} <= labels
    missing = panel.findChild(QLabel, "recordsNotFound")
    assert missing is not None and "#9999" in missing.text()
    shot(panel, "panel_retrieval", fit_height=True)
    panel.reset()
    assert panel.findChildren(QLabel, "recordSource") == []


def test_failure_shows_message_and_keeps_partial_text(qtbot: QtBot, shot: Shot) -> None:
    panel = make_panel(qtbot)
    panel.start("sim-flash")
    panel.append_text('{"intents": ["ship')
    panel.set_expanded(False)
    event = StepFailed(RUN_ID, "intent", "The provider rejected the API key.", "AuthError")
    panel.fail(event)
    assert panel.state() == "failed"
    assert panel.is_expanded()  # never hidden in a folded panel
    assert panel.text() == '{"intents": ["ship'
    assert panel.error.isVisible()
    message = panel.error.message.text()
    assert "The provider rejected the API key." in message
    assert "kept" in message
    assert not panel._ticker.isActive()
    shot(panel, "panel_failed", fit_height=True)


def test_failure_without_deltas_shows_partial_text_from_event(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.start("m")
    panel.fail(StepFailed(RUN_ID, "intent", "Stream broke.", "StreamError", "partial"))
    assert panel.text() == "partial"


def test_halt_marks_streaming_stopped_and_queued_not_run(qtbot: QtBot) -> None:
    streaming, queued = make_panel(qtbot), make_panel(qtbot, "reply", "Reply")
    streaming.start("m")
    streaming.append_text("half")
    streaming.halt()
    queued.halt()
    assert streaming.state() == "stopped"
    assert streaming.text() == "half"
    assert not streaming._ticker.isActive()
    assert queued.state() == "not run"


def test_fold_when_done(qtbot: QtBot) -> None:
    panel = make_panel(qtbot, "reasoning", "Reasoning")
    panel.fold_when_done = True
    panel.start("m")
    assert panel.is_expanded()
    panel.finish(finished("reasoning"))
    assert not panel.is_expanded()


MARKDOWN = "**Deadline:** Dec 10\n\n- reship overnight\n- open a carrier trace\n"


def test_a_finished_text_step_is_rendered_from_markdown_once(qtbot: QtBot, shot: Shot) -> None:
    panel = StepPanel("reasoning", "Reasoning", number=3, markdown=True)
    qtbot.addWidget(panel)
    panel.resize(440, 260)
    panel.show()
    panel.start("model-r")
    for piece in (MARKDOWN[:9], MARKDOWN[9:30], MARKDOWN[30:]):
        panel.append_text(piece)
        assert panel.rendered.isHidden() and panel.output.isVisible()  # plain while streaming
    panel.finish(finished("reasoning"))
    assert panel.output.isHidden() and panel.rendered.isVisible()
    shown = panel.rendered.toPlainText()
    assert "**" not in shown and "Deadline: Dec 10" in shown and "reship overnight" in shown
    assert panel.text() == MARKDOWN  # the raw answer is what the rest of the app reads
    shot(panel, "panel_markdown_rendered", fit_height=True)
    panel.reset("model-r")  # a new run streams plain text again
    assert panel.rendered.isHidden() and panel.rendered.toPlainText() == ""


def test_json_steps_and_very_long_answers_stay_plain(qtbot: QtBot) -> None:
    json_panel = make_panel(qtbot)  # intent: markdown off
    json_panel.start("m")
    json_panel.append_text('{"intents": ["order_status"]}')
    json_panel.finish(finished("intent"))
    assert json_panel.rendered.isHidden() and json_panel.output.isVisible()
    long_panel = StepPanel("reply", "Reply", number=4, markdown=True)
    qtbot.addWidget(long_panel)
    long_panel.start("m")
    long_panel.append_text("word " * 4_000)  # 20,000 characters: over MarkdownView.MAX_CHARS
    long_panel.finish(finished("reply"))
    assert long_panel.rendered.isHidden() and not long_panel.output.isHidden()
