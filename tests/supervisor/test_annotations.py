"""Supervisors mark steps right or wrong; the wrong ones list and export as an evaluation set."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.store import AnnotationFilter, NotFound, Store
from app.supervisor.export import annotations_to_jsonl
from tests.store.conftest import FIXED_NOW
from tests.store.run_factory import record, step, steps


@pytest.fixture
def runs(seeded: Store) -> Store:
    record(seeded, "R-1", at="2026-12-01T10:00:00+00:00")
    retried = steps()
    retried.insert(3, step("reply", "failed", error="timeout", model="sonnet"))
    retried[-1] = step("reply", model="gpt-4.1", raw_output="Hi Tom, refund sent.")
    record(seeded, "R-2", ticket="T-1026", at="2026-12-02T10:00:00+00:00", run_steps=retried)
    return seeded


def test_annotate_update_and_delete(runs: Store) -> None:
    made = runs.annotate("R-1", "intent", "wrong", label=" wrong_intent ", note="It is a refund.")
    assert (made.run_id, made.step, made.verdict, made.label) == ("R-1", "intent", "wrong",
                                                                  "wrong_intent")  # fmt: skip
    assert (made.note, made.author, made.created_at) == ("It is a refund.", "", made.updated_at)
    assert made.created_at == FIXED_NOW.isoformat()
    changed = runs.update_annotation(made.id, verdict="right", note="")
    assert (changed.id, changed.verdict, changed.label, changed.note) == (
        made.id,
        "right",
        "wrong_intent",
        "",
    )
    assert runs.annotations("R-1") == [changed]
    runs.delete_annotation(made.id)
    assert runs.annotations("R-1") == []
    with pytest.raises(NotFound, match=f"Annotation {made.id} was not found"):
        runs.delete_annotation(made.id)
    with pytest.raises(NotFound, match="not found"):
        runs.update_annotation(made.id, label="x")


def test_one_verdict_per_supervisor_per_step(runs: Store) -> None:
    first = runs.annotate("R-1", "reply", "wrong", label="tone", author="Lee")
    again = runs.annotate("R-1", "reply", "right", author="Lee")
    other = runs.annotate("R-1", "reply", "wrong", label="facts", author="Kim")
    assert again.id == first.id and again.verdict == "right" and again.label == ""
    assert [(a.author, a.verdict) for a in runs.annotations("R-1")] == [
        ("Kim", "wrong"),
        ("Lee", "right"),
    ]
    assert other.id != first.id


def test_refused_annotations(runs: Store) -> None:
    with pytest.raises(NotFound, match="Run R-1 has no step 'triage'"):
        runs.annotate("R-1", "triage", "wrong")
    with pytest.raises(NotFound, match="Run R-404 has no step"):
        runs.annotate("R-404", "intent", "wrong")
    with pytest.raises(ValueError, match="verdict"):
        runs.annotate("R-1", "intent", "meh")
    with pytest.raises(ValueError, match="verdict"):
        AnnotationFilter(verdict="meh")
    assert runs.annotations("R-1") == []


def test_flagged_steps_list_with_filters(runs: Store) -> None:
    runs.annotate("R-1", "intent", "wrong", label="wrong_intent")
    runs.annotate("R-1", "reply", "right")
    runs.annotate("R-2", "reply", "wrong", label="invented_fact")
    listed = runs.annotated_steps()
    assert [(f.annotation.run_id, f.annotation.step) for f in listed] == [
        ("R-2", "reply"),
        ("R-1", "intent"),
    ]
    assert (listed[0].ticket_id, listed[0].model) == ("T-1026", "gpt-4.1")  # the later record
    assert listed[1].run_started_at == "2026-12-01T10:00:00+00:00"

    def found(**fields: object) -> list[tuple[str, str]]:
        flt = AnnotationFilter(**fields)  # type: ignore[arg-type]
        return [(f.annotation.run_id, f.annotation.step) for f in runs.annotated_steps(flt)]

    assert found(step="intent") == [("R-1", "intent")]
    assert found(label="invented_fact") == [("R-2", "reply")]
    assert found(model="gpt-4.1") == [("R-2", "reply")]
    assert found(since=datetime(2026, 12, 2, tzinfo=UTC)) == [("R-2", "reply")]
    assert found(until=datetime(2026, 12, 2, tzinfo=UTC)) == [("R-1", "intent")]
    assert found(verdict="right") == [("R-1", "reply")]
    assert len(found(verdict=None)) == 3


def test_wrong_steps_export_as_a_jsonl_dataset(runs: Store, tmp_path: Path) -> None:
    runs.annotate("R-2", "reply", "wrong", label="invented_fact", note="No refund was approved.")
    runs.annotate("R-1", "intent", "right")
    path = tmp_path / "dataset.jsonl"
    assert annotations_to_jsonl(runs, path) == 1
    (line,) = path.read_text(encoding="utf-8").splitlines()
    item = json.loads(line)
    ticket = runs.ticket("T-1026")
    assert (item["run_id"], item["step"], item["verdict"], item["label"]) == (
        "R-2",
        "reply",
        "wrong",
        "invented_fact",
    )
    assert item["note"] == "No refund was approved."
    assert (item["subject"], item["body"]) == (ticket.subject, ticket.body)
    reply = runs.step_outputs("R-2")["reply"]  # the later of the two reply records
    assert item["messages"] == reply["messages_json"]
    assert (item["raw_output"], item["model"], item["status"]) == (
        "Hi Tom, refund sent.",
        "gpt-4.1",
        "done",
    )
    assert item["parsed"] is None and item["route"] is None
    assert not (tmp_path / "dataset.jsonl.part").exists()


def test_the_dataset_can_be_redacted(runs: Store, tmp_path: Path) -> None:
    runs.annotate("R-2", "intent", "wrong", author="Lee")
    path = tmp_path / "dataset.jsonl"
    annotations_to_jsonl(runs, path, AnnotationFilter(verdict=None), redact_pii=True)
    text = path.read_text(encoding="utf-8")
    assert "Tom" not in text and "Becker" not in text and "[name]" in text
    assert json.loads(text)["author"] == "Lee"  # the supervisor is not the customer
