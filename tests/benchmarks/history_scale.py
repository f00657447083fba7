"""The supervisor's history, filters and dashboard over 100,000 runs, against a full in-memory load.

    /work/venv/bin/python -m tests.benchmarks.history_scale [--runs N] [--payload full|small]
        [--keep PATH] [--repeat N] [--no-check]

Generates ``--runs`` (100,000) realistic runs into a temporary store through the Store's own write
paths (``history_data``; ~3 minutes and ~3 GB with ``--payload full``, the sizes of a real run),
or reuses the store at ``--keep PATH`` when it holds that many runs (and keeps a new one there).
Then, in this one process:

- first page: on a freshly opened Store (a new connection, its page cache empty),
  ``history_count()`` plus ``history_page(offset=0, limit=100)``: what the history view needs to
  show its first screen and size its scroll bar;
- filter: ``history_count`` plus the first page with a filter set, on the open store: the target
  one (intent + cost range + a word of text) and seven others, of which the slowest is reported;
- dashboard: ``app.supervisor.figures.dashboard`` over the last 30 days;
- memory: growth of the peak RSS (``/proc/self/status`` VmHWM, reset through ``clear_refs``) over
  all of the above, and the Python heap's peak (tracemalloc, in a separate pass so that its
  bookkeeping does not slow the timings).

The baseline (``history_baseline``) loads the runs table (history columns and the text a search
needs) and the steps' figures into Python lists, then sorts, filters and computes there. Each
timing is the median of ``--repeat`` (5) tries. The two designs' answers (counts, first page ids,
percentiles, rates) must agree, or the run fails.

Targets: first page <= 300 ms, filter <= 200 ms (slowest of the set), dashboard <= 1 s, memory
growth <= 150 MB. Exit code 1 when one fails (unless ``--no-check``) or the answers differ.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from app.store import HistoryFilter, Store
from app.supervisor.figures import dashboard
from tests.benchmarks import history_baseline as baseline
from tests.benchmarks.history_data import END, make_store

MB = 1024 * 1024
TARGETS = {"first page": 0.300, "filter": 0.200, "dashboard": 1.0, "memory": 150 * MB}
TARGET_FILTER = HistoryFilter(intent="refund_request", min_cost=0.01, max_cost=0.05, text="refund")
OTHER_FILTERS = {
    "agent": HistoryFilter(agent="Emily C."),
    "model": HistoryFilter(model="gpt-4.1-mini"),
    "failed": HistoryFilter(status="failed"),
    "edited": HistoryFilter(edited=True),
    "flagged": HistoryFilter(flagged=True),
    "two words": HistoryFilter(text="espresso machine"),
    "last 7 days": HistoryFilter(since=END - timedelta(days=7), until=END),
}
SINCE, UNTIL = END - timedelta(days=30), END


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--payload", choices=("full", "small"), default="full")
    parser.add_argument("--keep", type=Path, help="reuse (or keep) the generated store here")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-check", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="stepwise-history-") as tmp:
        path = args.keep or Path(tmp) / "stepwise.db"
        _prepare(path, args.runs, args.payload)
        ours, answers = _measure_ours(path, args.repeat)
        base, expected = _measure_baseline(path, args.repeat)
    agree = _compare(answers, expected)
    failed = _report(ours, base)
    if not agree:
        print("FAIL: the store and the in-memory baseline disagree (see above)")
    return 1 if not agree or (failed and not args.no_check) else 0


def _prepare(path: Path, runs: int, payload: str) -> None:
    if path.exists():
        with Store.open(path) as store:
            found = store.history_count()
        if found == runs:
            print(f"reusing {path}: {found} runs")
            return
        raise SystemExit(f"{path} holds {found} runs, not {runs}; remove it or pick another path")
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    made = make_store(path, runs, payload=payload)
    took = time.perf_counter() - start
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / MB
    print(
        f"generated {made.runs} runs of {made.tickets} tickets ({made.sent} sent) in {took:.0f} s;"
        f" database {size:.0f} MB"
    )


def _measure_ours(path: Path, repeat: int) -> tuple[dict[str, Any], dict[str, Any]]:
    result: dict[str, Any] = {}
    rss = _RssPeak()

    def first_page() -> tuple[int, list[str]]:
        with Store.open(path) as fresh:
            count = fresh.history_count()
            return count, [row.run_id for row in fresh.history_page(None, 0, 100)]

    result["first page"], page = _timed(first_page, repeat)
    with Store.open(path) as store:
        filters = {"target": TARGET_FILTER, **OTHER_FILTERS}
        timings = {}
        for name, flt in filters.items():
            timings[name], found = _timed(lambda f=flt: _filtered(store, f), repeat)
            if name == "target":
                target = found
        result["filter"] = timings["target"]
        result["filters"] = {name: median for name, (_, median) in timings.items()}
        result["slowest filter"] = max(timings.items(), key=lambda item: item[1][1])
        result["deep page"], _ = _timed(lambda: store.history_page(None, 50_000, 100), repeat)
        result["dashboard"], figures = _timed(lambda: dashboard(store, SINCE, UNTIL), repeat)
        result["rss"] = rss.growth()
        tracemalloc.start()
        _filtered(store, TARGET_FILTER)
        dashboard(store, SINCE, UNTIL)
        result["heap"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, {"page": page, "target": target, "dashboard": figures}


def _filtered(store: Store, flt: HistoryFilter) -> tuple[int, list[str]]:
    return store.history_count(flt), [row.run_id for row in store.history_page(flt, 0, 100)]


def _measure_baseline(path: Path, repeat: int) -> tuple[dict[str, Any], dict[str, Any]]:
    result: dict[str, Any] = {}
    rss = _RssPeak()
    with Store.open(path) as store:
        conn = store._conn

        def load_and_page() -> tuple[baseline.Loaded, tuple[int, list[str]]]:
            loaded = baseline.load_runs(conn)
            return loaded, baseline.first_page(loaded)

        result["first page"], answer = _timed(load_and_page, repeat)
        loaded, page = answer
        args = ("refund_request", 0.01, 0.05, "refund")
        result["filter"], target = _timed(lambda: baseline.filtered(loaded, *args), repeat)

        def steps_and_figures() -> dict[str, Any]:
            baseline.load_steps(conn, loaded)
            return baseline.dashboard(loaded, SINCE.isoformat(), UNTIL.isoformat())

        result["dashboard"], figures = _timed(steps_and_figures, repeat)
        result["rss"] = rss.growth()
        loaded.runs, loaded.steps = [], None  # let the next load be measured alone
        tracemalloc.start()
        again = baseline.load_runs(conn)
        baseline.load_steps(conn, again)
        baseline.dashboard(again, SINCE.isoformat(), UNTIL.isoformat())
        result["heap"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, {"page": page, "target": target, "dashboard": figures}


def _timed(action: Callable[[], Any], repeat: int) -> tuple[tuple[float, float], Any]:
    """(first, median) seconds of ``repeat`` calls, and the last call's answer."""
    times, answer = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        answer = action()
        times.append(time.perf_counter() - start)
    return (times[0], statistics.median(times)), answer


