"""Runs export to CSV and JSONL and read back the same; redaction removes customer PII; no export
ever holds an API key, checked with a unique key through a real pipeline run."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from app.sim.server import SimConfig
from app.store import HistoryFilter, Store
from app.supervisor.export import (
    RUN_CSV_COLUMNS,
    ExportFailed,
    runs_to_csv,
    runs_to_jsonl,
)
from app.workspace import Workspace
from tests.store.run_factory import record, steps

PII = ("Emily", "Carter", "emily.carter@example.com", "+1 (312) 555-0148", "12 Elm Street")


@pytest.fixture
def history(seeded: Store) -> Store:
    store = seeded
    with_pii = steps(intents=["shipping_expedite", "discount_request"])
    with_pii[3]["messages_json"] = [
        {"role": "user", "content": "Customer Emily Carter <emily.carter@example.com>"}
    ]
    record(
        store,
        "R-1",
        at="2026-12-01T10:00:00+00:00",
        run_steps=with_pii,
        draft="Hi Emily,\nwe will call you on +1 (312) 555-0148, or write to 12 Elm Street.",
        flags_json=[{"rule": "refund_agent_cap_usd", "message": "Above the cap."}],
        needs_approval=True,
    )
    store.mark_sent("T-1001", "Hi Emily,\nwe will call you on +1 (312) 555-0148 today.")
    record(store, "R-2", ticket="T-1026", at="2026-12-02T10:00:00+00:00", ok=False)
    formula = store.add_ticket('=HYPERLINK("http://evil.example","click"), "quoted", commas')
    record(store, "R-3", ticket=formula.id, at="2026-12-03T10:00:00+00:00", draft="-1 for you")
    return store


def test_jsonl_round_trips_every_run_whole(history: Store, tmp_path: Path) -> None:
    path = tmp_path / "runs.jsonl"
    assert runs_to_jsonl(history, path) == 3
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["R-3", "R-2", "R-1"]  # newest first
    for line in lines:
        stored = history.run(line["id"])
        assert {key: line[key] for key in stored} == stored  # every column and step, as stored
        ticket = history.ticket(line["ticket_id"])
        assert (line["ticket"]["subject"], line["ticket"]["body"]) == (ticket.subject, ticket.body)
        assert line["ticket"]["sent_text"] == ticket.sent_text
    first = lines[2]
    assert first["intents"] == ["shipping_expedite", "discount_request"]
    assert first["models"] == ["flash", "deepseek", "gpt-4.1", "sonnet"]
    assert first["latency_s"] == 5.0 and first["edit_level"] in ("light", "rewritten")
    assert first["customer"]["email"] == "emily.carter@example.com"
    assert lines[0]["customer"] is None  # a ticket typed in without a customer on file


def test_csv_round_trips_what_a_spreadsheet_needs(history: Store, tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    assert runs_to_csv(history, path) == 3
    with path.open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        assert reader.fieldnames == RUN_CSV_COLUMNS
        rows = {row["run_id"]: row for row in reader}
    first, failed, formula = rows["R-1"], rows["R-2"], rows["R-3"]
    ticket = history.ticket("T-1001")
    assert (first["subject"], first["body"], first["sent_text"]) == (
        ticket.subject,
        ticket.body,  # several lines, commas and quotes survive
        ticket.sent_text,
    )
    assert first["draft"] == history.run("R-1")["draft"]
    assert (first["intents"], first["flags"]) == (
        "shipping_expedite; discount_request",
        "refund_agent_cap_usd",
    )
    assert (first["customer_name"], first["needs_approval"], first["status"]) == (
        "Emily Carter",
        "1",
        "ok",
    )
    assert float(first["cost_usd"]) == pytest.approx(0.04)
    assert (first["reply_model"], float(first["reasoning_duration_s"])) == ("sonnet", 1.0)
    assert float(first["latency_s"]) == 5.0 and first["edit_level"] in ("light", "rewritten")
    assert (failed["status"], failed["draft"], failed["edit_level"]) == ("failed", "", "")
    # Text a spreadsheet would run as a formula is kept, behind an apostrophe.
    stored = history.ticket(formula["ticket_id"]).body
    assert formula["body"] == "'" + stored and formula["draft"] == "'-1 for you"


def test_an_export_takes_the_historys_filter(history: Store, tmp_path: Path) -> None:
    path = tmp_path / "failed.jsonl"
    assert runs_to_jsonl(history, path, HistoryFilter(status="failed")) == 1
    assert json.loads(path.read_text(encoding="utf-8"))["id"] == "R-2"
    assert [run["id"] for run in history.export_runs(batch=1)] == ["R-3", "R-2", "R-1"]


@pytest.mark.parametrize("export", [runs_to_jsonl, runs_to_csv])
def test_redacted_exports_hold_no_customer_pii(history: Store, tmp_path: Path, export: Any) -> None:
    path = tmp_path / "redacted"
    export(history, path, redact_pii=True)
    text = path.read_text(encoding="utf-8")
    for found in PII:
        assert found not in text
    for placeholder in ("[name]", "[email]", "[phone]", "[address]"):
        assert placeholder in text
    assert "T-1001" in text and "#4521" in text and "Dana" in text  # ids, orders, the agent


def test_an_export_that_cannot_be_written_says_why_and_leaves_nothing(
    history: Store, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "runs.csv"
    with pytest.raises(ExportFailed, match=r"Could not write the export to .*runs\.csv"):
        runs_to_csv(history, target)
    assert not target.parent.exists()


def test_a_credential_in_a_stored_route_stops_the_export(history: Store, tmp_path: Path) -> None:
    # Only a bug (or a hand-edited file) gets a key past record_run; the export checks again.
    history._conn.execute(
        """UPDATE run_steps SET route_json = '{"model": "x", "api_key": "sk-leak"}'"""
        " WHERE run_id = 'R-2' AND seq = 0"
    )
    path = tmp_path / "runs.jsonl"
    with pytest.raises(ExportFailed, match="run R-2 holds a credential at 'api_key'"):
        runs_to_jsonl(history, path)
    assert not path.exists() and not (tmp_path / "runs.jsonl.part").exists()


@pytest.mark.asyncio
async def test_no_export_holds_the_key_a_real_run_used(tmp_path: Path) -> None:
    key = f"sk-stepwise-{uuid.uuid4().hex}"
    workspace = Workspace.open(demo=True, sim_config=SimConfig(0, 0, api_key=key))
    try:
        assert workspace.api_key() == key  # the run below authenticates with it
        events = [event async for event in workspace.run("T-1001", use_cache=False)]
        run_id = events[-1].run_id  # type: ignore[attr-defined]
        assert workspace.store.run(run_id)["status"] == "ok"
        workspace.store.mark_sent("T-1001", "Hi Emily, it is on its way.")
        files = [tmp_path / "runs.csv", tmp_path / "runs.jsonl"]
        assert runs_to_csv(workspace.store, files[0]) == 1
        assert runs_to_jsonl(workspace.store, files[1]) == 1
        database = workspace.store.path
    finally:
        await workspace.aclose()
    for path in [*files, database]:
        assert key.encode() not in path.read_bytes(), path
