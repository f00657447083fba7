"""Supervisors' verdicts on steps: "right" or "wrong", with a label and a note (issue 6, part 4).

One annotation per supervisor (``author``) per step of a run: annotating the same step again
updates it. A step recorded twice in a run (retried) is one step here; its later record is the
one an annotation is about, as in ``Store.step_outputs``. The steps marked wrong become an
evaluation dataset (``app.supervisor.export``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from .history import iso_utc

VERDICTS = ("right", "wrong")


@dataclass(frozen=True)
class Annotation:
    id: int
    run_id: str
    step: str
    verdict: str  # "right" | "wrong"
    label: str  # a short tag for grouping, e.g. "wrong_intent", "invented_fact"; may be ""
    note: str
    author: str  # the supervisor's name; "" when not given
    created_at: str  # ISO, UTC
    updated_at: str


@dataclass(frozen=True)
class AnnotationFilter:
    """Which annotated steps to list or export; the default lists every step marked wrong."""

    verdict: str | None = "wrong"  # None: both verdicts
    step: str | None = None
    label: str | None = None
    model: str | None = None  # the step's model
    since: datetime | None = None  # the run started at or after
    until: datetime | None = None  # the run started before

    def __post_init__(self) -> None:
        if self.verdict is not None and self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r} is not one of {VERDICTS}")


@dataclass(frozen=True)
class AnnotatedStep:
    """An annotation with where it sits: the row of the flagged-steps list."""

    annotation: Annotation
    ticket_id: str
    model: str | None
    run_started_at: str


_COLUMNS = (
    "a.id, a.run_id, a.step, a.verdict, a.label, a.note, a.author, a.created_at, a.updated_at"
)

# The step's later record when it was recorded twice. "+" keeps the look-up on the primary key
# (run_id, seq), not on run_steps_by_step, which would read every record of that step.
_STEP_RECORD = (
    "s.rowid = (SELECT s2.rowid FROM run_steps s2 WHERE s2.run_id = a.run_id"
    " AND +s2.step = a.step ORDER BY s2.seq DESC LIMIT 1)"
)
_FRAGMENTS = {
    "verdict": "a.verdict = :verdict",
    "step": "a.step = :step",
    "label": "a.label = :label",
    "model": "s.model = :model",
    "since": "r.started_at >= :since",
    "until": "r.started_at < :until",
}
_LISTED = (
    "SELECT {columns}, r.ticket_id, r.started_at AS run_started_at, s.model{extra}"
    " FROM annotations a JOIN runs r ON r.id = a.run_id"
    f" LEFT JOIN run_steps s ON {_STEP_RECORD}"
    " {join} WHERE {where} ORDER BY r.started_at DESC, a.run_id DESC, a.step, a.id"
)
# What an evaluation needs of each annotated step, beyond the annotation.
_DATASET_EXTRA = (
    ", t.customer_id, t.subject, t.body, s.status, s.messages_json, s.raw_output, s.parsed_json,"
    " s.reasoning_text, s.route_json"
)


def step_exists(conn: sqlite3.Connection, run_id: str, step: str) -> bool:
    found = conn.execute(
        "SELECT 1 FROM run_steps WHERE run_id = ? AND +step = ? LIMIT 1", (run_id, step)
    ).fetchone()
    return found is not None


def upsert(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    """Insert or update the author's annotation of the step; returns its id."""
    conn.execute(
        "INSERT INTO annotations (run_id, step, verdict, label, note, author, created_at,"
        " updated_at) VALUES (:run_id, :step, :verdict, :label, :note, :author, :now, :now)"
        " ON CONFLICT (run_id, step, author) DO UPDATE SET verdict = excluded.verdict,"
        " label = excluded.label, note = excluded.note, updated_at = excluded.updated_at",
        values,
    )
    row = conn.execute(
        "SELECT id FROM annotations WHERE run_id = :run_id AND step = :step AND author = :author",
        values,
    ).fetchone()
    return int(row[0])


def update(conn: sqlite3.Connection, annotation_id: int, changes: dict[str, Any]) -> int:
    """Set the given columns (verdict, label, note; names from the Store, never user text) and
    updated_at; returns the number of rows changed."""
    assigns = ", ".join(f"{name} = :{name}" for name in changes)
    return conn.execute(
        f"UPDATE annotations SET {assigns} WHERE id = :id", {**changes, "id": annotation_id}
    ).rowcount


def delete(conn: sqlite3.Connection, annotation_id: int) -> int:
    return conn.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,)).rowcount


def get(conn: sqlite3.Connection, annotation_id: int) -> Annotation | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM annotations a WHERE a.id = ?", (annotation_id,)
    ).fetchone()
    return None if row is None else annotation_from(row)


def of_run(conn: sqlite3.Connection, run_id: str) -> list[Annotation]:
    found = conn.execute(
        f"SELECT {_COLUMNS} FROM annotations a WHERE a.run_id = ? ORDER BY a.step, a.author, a.id",
        (run_id,),
    ).fetchall()
    return [annotation_from(row) for row in found]


def listed(conn: sqlite3.Connection, flt: AnnotationFilter) -> list[AnnotatedStep]:
    sql, params = _select(flt, extra="", join="")
    return [
        AnnotatedStep(annotation_from(row), row["ticket_id"], row["model"], row["run_started_at"])
        for row in conn.execute(sql, params)
    ]


def dataset_rows(conn: sqlite3.Connection, flt: AnnotationFilter) -> Iterator[sqlite3.Row]:
    """The annotated steps with their ticket, input messages and outputs, one row at a time.

    The caller must finish (or close) the iteration before writing on this connection."""
    sql, params = _select(flt, extra=_DATASET_EXTRA, join="JOIN tickets t ON t.id = r.ticket_id")
    yield from conn.execute(sql, params)


def dataset_record(row: sqlite3.Row) -> dict[str, Any]:
    """One line of the evaluation dataset (see ``Store.annotation_dataset``)."""
    annotation = asdict(annotation_from(row))
    return {
        "annotation_id": annotation.pop("id"),
        **annotation,
        "ticket_id": row["ticket_id"],
        "customer_id": row["customer_id"],
        "run_started_at": row["run_started_at"],
        "subject": row["subject"],
        "body": row["body"],
        "model": row["model"],
        "status": row["status"],
        "messages": _loads(row["messages_json"]),
        "raw_output": row["raw_output"],
        "parsed": _loads(row["parsed_json"]),
        "reasoning_text": row["reasoning_text"],
        "route": _loads(row["route_json"]),
    }


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _select(flt: AnnotationFilter, *, extra: str, join: str) -> tuple[str, dict[str, Any]]:
    values: dict[str, Any] = {
        "verdict": flt.verdict,
        "step": flt.step,
        "label": flt.label,
        "model": flt.model,
        "since": None if flt.since is None else iso_utc(flt.since),
        "until": None if flt.until is None else iso_utc(flt.until),
    }
    params = {name: value for name, value in values.items() if value is not None}
    where = " AND ".join(_FRAGMENTS[name] for name in params) or "1"
    sql = _LISTED.format(columns=_COLUMNS, extra=extra, join=join, where=where)
    return sql, params


def annotation_from(row: sqlite3.Row) -> Annotation:
    return Annotation(
        id=row["id"],
        run_id=row["run_id"],
        step=row["step"],
        verdict=row["verdict"],
        label=row["label"],
        note=row["note"],
        author=row["author"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
