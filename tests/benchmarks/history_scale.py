"""The supervisor's history, filters and dashboard over 100,000 runs, against a full in-memory load.

    /work/venv/bin/python -m tests.benchmarks.history_scale [--runs N] [--payload full|small]
        [--keep PATH] [--repeat N] [--no-check]

Generates ``--runs`` (100,000) realistic runs into a temporary store through the Store's own write
paths (``history_data``; ~3 minutes and ~3 GB with ``--payload full``, the sizes of a real run),
or reuses the store at ``--keep PATH`` when it holds that many runs (and keeps a new one there).
Then, in this one process, three passes over the same file:

1. the store (the Qt-free core):

   - first page: on a freshly opened Store (a new connection, its page cache empty),
     ``history_count()`` plus ``history_page(offset=0, limit=100)``: what the history view needs
     to show its first screen and size its scroll bar;
   - filter: ``history_count`` plus the first page with a filter set, on the open store: the
     target one (intent + cost range + a word of text) and seven others, the slowest reported;
   - dashboard: ``app.supervisor.figures.dashboard`` over the last 30 days;
   - memory: growth of the peak RSS (``/proc/self/status`` VmHWM, reset through ``clear_refs``)
     over all of the above, and the Python heap's peak (tracemalloc, in a separate pass so that
     its bookkeeping does not slow the timings);

2. the views (``history_ui``), offscreen (``QT_QPA_PLATFORM`` unless set) at the supervisor
   window's size: opening the History tab until its first page is painted; each filter set
   through its controls until the table is reloaded and repainted; scrolling to the end until
   the next page is painted; opening and refreshing the Dashboard tab until ``shown``; the peak
   RSS growth of this pass;

3. the baseline (``history_baseline``): the runs table (history columns and the text a search
   needs) and the steps' figures loaded into Python lists, then sorted, filtered and computed
   there.

Each timing is the median of ``--repeat`` (5) tries, the first try shown beside it. The answers
(counts, first page ids, percentiles, rates; the rows each view shows, the dashboard's figures)
must agree, or the run fails.

Targets, for the store's figures and the views' alike: first page <= 300 ms, filter <= 200 ms
(slowest of the set), dashboard <= 1 s, memory growth <= 150 MB. Exit code 1 when one fails
(unless ``--no-check``) or the answers differ.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from app.store import HistoryFilter, Store
from app.supervisor.figures import dashboard
from tests.benchmarks import history_baseline as baseline
from tests.benchmarks.history_data import END, make_store
from tests.benchmarks.history_ui import Timing, measure_views
from tests.benchmarks.rss_peak import RssPeak

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
    # open-ended, as the History view's "Last 7 days" asks (the data runs a few hours past END)
    "last 7 days": HistoryFilter(since=END - timedelta(days=7)),
}
FILTERS = {"target": TARGET_FILTER, **OTHER_FILTERS}
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
        load = os.getloadavg()[0]  # a shared machine: others' work shows here
        ours, answers = _measure_ours(path, args.repeat)
        views = measure_views(path, args.repeat, FILTERS)
        base, expected = _measure_baseline(path, args.repeat)
    agree = _compare(answers, expected)
    agree = _compare_views(views, answers) and agree
    failed = _report(ours, views, base)
    print(f"load average (1 min): {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    if not agree:
        print("FAIL: the store, the views and the in-memory baseline disagree (see above)")
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
    rss = RssPeak()

    def first_page() -> tuple[int, list[str]]:
        with Store.open(path) as fresh:
            count = fresh.history_count()
            return count, [row.run_id for row in fresh.history_page(None, 0, 100)]

    result["first page"], page = _timed(first_page, repeat)
    with Store.open(path) as store:
        timings, found = {}, {}
        for name, flt in FILTERS.items():
            timings[name], found[name] = _timed(partial(_filtered, store, flt), repeat)
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
    answers = {"page": page, "target": found["target"], "filters": found, "dashboard": figures}
    return result, answers


def _filtered(store: Store, flt: HistoryFilter) -> tuple[int, list[str]]:
    return store.history_count(flt), [row.run_id for row in store.history_page(flt, 0, 100)]


def _measure_baseline(path: Path, repeat: int) -> tuple[dict[str, Any], dict[str, Any]]:
    result: dict[str, Any] = {}
    rss = RssPeak()
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


def _compare_views(views: dict[str, Any], ours: dict[str, Any]) -> bool:
    """The views showed what the store answered: the first page, each filter's count and rows,
    the dashboard's figures."""
    seen, ok = views["answers"], True
    if views["dashboard"] is not None and views["dashboard"]["figures"] != ours["dashboard"]:
        print("MISMATCH the dashboard view's figures differ from dashboard()'s")
        ok = False
    pairs = [("view's first page", seen["page"], ours["page"])]
    pairs += [
        (f"view's {name}", seen["filters"][name], found) for name, found in ours["filters"].items()
    ]
    for name, shown, found in pairs:
        if shown != found:
            print(f"MISMATCH {name}: view {shown[0]} runs, store {found[0]}")
            ok = False
    return ok


