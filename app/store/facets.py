"""What the supervisor's history shows and filters on, worked out once when a run is recorded.

Reading these from ``run_steps`` on every page (parsing each intent answer, collecting each run's
models) would cost a JSON parse per row and make filters scan every step; instead the run row
carries them (schema 5) and ``run_intents`` indexes the intents:

- ``intents_json``: the labels of the run's classification: its last intent step that gave an
  answer (done, cached or kept) with an ``intents`` array; NULL when it has none;
- ``models_json``: the models of the steps that ran (every step but the skipped ones), in order,
  each once;
- ``latency_s``: end to end, from the run's start to its end (the steps overlap, so this is not
  the sum of their durations); NULL when the run has no end time.

The same functions fill new runs (``runs.prepare_run``) and old ones (the schema 5 backfill), so
both agree.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

DERIVED_COLUMNS = ("intents_json", "models_json", "latency_s")
ANSWERED = ("done", "cached", "kept")  # an intent step in one of these gave an answer

INSERT_INTENT = "INSERT OR IGNORE INTO run_intents (run_id, intent) VALUES (?, ?)"


def derived(
    started_at: str | None, finished_at: str | None, steps: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The derived columns of a run, encoded for SQLite. ``steps`` hold decoded values."""
    found = intents(steps)
    return {
        "intents_json": None if found is None else json.dumps(found, ensure_ascii=False),
        "models_json": json.dumps(models(steps), ensure_ascii=False),
        "latency_s": latency_s(started_at, finished_at),
    }


def intents(steps: Sequence[Mapping[str, Any]]) -> list[str] | None:
    """The run's intent labels, each once in answer order, or None without a classification."""
    for step in reversed(steps):
        if step.get("step") != "intent" or step.get("status") not in ANSWERED:
            continue
        parsed = step.get("parsed_json")
        labels = parsed.get("intents") if isinstance(parsed, Mapping) else None
        if isinstance(labels, list):
            return list(dict.fromkeys(label for label in labels if isinstance(label, str)))
    return None


def models(steps: Sequence[Mapping[str, Any]]) -> list[str]:
    found = (step.get("model") for step in steps if step.get("status") != "skipped")
    return list(dict.fromkeys(model for model in found if isinstance(model, str) and model))


def latency_s(started_at: str | None, finished_at: str | None) -> float | None:
    """Seconds from start to finish; None when either is missing or unreadable, or it ends
    before it starts. A time without a zone is UTC, as Stepwise has always stored them."""
    start, end = _moment(started_at), _moment(finished_at)
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds()


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def insert_intents(conn: sqlite3.Connection, run_id: str, intents_json: str | None) -> None:
    """Index the run's intents (``derived``'s ``intents_json``) in ``run_intents``."""
    labels = json.loads(intents_json) if intents_json else []
    conn.executemany(INSERT_INTENT, [(run_id, label) for label in labels])


def backfill(conn: sqlite3.Connection) -> None:
    """Fill the derived columns and ``run_intents`` of the runs already stored (schema 5)."""
    runs = conn.execute("SELECT id, started_at, finished_at FROM runs").fetchall()
    for run_id, started_at, finished_at in runs:
        steps = [
            {"step": step, "status": status, "model": model, "parsed_json": _loads(parsed)}
            for step, status, model, parsed in conn.execute(
                "SELECT step, status, model, parsed_json FROM run_steps WHERE run_id = ?"
                " ORDER BY seq",
                (run_id,),
            )
        ]
        values = derived(started_at, finished_at, steps)
        conn.execute(
            "UPDATE runs SET intents_json = :intents_json, models_json = :models_json,"
            " latency_s = :latency_s WHERE id = :id",
            {**values, "id": run_id},
        )
        insert_intents(conn, run_id, values["intents_json"])


def _loads(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
