"""Aggregates over the runs of a period, for the supervisor's dashboard (issue 6, part 3).

A period is the runs started in [since, until). SQLite sums, counts and ranks; Python gets a few
dozen rows back. ``app.supervisor.figures`` turns them into shares, rates, costs per 1,000 tickets
and percentiles.

What counts, and why:

- a step "ran" when it called a model: status done, failed or cancelled. Skipped steps did not;
  kept and cached ones reused an answer, spent nothing and took no model time;
- step latency is the ``duration_s`` of steps that finished (done); end to end is the
  ``latency_s`` of runs that finished ok (a failed run's time says nothing about drafting);
- cost is what the steps that ran spent, re-runs included: every model call is paid for;
- tickets are the distinct tickets with a run in the period; acceptance counts the runs whose
  draft was sent (``edit_level`` set, see ``replies``).

How it stays fast (100,000 runs, 400,000 steps): every step carries its run's start
(``run_started_at``), so a period's steps are ranges of ``run_steps_by_step`` (step, status,
run_started_at, …) and ``run_steps_by_model`` (model, status, run_started_at, …). GROUP BY would
sort every step of the period by its group; instead the few groups that exist are found by
skipping through the index (``min(step) … WHERE step > ?``: one probe per group, a "loose index
scan") and each group is summed over its own range, read from the index alone. Percentiles need
the durations in order: one sort per step of that step's period, returning only the ranks read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

END_TO_END = "end_to_end"
PERCENTILES = (0.50, 0.95, 0.99)
RAN = ("done", "failed", "cancelled")

_PERIOD = "started_at >= :since AND started_at < :until"
_STEP_PERIOD = "run_started_at >= :since AND run_started_at < :until"

_RUNS = (
    "SELECT count(*) AS runs, count(DISTINCT ticket_id) AS tickets,"
    " ifnull(sum(status = 'failed'), 0) AS failed, ifnull(sum(status = 'cancelled'), 0)"
    " AS cancelled, ifnull(sum(edit_level = 'unedited'), 0) AS unedited,"
    " ifnull(sum(edit_level = 'light'), 0) AS light,"
    " ifnull(sum(edit_level = 'rewritten'), 0) AS rewritten,"
    " count(DISTINCT CASE WHEN intents_json IS NOT NULL THEN ticket_id END) AS classified,"
    " ifnull(sum(status = 'ok' AND latency_s IS NOT NULL), 0) AS timed"
    f" FROM runs WHERE {_PERIOD}"
)
_STEP_GROUP = (
    "SELECT count(*), ifnull(sum(retries > 0), 0), total(cost_usd), count(duration_s)"
    f" FROM run_steps WHERE step = :step AND status = :status AND {_STEP_PERIOD}"
)
_MODEL_COST = (
    "SELECT total(cost_usd) FROM run_steps WHERE model {model} AND status IN"
    f" ({', '.join(repr(status) for status in RAN)}) AND {_STEP_PERIOD}"
)
_INTENTS = (
    "SELECT i.intent, count(DISTINCT r.ticket_id) AS tickets FROM runs r"
    " JOIN run_intents i ON i.run_id = r.id WHERE r.started_at >= :since"
    " AND r.started_at < :until GROUP BY i.intent ORDER BY tickets DESC, i.intent"
)
# The samples of one series, read from the covering index, sorted in Python: numbering them in
# SQL (row_number() OVER (ORDER BY …)) took twice as long over a month of 100,000 runs (220 ms
# against 110 ms for the four steps' 30,000 durations each).
_SAMPLES = "SELECT {value} FROM {table} WHERE {where} AND {value} IS NOT NULL"
_STEP_RANKS = _SAMPLES.format(
    value="duration_s",
    table="run_steps",
    where=f"step = :step AND status = 'done' AND {_STEP_PERIOD}",
)
_RUN_RANKS = _SAMPLES.format(value="latency_s", table="runs", where=f"status = 'ok' AND {_PERIOD}")


@dataclass(frozen=True)
class RunCounts:
    runs: int
    tickets: int
    failed: int
    cancelled: int
    unedited: int
    light: int
    rewritten: int
    classified: int  # tickets with a classified run in the period
    timed: int  # ok runs with an end-to-end latency


@dataclass(frozen=True)
class StepCounts:
    """The period's records of one step in one status."""

    step: str
    status: str
    records: int
    retried: int  # records with at least one retry
    cost_usd: float
    timed: int  # records with a duration


