"""Whole runs for an export, a batch at a time, in the history's order (newest first).

Each batch is its own query, continuing after the last run of the one before (keyset paging on
the ``runs_by_time`` order), so memory stays at one batch whatever the history's size and no
read stays open between batches.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from . import history
from .runs import RUN_COLUMNS, STEP_COLUMNS, decoded_run, decoded_step

_EXTRA = ("intents_json", "models_json", "latency_s", "edit_level", "edit_distance", "edit_ratio")
_TICKET = ("subject", "body", "channel", "received_at", "customer_id", "sent_text", "sent_at")
_CUSTOMER = ("name", "email", "language", "vip_tier", "customer_since", "notes")

_SELECT = (
    "SELECT {run}, {ticket}, {customer} FROM runs r JOIN tickets t ON t.id = r.ticket_id"
    " LEFT JOIN customers c ON c.id = t.customer_id WHERE {where}"
    " ORDER BY r.started_at DESC, r.id DESC LIMIT :batch"
).format(
    run=", ".join(f"r.{name}" for name in (*RUN_COLUMNS, *_EXTRA)),
    ticket=", ".join(f"t.{name} AS t__{name}" for name in _TICKET),
    customer=", ".join(f"c.{name} AS c__{name}" for name in _CUSTOMER),
    where="{where}",
)
_AFTER = "(r.started_at, r.id) < (:after_started_at, :after_id)"
_STEPS = (
    f"SELECT run_id, {', '.join(STEP_COLUMNS)} FROM run_steps"
    " WHERE run_id IN (SELECT value FROM json_each(:ids)) ORDER BY run_id, seq"
)


def run_batches(
    conn: sqlite3.Connection, flt: history.HistoryFilter, batch: int
) -> Iterator[list[dict[str, Any]]]:
    """Lists of at most ``batch`` runs matching ``flt``, each a dict as ``Store.run`` gives it
    plus ``intents``, ``models``, ``latency_s``, the edit columns, ``ticket`` and ``customer``
    (None when the ticket has none on file)."""
    where, params = history.conditions(flt)
    first = _SELECT.format(where=where)
    later = _SELECT.format(where=f"{where} AND {_AFTER}")
    after: dict[str, Any] | None = None
    while True:
        sql = first if after is None else later
        rows = conn.execute(sql, {**params, **(after or {}), "batch": batch}).fetchall()
        if not rows:
            return
        yield _records(conn, rows)
        last = rows[-1]
        after = {"after_started_at": last["started_at"], "after_id": last["id"]}


def _records(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    ids = [row["id"] for row in rows]
    steps: dict[str, list[dict[str, Any]]] = {run_id: [] for run_id in ids}
    for step in conn.execute(_STEPS, {"ids": json.dumps(ids)}):
        record = decoded_step(step)
        steps[record.pop("run_id")].append(record)
    return [_record(row, steps[row["id"]]) for row in rows]


def _record(row: sqlite3.Row, steps: list[dict[str, Any]]) -> dict[str, Any]:
    run = decoded_run(row)
    ticket = {name: run.pop(f"t__{name}") for name in _TICKET}
    customer = {name: run.pop(f"c__{name}") for name in _CUSTOMER}
    intents, models = run.pop("intents_json"), run.pop("models_json")
    run["intents"] = None if intents is None else json.loads(intents)
    run["models"] = json.loads(models)
    return {
        **run,
        "steps": steps,
        "ticket": {"id": run["ticket_id"], **ticket},
        # A customer id the customers table lacks (imported tickets) exports as no customer.
        "customer": None if customer["name"] is None else {"id": ticket["customer_id"], **customer},
    }
