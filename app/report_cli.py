"""``stepwise report``: the supervisor dashboard's figures for a period, headless (issue 6).

    stepwise report --since 2026-12-01 [--until 2026-12-07] [--json] [--demo]

Dates are UTC days: ``--since`` counts from the start of its day, ``--until`` up to the end of
its day (default: now); a full ISO time (``2026-12-01T09:00:00+01:00``) is taken as the exact
moment, and ``--until`` then excludes it. ``--json`` prints one JSON object
(``Dashboard.to_json``); otherwise a few plain tables. Exit 0 with the figures, 2 for a bad date
or a database that cannot be read, with the reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, timedelta
from typing import TextIO

from app.paths import workspace_dir
from app.store import Store, StoreError
from app.supervisor.figures import Dashboard, Latency, dashboard
from app.workspace import DB_NAME


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser("report", help="print the supervisor's figures for a period")
    report.add_argument(
        "--since", required=True, metavar="DATE", help="first day, YYYY-MM-DD (UTC), or a time"
    )
    report.add_argument("--until", metavar="DATE", help="last day, included (default: now)")
    report.add_argument("--json", action="store_true", help="one JSON object on stdout")
    report.add_argument("--demo", action="store_true", default=argparse.SUPPRESS)


class BadDate(ValueError):
    pass


def report_command(
    args: argparse.Namespace,
    *,
    demo: bool,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    now: datetime | None = None,
) -> int:
    try:
        since = parse_moment(args.since, "--since", end_of_day=False)
        until = (
            parse_moment(args.until, "--until", end_of_day=True)
            if args.until
            else now or datetime.now(UTC)
        )
        if until <= since:
            raise BadDate(
                f"the period is empty: --until ({until.isoformat()}) is not after --since "
                f"({since.isoformat()})."
            )
    except BadDate as problem:
        print(f"stepwise report: {problem}", file=err)
        return 2
    try:
        with Store.open(workspace_dir(demo=demo) / DB_NAME) as store:
            figures = dashboard(store, since, until)
    except StoreError as problem:
        print(f"stepwise report: {problem}", file=err)
        return 2
    if args.json:
        out.write(json.dumps(figures.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(render(figures))
    return 0


def parse_moment(text: str, option: str, *, end_of_day: bool) -> datetime:
    """A day (its start, or with ``end_of_day`` the next day's start) or an exact ISO time, in
    UTC when it names no zone; raises BadDate in plain words."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return start + timedelta(days=1) if end_of_day else start
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadDate(
            f"{option} {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def render(figures: Dashboard) -> str:
    """The figures as plain text tables."""
    lines = [
        f"Stepwise report: runs started from {figures.since} until {figures.until}",
        f"Runs {figures.runs} · tickets {figures.tickets} · failed {figures.failed_runs}"
        f" ({_pct(figures.run_error_rate)}) · cancelled {figures.cancelled_runs}",
        "",
        f"{'Latency (s)':<16}{'count':>8}{'p50':>9}{'p95':>9}{'p99':>9}",
    ]
    lines += [_latency_line(name, found) for name, found in figures.latency.items()]
    lines += [
        "",
        f"Cost ${figures.cost_usd:.4f} · per 1,000 tickets {_usd(figures.cost_per_1000_tickets)}",
        "  per 1,000 tickets by step:  " + _costs(figures.cost_per_1000_tickets_by_step),
        "  per 1,000 tickets by model: " + _costs(figures.cost_per_1000_tickets_by_model),
        "",
    ]
    acc = figures.acceptance
    lines.append(
        f"Acceptance of {acc.sent} sent drafts: unedited {acc.unedited}"
        f" ({_pct(acc.unedited_share)}) · light {acc.light} ({_pct(acc.light_share)})"
        f" · rewritten {acc.rewritten} ({_pct(acc.rewritten_share)})"
    )
    mix = " · ".join(f"{i.intent} {i.tickets} ({_pct(i.share)})" for i in figures.intent_mix)
    lines += [f"Intent mix of {figures.classified_tickets} classified tickets: {mix or '-'}", ""]
    lines.append(f"{'Steps':<16}{'records':>8}{'ran':>8}{'errors':>9}{'retries':>9}{'skips':>9}")
    for name, rates in figures.rates.items():
        lines.append(
            f"{_label(name):<16}{rates.records:>8}{rates.ran:>8}{_pct(rates.error_rate):>9}"
            f"{_pct(rates.retry_rate):>9}{_pct(rates.skip_rate):>9}"
        )
    return "\n".join(lines) + "\n"


def _latency_line(name: str, found: Latency) -> str:
    values = "".join(f"{_secs(value):>9}" for value in (found.p50, found.p95, found.p99))
    return f"{_label(name):<16}{found.count:>8}{values}"


def _label(name: str) -> str:
    return name.replace("_", " ")


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _usd(value: float | None) -> str:
    return "-" if value is None else f"${value:.4f}"


def _costs(values: dict[str, float]) -> str:
    return " · ".join(f"{name} {_usd(value)}" for name, value in values.items()) or "-"
