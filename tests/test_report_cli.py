"""``stepwise report``: the dashboard's figures headless, as JSON or plain tables; bad dates
exit 2."""

from __future__ import annotations

import argparse
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.cli import build_parser
from app.paths import workspace_dir
from app.report_cli import BadDate, parse_moment, report_command
from app.store import Store
from app.supervisor.figures import dashboard
from app.workspace import DB_NAME
from tests.store.run_factory import record
from tests.test_cli import stepwise


def _history(demo: bool = False) -> Path:
    path = workspace_dir(demo=demo) / DB_NAME
    with Store.open(path) as store:
        store.load_seed(
            {
                "tickets": [
                    {
                        "id": f"T-{n}",
                        "customer_id": None,
                        "subject": "Late",
                        "body": "Where is my parcel?",
                        "channel": "email",
                        "received_at": "2026-11-30T10:00:00",
                    }
                    for n in (1, 2)
                ]
            }
        )
        record(store, "R-1", ticket="T-1", at="2026-12-01T10:00:00+00:00", seconds=4.0)
        record(store, "R-2", ticket="T-2", at="2026-12-07T23:00:00+00:00", seconds=2.0)
        record(store, "R-3", ticket="T-2", at="2026-12-08T00:00:00+00:00", seconds=9.0)
        store.mark_sent("T-1", "Hi Emily, your order is on its way.")
    return path


def _run(*argv: str) -> tuple[int, str, str]:
    args = build_parser().parse_args(["report", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = report_command(args, demo=False, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_json_figures_equal_the_dashboards(data_dir: Path) -> None:
    path = _history()
    code, out, err = _run("--since", "2026-12-01", "--until", "2026-12-07", "--json")
    assert (code, err) == (0, "")
    figures = json.loads(out)
    # --until names the last day included: the period ends at the next midnight (UTC).
    with Store.open(path) as store:
        since, until = datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 8, tzinfo=UTC)
        expected = dashboard(store, since, until).to_json()
    assert figures == json.loads(json.dumps(expected))
    assert (figures["runs"], figures["tickets"], figures["acceptance"]["unedited"]) == (2, 2, 1)
    assert figures["latency"]["end_to_end"]["p50"] == 3.0  # (2 + 4) / 2; R-3 is on Dec 8


def test_plain_tables_without_json(data_dir: Path) -> None:
    _history()
    code, out, _ = _run("--since", "2026-12-01T00:00:00+00:00", "--until", "2026-12-09")
    assert code == 0
    assert "Runs 3 · tickets 2 · failed 0 (0.0%)" in out
    assert "end to end             3     4.00     8.50     8.90" in out  # [2, 4, 9]
    assert "Acceptance of 1 sent drafts: unedited 1 (100.0%)" in out
    assert "order_status 2 (100.0%)" in out


def test_an_empty_history_reports_zeros(data_dir: Path) -> None:
    code, out, _ = _run("--since", "2020-01-01", "--json")  # until now
    assert code == 0 and json.loads(out)["runs"] == 0


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("--since", "yesterday"), "--since 'yesterday' is not a date; write it as YYYY-MM-DD"),
        (("--since", "2026-12-01", "--until", "2026-13-01"), "--until '2026-13-01' is not a date"),
        (("--since", "2026-12-05", "--until", "2026-12-01"), "the period is empty"),
    ],
)
def test_bad_dates_exit_2_in_plain_words(data_dir: Path, argv: tuple[str, ...], words: str) -> None:
    code, out, err = _run(*argv)
    assert (code, out) == (2, "")
    assert err.startswith("stepwise report: ") and words in err


def test_dates_are_utc_days_or_exact_times() -> None:
    assert parse_moment("2026-12-01", "--since", end_of_day=False) == datetime(
        2026, 12, 1, tzinfo=UTC
    )
    assert parse_moment("2026-12-01", "--until", end_of_day=True) == datetime(
        2026, 12, 2, tzinfo=UTC
    )
    exact = parse_moment("2026-12-01T09:00:00+01:00", "--until", end_of_day=True)
    assert exact == datetime(2026, 12, 1, 8, tzinfo=UTC)
    assert parse_moment("2026-12-01T09:00", "--since", end_of_day=False).tzinfo is UTC
    with pytest.raises(BadDate):
        parse_moment("", "--since", end_of_day=False)


def test_the_command_runs_headless_and_reads_the_demo_workspace(data_dir: Path) -> None:
    _history(demo=True)
    argv = ("--demo", "report", "--since", "2026-12-01", "--until", "2026-12-31", "--json")
    result = stepwise(*argv, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["runs"] == 3
    missing = stepwise("report", data_dir=data_dir)
    assert missing.returncode == 2 and "--since" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_report_is_in_the_parser() -> None:
    args = build_parser().parse_args(["report", "--since", "2026-12-01"])
    assert isinstance(args, argparse.Namespace) and args.command == "report"
    assert (args.json, args.until, args.demo) == (False, None, False)
