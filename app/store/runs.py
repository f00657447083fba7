"""SQL for pipeline runs and their steps: what the supervisor inspects afterwards.

Minimal on purpose (one row per run, one per recorded step); later issues deepen it with prices,
prompts and flags. Steps travel as plain dicts keyed by the ``run_steps`` columns so the pipeline
can hand over what it measured without a record type that is still changing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

STEP_COLUMNS = (
    "step",
    "model",
    "input_tokens",
    "output_tokens",
    "tokens_estimated",
    "duration_s",
    "ttft_s",
    "status",
    "output_text",
    "error",
)
_REQUIRED = ("step", "status")
_BOOLEAN = ("tokens_estimated",)


def check_steps(steps: Sequence[Mapping[str, Any]]) -> None:
    """Refuse steps with unknown or missing keys before touching the database (a caller bug)."""
    for index, step in enumerate(steps):
        unknown = set(step) - set(STEP_COLUMNS) - {"run_id"}
        missing = [key for key in _REQUIRED if step.get(key) is None]
        if unknown or missing:
            raise ValueError(
                f"run step {index}: unknown keys {sorted(unknown)}, missing keys {missing}"
            )


def insert_run(
    conn: sqlite3.Connection,
    run: Mapping[str, Any],
    steps: Sequence[Mapping[str, Any]],
) -> None:
    """Insert one run and its steps; the caller owns the transaction."""
    conn.execute(
        "INSERT INTO runs (id, ticket_id, started_at, finished_at, ok, draft)"
        " VALUES (:id, :ticket_id, :started_at, :finished_at, :ok, :draft)",
        {**run, "ok": int(bool(run["ok"]))},
    )
    columns = ", ".join(STEP_COLUMNS)
    placeholders = ", ".join(f":{name}" for name in STEP_COLUMNS)
    conn.executemany(
        f"INSERT INTO run_steps (run_id, seq, {columns}) VALUES (:run_id, :seq, {placeholders})",
        [_step_params(run["id"], seq, step) for seq, step in enumerate(steps)],
    )


def _step_params(run_id: str, seq: int, step: Mapping[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {name: step.get(name) for name in STEP_COLUMNS}
    for name in _BOOLEAN:
        params[name] = int(bool(params[name]))
    return {**params, "run_id": run_id, "seq": seq}


def load_run(conn: sqlite3.Connection, run_id: str) -> dict[str, Any] | None:
    """The run as a dict (runs columns, ``ok`` as bool) with ``steps`` in recorded order."""
    row = conn.execute(
        "SELECT id, ticket_id, started_at, finished_at, ok, draft FROM runs WHERE id = ?",
        (run_id,),
    ).fetchone()
    if row is None:
        return None
    steps = conn.execute(
        f"SELECT {', '.join(STEP_COLUMNS)} FROM run_steps WHERE run_id = ? ORDER BY seq",
        (run_id,),
    ).fetchall()
    run = dict(row)
    run["ok"] = bool(run["ok"])
    run["steps"] = [_step_from_row(step) for step in steps]
    return run


def _step_from_row(row: sqlite3.Row) -> dict[str, Any]:
    step = dict(row)
    for name in _BOOLEAN:
        step[name] = bool(step[name])
    return step


def run_ids_for_ticket(conn: sqlite3.Connection, ticket_id: str) -> list[str]:
    """Run ids of a ticket, newest first."""
    rows = conn.execute(
        "SELECT id FROM runs WHERE ticket_id = ? ORDER BY started_at DESC, id DESC", (ticket_id,)
    ).fetchall()
    return [row["id"] for row in rows]
