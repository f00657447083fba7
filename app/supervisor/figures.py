"""The supervisor's dashboard over a period: latency, cost, acceptance, intents, error rates.

``dashboard(store, since, until)`` covers the runs started in [since, until). What each figure
counts (which steps "ran", which latencies, whose cost) is set out in ``app.store.period``; SQLite
does the sums, counts and ranking, this module only divides and interpolates.

Percentiles use linear interpolation between the closest ranks, numpy's default method
(Hyndman & Fan type 7): for the n values sorted ascending, x[0] … x[n-1], percentile p lies at
h = (n - 1) * p, and is x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]). One value
is its own every percentile; none gives None.

Shares and rates are fractions from 0 to 1, None when there is nothing to divide by (no runs, no
sent reply). Costs per 1,000 tickets divide what the period's steps spent by its distinct tickets.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from app.config import STEP_NAMES
from app.store import Store
from app.store.history import iso_utc
from app.store.period import END_TO_END, PERCENTILES, RAN, RankedSamples, StepCounts

ALL_STEPS = "all"
NO_MODEL = "none"  # steps that called no model (e.g. retrieval without a planner)


@dataclass(frozen=True)
class Latency:
    count: int
    p50: float | None
    p95: float | None
    p99: float | None


@dataclass(frozen=True)
class StepRates:
    records: int  # step records in the period, any status
    ran: int  # called a model: done, failed or cancelled
    failed: int
    retried: int  # ran and needed at least one retry
    skipped: int
    error_rate: float | None  # failed / ran
    retry_rate: float | None  # retried / ran
    skip_rate: float | None  # skipped / records


@dataclass(frozen=True)
class Acceptance:
    """How the drafts that were sent fared: sent as drafted, lightly edited, or rewritten."""

    sent: int
    unedited: int
    light: int
    rewritten: int
    unedited_share: float | None
    light_share: float | None
    rewritten_share: float | None


@dataclass(frozen=True)
class IntentShare:
    intent: str
    tickets: int  # distinct tickets classified with this intent in the period
    share: float | None  # of the classified tickets; a ticket may have several intents


@dataclass(frozen=True)
class Dashboard:
    since: str  # ISO, UTC
    until: str
    runs: int
    tickets: int
    failed_runs: int
    cancelled_runs: int
    run_error_rate: float | None  # failed runs / runs
    latency: dict[str, Latency]  # by step in pipeline order, then "end_to_end"; seconds
    cost_usd: float  # everything the period's steps spent
    cost_per_1000_tickets: float | None
    cost_per_1000_tickets_by_step: dict[str, float]
    cost_per_1000_tickets_by_model: dict[str, float]
    acceptance: Acceptance
    classified_tickets: int
    intent_mix: tuple[IntentShare, ...]  # most frequent first
    rates: dict[str, StepRates]  # by step in pipeline order, then "all"

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types only (``stepwise report --json``)."""
        return asdict(self)


def dashboard(store: Store, since: datetime, until: datetime) -> Dashboard:
    """The dashboard's figures for the runs started in [since, until); raises StoreError."""
    found = store.period_figures(since, until)
    runs = found.runs
    spent = [row for row in found.steps if row.status in RAN]
    cost = sum(row.cost_usd for row in spent)
    by_step: dict[str, float] = {}
    for row in spent:
        by_step[row.step] = by_step.get(row.step, 0.0) + row.cost_usd
    by_model = {model or NO_MODEL: value for model, value in found.model_costs if value}
    sent = runs.unedited + runs.light + runs.rewritten
    return Dashboard(
        since=iso_utc(since),
        until=iso_utc(until),
        runs=runs.runs,
        tickets=runs.tickets,
        failed_runs=runs.failed,
        cancelled_runs=runs.cancelled,
        run_error_rate=share(runs.failed, runs.runs),
        latency=_latency(found.latency),
        cost_usd=cost,
        cost_per_1000_tickets=per_1000(cost, runs.tickets),
        cost_per_1000_tickets_by_step=_per_1000(by_step, runs.tickets, _ordered(set(by_step))),
        cost_per_1000_tickets_by_model=_per_1000(by_model, runs.tickets, sorted(by_model)),
        acceptance=Acceptance(
            sent,
            runs.unedited,
            runs.light,
            runs.rewritten,
            share(runs.unedited, sent),
            share(runs.light, sent),
            share(runs.rewritten, sent),
        ),
        classified_tickets=runs.classified,
        intent_mix=tuple(
            IntentShare(intent, count, share(count, runs.classified))
            for intent, count in found.intents
        ),
        rates=_rates(found.steps),
    )


def percentile(sorted_values: dict[int, float], count: int, p: float) -> float | None:
    """Linear interpolation between closest ranks (see the module docstring). ``sorted_values``
    maps ranks (from 0, ascending) to values and must hold floor(h) and, when h is not whole,
    floor(h) + 1."""
    if count == 0:
        return None
    h = (count - 1) * p
    low = int(h)  # floor: h >= 0
    fraction = h - low
    if fraction == 0 or low + 1 >= count:
        return sorted_values[low]
    return sorted_values[low] + fraction * (sorted_values[low + 1] - sorted_values[low])


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def per_1000(cost: float, tickets: int) -> float | None:
    return cost / tickets * 1000 if tickets else None


def _ordered(names: set[str]) -> list[str]:
    known = [name for name in STEP_NAMES if name in names]
    return known + sorted(names - set(STEP_NAMES))


def _latency(series: tuple[RankedSamples, ...]) -> dict[str, Latency]:
    by_name = {found.series: found for found in series}
    names = [*_ordered(set(by_name) - {END_TO_END}), END_TO_END]
    result = {}
    for name in names:
        found = by_name.get(name, RankedSamples(name, 0, {}))
        p50, p95, p99 = (percentile(found.values, found.count, p) for p in PERCENTILES)
        result[name] = Latency(found.count, p50, p95, p99)
    return result


def _per_1000(costs: dict[str, float], tickets: int, order: list[str]) -> dict[str, float]:
    return {key: costs[key] / tickets * 1000 for key in order} if tickets else {}


def _rates(steps: tuple[StepCounts, ...]) -> dict[str, StepRates]:
    sums: dict[str, list[int]] = {}
    for row in steps:
        called = row.status in RAN
        counts = (
            row.records,
            row.records if called else 0,
            row.records if row.status == "failed" else 0,
            row.retried if called else 0,
            row.records if row.status == "skipped" else 0,
        )
        for key in (row.step, ALL_STEPS):
            found = sums.setdefault(key, [0, 0, 0, 0, 0])
            for index, value in enumerate(counts):
                found[index] += value
    result = {}
    for name in [*_ordered(set(sums) - {ALL_STEPS}), ALL_STEPS]:
        records, ran, failed, retried, skipped = sums.get(name, [0, 0, 0, 0, 0])
        result[name] = StepRates(
            records,
            ran,
            failed,
            retried,
            skipped,
            share(failed, ran),
            share(retried, ran),
            share(skipped, records),
        )
    return result
