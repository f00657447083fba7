"""The design the supervisor view must beat: the whole runs table loaded into Python lists.

The history's columns, the ticket text the search needs and the steps' figures are read once into
lists of tuples; the first page is a sort and a slice, a filter a list comprehension, the
dashboard a few passes with ``statistics.quantiles`` (``method="inclusive"`` is the same linear
interpolation as ``app.supervisor.figures``). The answers are compared with the store's, so the
benchmark also checks that both designs agree.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from dataclasses import dataclass
from typing import Any

RUNS = (
    "SELECT r.id, r.started_at, r.agent_name, r.ticket_id, r.status, r.cost_usd, r.latency_s,"
    " r.needs_approval, r.edit_level, r.intents_json, r.models_json, r.flags_json, r.draft,"
    " t.subject, t.body, t.sent_text FROM runs r JOIN tickets t ON t.id = r.ticket_id"
)
STEPS = "SELECT run_id, step, status, model, retries, duration_s, cost_usd FROM run_steps"
ID, STARTED, AGENT, TICKET, STATUS, COST, LATENCY = range(7)
APPROVAL, EDIT, INTENTS, MODELS, FLAGS, DRAFT, SUBJECT, BODY, SENT = range(7, 16)


@dataclass
class Loaded:
    runs: list[tuple[Any, ...]]
    steps: list[tuple[Any, ...]] | None = None


def load_runs(conn: sqlite3.Connection) -> Loaded:
    rows = []
    for row in conn.execute(RUNS):
        row = tuple(row)
        intents = json.loads(row[INTENTS]) if row[INTENTS] else []
        models = json.loads(row[MODELS])
        rows.append((*row[:INTENTS], intents, models, *row[FLAGS:]))
    return Loaded(rows)


def load_steps(conn: sqlite3.Connection, loaded: Loaded) -> None:
    loaded.steps = [tuple(row) for row in conn.execute(STEPS)]


def newest_first(loaded: Loaded) -> list[tuple[Any, ...]]:
    return sorted(loaded.runs, key=lambda row: (row[STARTED], row[ID]), reverse=True)


def first_page(loaded: Loaded, limit: int = 100) -> tuple[int, list[str]]:
    ordered = newest_first(loaded)
    return len(ordered), [row[ID] for row in ordered[:limit]]


def filtered(
    loaded: Loaded, intent: str, min_cost: float, max_cost: float, word: str, limit: int = 100
) -> tuple[int, list[str]]:
    """The filter the benchmark times: an intent, a cost range and one word of text."""
    word = word.casefold()
    found = [
        row
        for row in loaded.runs
        if intent in row[INTENTS]
        and min_cost <= row[COST] <= max_cost
        and any(word in (row[n] or "").casefold() for n in (SUBJECT, BODY, DRAFT, SENT))
    ]
    found.sort(key=lambda row: (row[STARTED], row[ID]), reverse=True)
    return len(found), [row[ID] for row in found[:limit]]


def dashboard(loaded: Loaded, since: str, until: str) -> dict[str, Any]:
    """The same figures as ``app.supervisor.figures.dashboard``, the main ones."""
    assert loaded.steps is not None
    runs = [row for row in loaded.runs if since <= row[STARTED] < until]
    ids = {row[ID] for row in runs}
    steps = [row for row in loaded.steps if row[0] in ids]
    tickets = len({row[TICKET] for row in runs})
    latency: dict[str, list[float]] = {}
    for _, step, status, _, _, duration, _ in steps:
        if status == "done" and duration is not None:
            latency.setdefault(step, []).append(duration)
    latency["end_to_end"] = [
        row[LATENCY] for row in runs if row[STATUS] == "ok" and row[LATENCY] is not None
    ]
    ran = [row for row in steps if row[2] in ("done", "failed", "cancelled")]
    by_model: dict[str, float] = {}
    for row in ran:
        by_model[row[3] or "none"] = by_model.get(row[3] or "none", 0.0) + (row[6] or 0.0)
    sent = [row[EDIT] for row in runs if row[EDIT] is not None]
    return {
        "runs": len(runs),
        "tickets": tickets,
        "latency": {name: _percentiles(values) for name, values in latency.items()},
        "cost_per_1000_by_model": {k: v / tickets * 1000 for k, v in by_model.items()},
        "unedited": sent.count("unedited"),
        "error_rate": sum(row[2] == "failed" for row in ran) / len(ran),
        "skip_rate": sum(row[2] == "skipped" for row in steps) / len(steps),
    }


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]