@dataclass(frozen=True)
class RankedSamples:
    """Some order statistics of one series: ``values[i]`` is the i-th smallest (from 0) of
    ``count`` samples, for the ranks the percentiles need."""

    series: str  # a step name or END_TO_END
    count: int
    values: dict[int, float]


@dataclass(frozen=True)
class PeriodFigures:
    runs: RunCounts
    steps: tuple[StepCounts, ...]
    model_costs: tuple[tuple[str | None, float], ...]  # what the steps that ran spent, by model
    intents: tuple[tuple[str, int], ...]  # (label, tickets), most frequent first
    latency: tuple[RankedSamples, ...]


def figures(conn: sqlite3.Connection, since: str, until: str) -> PeriodFigures:
    """The aggregates of the runs started in [since, until) (ISO times in UTC, as stored)."""
    period = {"since": since, "until": until}
    runs = RunCounts(*conn.execute(_RUNS, period).fetchone())
    steps = tuple(_step_counts(conn, period))
    intents = tuple((row[0], row[1]) for row in conn.execute(_INTENTS, period))
    latency = [
        _ranked(conn, _STEP_RANKS, {**period, "step": found.step}, found.step, found.timed)
        for found in steps
        if found.status == "done" and found.timed
    ]
    latency.append(_ranked(conn, _RUN_RANKS, period, END_TO_END, runs.timed))
    return PeriodFigures(runs, steps, tuple(_model_costs(conn, period)), intents, tuple(latency))


def ranks(count: int) -> list[int]:
    """The ranks (from 0, ascending) that the percentiles of ``count`` samples interpolate
    between: floor((count - 1) p) and the next one, for each p in PERCENTILES."""
    found: set[int] = set()
    for p in PERCENTILES:
        low = int((count - 1) * p)
        found.update(rank for rank in (low, low + 1) if rank < count)
    return sorted(found)


def _step_counts(conn: sqlite3.Connection, period: dict[str, str]) -> Iterator[StepCounts]:
    for step, status in _groups(conn):
        params = {**period, "step": step, "status": status}
        records, retried, cost, timed = conn.execute(_STEP_GROUP, params).fetchone()
        if records:
            yield StepCounts(step, status, records, retried, cost, timed)


def _groups(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """Every (step, status) pair recorded, by skipping through ``run_steps_by_step``."""
    for step in _skip(conn, "SELECT min(step) FROM run_steps WHERE step > ?", ""):
        for status in _skip(
            conn, "SELECT min(status) FROM run_steps WHERE step = ? AND status > ?", "", step
        ):
            yield step, status


def _model_costs(
    conn: sqlite3.Connection, period: dict[str, str]
) -> Iterator[tuple[str | None, float]]:
    for model in _skip(conn, "SELECT min(model) FROM run_steps WHERE model > ?", ""):
        cost = conn.execute(_MODEL_COST.format(model="= :model"), {**period, "model": model})
        yield model, float(cost.fetchone()[0])
    unnamed = conn.execute(_MODEL_COST.format(model="IS NULL"), period).fetchone()[0]
    if unnamed:
        yield None, float(unnamed)


def _skip(conn: sqlite3.Connection, sql: str, start: str, *prefix: str) -> Iterator[Any]:
    """The distinct values ``sql`` (``min(column) … > ?``, the last parameter) steps through."""
    value: Any = start
    while True:
        value = conn.execute(sql, (*prefix, value)).fetchone()[0]
        if value is None:
            return
        yield value


def _ranked(
    conn: sqlite3.Connection, sql: str, params: dict[str, str], series: str, count: int
) -> RankedSamples:
    if not count:
        return RankedSamples(series, 0, {})
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: a third faster than sqlite3.Row for 30,000 rows
    samples = sorted(value for (value,) in cursor.execute(sql, params))
    return RankedSamples(
        series, len(samples), {rank: samples[rank] for rank in ranks(len(samples))}
    )