Row = tuple[str, Timing | None, Timing | None, float | None, str | None]


def _report(ours: dict[str, Any], views: dict[str, Any], base: dict[str, Any]) -> bool:
    """Print the table; True when a target failed."""
    slow_name, slow = ours["slowest filter"]
    view_slow_name, view_slow = views["slowest filter"]
    page, flt, board = "first page", "filter", "dashboard"
    store_slowest = ours["filters"][view_slow_name]
    rows: list[Row] = [
        ("first page (count + 100 rows)", ours[page], base[page], None, page),
        ("  view: open, 200 rows painted", views["open"], base[page], ours[page][1], page),
        ("filter: intent+cost+text", ours[flt], base[flt], None, flt),
        ("  view: set, reloaded, painted", views[flt], base[flt], ours[flt][1], flt),
        (f"slowest filter ({slow_name})", slow, None, None, flt),
        (f"  view: slowest ({view_slow_name})", view_slow, None, store_slowest, flt),
        ("page at offset 50,000", ours["deep page"], None, None, None),
        ("  view: scroll to end, +200 rows", views["scroll"], None, None, None),
        ("dashboard, 30 days", ours[board], base[board], None, board),
    ]
    if views[board] is None:
        rows.append(("  dashboard view: not available yet", None, None, None, None))
    else:
        timing = views[board]["timing"]
        rows.append(("  view: show/refresh() to shown", timing, base[board], ours[board][1], board))
    print(f"\n{'':36}{'first':>10}{'median':>10}{'baseline':>10}{'ratio':>8}{'/store':>8}  target")
    failed = False
    for label, timing, other, store, target in rows:
        if timing is None:
            print(label if label.endswith("yet") else f"{label:36}{'no more rows':>20}")
            continue
        first, median = timing
        line = f"{label:36}{first * 1000:>7.1f} ms{median * 1000:>7.1f} ms"
        line += f"{other[1] * 1000:>7.0f} ms{_ratio(median / other[1])}" if other else f"{'':18}"
        line += _ratio(median / store) if store else f"{'':8}"
        if target:
            passed = median <= TARGETS[target]
            failed |= not passed
            line += f"  {'PASS' if passed else 'FAIL'} {TARGETS[target] * 1000:.0f} ms"
        print(line)
    _notes(ours, views)
    return _report_memory(ours, views, base) or failed


def _ratio(value: float) -> str:
    digits = 3 if value < 10 else 1 if value < 1000 else 0
    return f"{value:>7.{digits}f}x"


def _notes(ours: dict[str, Any], views: dict[str, Any]) -> None:
    built, opened = views["open built"][1], views["open"][1]
    print(
        f"  view open, median: {built * 1000:.0f} ms to build (store, count, 200 rows),"
        f" {(opened - built) * 1000:.0f} ms more to show and paint"
    )
    history, board = views["rss history"] / MB, views["rss dashboard"] / MB
    print(f"  view pass, peak RSS growth: history {history:.1f} MB, then dashboard {board:.1f} MB")
    for who, medians in (("store", ours["filters"]), ("view", views["filters"])):
        each = " · ".join(f"{name} {ms * 1000:.0f}" for name, ms in medians.items())
        print(f"  each filter, {who}, median ms: {each}")


def _report_memory(ours: dict[str, Any], views: dict[str, Any], base: dict[str, Any]) -> bool:
    failed = False
    rows = [
        ("peak RSS growth", ours["rss"], base["rss"]),
        ("  view pass (history, dashboard)", views["rss"], base["rss"]),
        ("Python heap peak", ours["heap"], base["heap"]),
    ]
    for label, mine, theirs in rows:
        verdict = ""
        if "heap" not in label:
            passed = mine <= TARGETS["memory"]
            failed |= not passed
            verdict = f"  {'PASS' if passed else 'FAIL'} {TARGETS['memory'] / MB:.0f} MB"
        print(
            f"{label:36}{mine / MB:>7.1f} MB{'':10}{theirs / MB:>7.0f} MB{_ratio(mine / theirs)}"
            f"{'':8}{verdict}"
        )
    return failed


if __name__ == "__main__":
    sys.exit(main())