class _RssPeak:
    """Peak RSS growth from now on (Linux: VmHWM, reset by writing 5 to clear_refs)."""

    def __init__(self) -> None:
        Path("/proc/self/clear_refs").write_text("5")
        self.start = self._status("VmRSS")

    def growth(self) -> int:
        return self._status("VmHWM") - self.start

    @staticmethod
    def _status(field: str) -> int:
        found = re.search(rf"{field}:\s+(\d+) kB", Path("/proc/self/status").read_text())
        assert found is not None
        return int(found.group(1)) * 1024


def _compare(ours: dict[str, Any], expected: dict[str, Any]) -> bool:
    ok = True
    for name in ("page", "target"):
        if ours[name] != expected[name]:
            print(f"MISMATCH {name}: store {ours[name][0]} runs, baseline {expected[name][0]}")
            ok = False
    figures, base = ours["dashboard"], expected["dashboard"]
    pairs = [
        ("runs", figures.runs, base["runs"]),
        ("tickets", figures.tickets, base["tickets"]),
        ("unedited", figures.acceptance.unedited, base["unedited"]),
        ("error rate", figures.rates["all"].error_rate, base["error_rate"]),
        ("skip rate", figures.rates["all"].skip_rate, base["skip_rate"]),
    ]
    for step, (p50, p95, p99) in base["latency"].items():
        found = figures.latency[step]
        pairs += [(f"{step} p50", found.p50, p50), (f"{step} p95", found.p95, p95)]
        pairs += [(f"{step} p99", found.p99, p99)]
    for model, cost in base["cost_per_1000_by_model"].items():
        mine = figures.cost_per_1000_tickets_by_model.get(model, 0.0)  # none: nothing spent
        pairs.append((f"{model} cost", mine, cost))
    for name, mine, theirs in pairs:
        if not math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=1e-12):
            print(f"MISMATCH {name}: store {mine}, baseline {theirs}")
            ok = False
    return ok


def _report(ours: dict[str, Any], base: dict[str, Any]) -> bool:
    slow_name, slow = ours["slowest filter"]
    rows = [
        ("first page (count + 100 rows)", ours["first page"], base["first page"], "first page"),
        ("filter: intent+cost+text", ours["filter"], base["filter"], "filter"),
        (f"slowest filter ({slow_name})", slow, None, "filter"),
        ("page at offset 50,000", ours["deep page"], None, None),
        ("dashboard, 30 days", ours["dashboard"], base["dashboard"], "dashboard"),
    ]
    print(f"\n{'':32}{'store first':>12}{'median':>9}{'baseline':>10}{'ratio':>8}{'target':>9}")
    failed = False
    for label, (first, median), other, target in rows:
        ratio = f"{median / other[1]:.3f}x" if other else ""
        verdict = ""
        if target:
            passed = median <= TARGETS[target]
            failed |= not passed
            verdict = f"{'PASS' if passed else 'FAIL'} {TARGETS[target] * 1000:.0f}"
        base_ms = f"{other[1] * 1000:.0f} ms" if other else ""
        print(
            f"{label:32}{first * 1000:>9.1f} ms{median * 1000:>6.1f} ms{base_ms:>10}{ratio:>8}"
            f"  {verdict}"
        )
    each = " · ".join(f"{name} {ms * 1000:.0f}" for name, ms in ours["filters"].items())
    print(f"{'  each filter, median ms':32}{each}")
    for name, key in (("peak RSS growth", "rss"), ("Python heap peak", "heap")):
        mine, theirs = ours[key] / MB, base[key] / MB
        verdict = ""
        if key == "rss":
            passed = ours[key] <= TARGETS["memory"]
            failed |= not passed
            verdict = f"{'PASS' if passed else 'FAIL'} 150 MB"
        print(f"{name:32}{mine:>9.1f} MB{'':9}{theirs:>7.0f} MB{mine / theirs:>7.3f}x  {verdict}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
