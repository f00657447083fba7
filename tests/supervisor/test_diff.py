"""The draft and the sent reply side by side: word-level segments that tile both texts, and the
same edit measure the store keeps; the inspector gathers a run's whole story in one call."""

from __future__ import annotations

import pytest

from app.store import NotFound, Store
from app.store.edits import LIGHT_MAX_RATIO, measure
from app.supervisor.diff import compare
from app.supervisor.inspector import inspect
from tests.store.run_factory import record

DRAFT = "Hi Emily,\n\nYour order #4521 ships today by express. It arrives on Dec 9.\n\nBest, Dana"


def test_segments_tile_both_texts_and_mark_the_changed_words() -> None:
    sent = DRAFT.replace("ships today", "shipped this morning").replace("Best,", "Warmly,")
    found = compare(DRAFT, sent)
    assert "".join(s.draft_text for s in found.segments) == DRAFT
    assert "".join(s.sent_text for s in found.segments) == sent
    changed = [(s.op, s.draft_text, s.sent_text) for s in found.changed]
    assert changed == [
        ("replace", "ships today", "shipped this morning"),
        ("replace", "Best", "Warmly"),
    ]
    for segment in found.segments:  # offsets point into the texts
        assert DRAFT[segment.draft_start : segment.draft_end] == segment.draft_text
        assert sent[segment.sent_start : segment.sent_end] == segment.sent_text
    kept = measure(DRAFT, sent)  # what the store keeps for the run
    assert (found.distance, found.ratio, found.level) == (kept.distance, kept.ratio, kept.level)
    assert found.distance == 19 and found.level == "rewritten"  # 19 / 86 > 0.2


def test_inserts_and_deletes_have_an_empty_side() -> None:
    found = compare("Thanks for waiting.", "Thanks so much for waiting")
    assert [(s.op, s.draft_text, s.sent_text) for s in found.changed] == [
        ("insert", "", " so much"),
        ("delete", ".", ""),
    ]


def test_whitespace_is_no_edit() -> None:
    found = compare(DRAFT, "  " + DRAFT.replace("\n\n", "\n").replace(" ships", "   ships") + "\n")
    assert (found.distance, found.ratio, found.level, found.changed) == (0, 0.0, "unedited", ())


@pytest.mark.parametrize(
    ("sent", "level"),
    [
        (DRAFT, "unedited"),
        (DRAFT.replace("Dec 9", "Dec 8"), "light"),
        ("Sorry, we cannot expedite this order.", "rewritten"),
        ("", "rewritten"),
    ],
)
def test_levels_follow_the_ratio(sent: str, level: str) -> None:
    found = compare(DRAFT, sent)
    assert found.level == level
    assert (found.ratio <= LIGHT_MAX_RATIO) == (level in ("unedited", "light"))
    assert compare("", "").level == "unedited"


def test_the_inspector_gathers_run_ticket_annotations_and_comparison(seeded: Store) -> None:
    record(seeded, "R-1", at="2026-12-01T10:00:00+00:00", draft="Old draft.")
    record(seeded, "R-2", at="2026-12-01T11:00:00+00:00", draft=DRAFT)
    before = inspect(seeded, "R-2")
    assert before.comparison is None and not before.compared_at_send  # not sent yet
    seeded.mark_sent("T-1001", DRAFT.replace("Dec 9", "Dec 8"))
    seeded.annotate("R-2", "reply", "right", author="Lee")

    found = inspect(seeded, "R-2")
    assert found.run == seeded.run("R-2") and len(found.run["steps"]) == 4
    step = found.run["steps"][0]
    for key in ("messages_json", "raw_output", "parsed_json", "model", "duration_s", "cost_usd"):
        assert key in step
    assert (found.ticket.id, found.customer and found.customer.name) == ("T-1001", "Emily Carter")
    assert found.row.edit_level == "light" and found.compared_at_send
    assert found.comparison is not None and found.comparison.level == "light"
    assert [a.author for a in found.annotations] == ["Lee"]
    older = inspect(seeded, "R-1")  # its draft was not the one sent: compared for reading only
    assert older.comparison is not None and older.comparison.level == "rewritten"
    assert not older.compared_at_send
    with pytest.raises(NotFound):
        inspect(seeded, "R-404")
