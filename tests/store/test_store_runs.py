"""Recorded runs, whole: every field round-trips, bad records are refused before any write, and a
re-run can take the steps it keeps from the run it re-ran."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from app.store import NotFound, RunTotals, Store, StoreBug
from app.store.facets import DERIVED_COLUMNS
from app.store.runs import RUN_COLUMNS, RUN_FIELDS, STEP_COLUMNS

STARTED = "2026-12-08T09:20:00"
FINISHED = "2026-12-08T09:20:09"

ROUTE = {
    "provider": "demo",
    "adapter": "openai",
    "model": "gpt-4.1",
    "temperature": 0.2,
    "max_tokens": 1200,
    "fallback_model": "gpt-4.1-mini",
}


def _full_step(**changes: Any) -> dict[str, Any]:
    """A step with every run_steps column set to a value that is not its default."""
    step = {
        "step": "reasoning",
        "model": "gpt-4.1",
        "input_tokens": 1830,
        "output_tokens": 412,
        "tokens_estimated": True,
        "duration_s": 3.2,
        "ttft_s": 0.6,
        "status": "done",
        "output_text": "The order cannot arrive by Dec 10 …",
        "error": None,
        "messages_json": [
            {"role": "system", "content": "You resolve support cases."},
            {"role": "user", "content": "订单 #4521 还没到"},
        ],
        "raw_output": '```json\n{"decision": "reship"}\n```',
        "parsed_json": {"decision": "reship", "cites": ["POL-EXPEDITE"], "cost": 24.99},
        "reasoning_text": "Deadline Dec 10; UPS shows no scan since Dec 2.",
        "cost_usd": 0.0123,
        "retries": 2,
        "cache_hit": True,
        "route_json": ROUTE,
        "fallback_used": True,
        "started_at": "2026-12-08T09:20:03",
        "skipped_reason": None,
        "prompt_tokens": 1829,
        "pruned_messages": 3,
        "repaired": True,
        "kept_from": None,
    }
    return {**step, **changes}


def _full_fields(**changes: Any) -> dict[str, Any]:
    fields = {
        "status": "ok",
        "needs_approval": True,
        "flags_json": [
            {
                "rule": "refund_above_cap",
                "message": "Refund of $389 exceeds the agent cap of $200.",
                "step": "reasoning",
                "policy_id": "POL-REFUNDS",
            }
        ],
        "cost_usd": 0.0456,
        "cost_estimated": True,
        "input_tokens": 5210,
        "output_tokens": 1333,
        "rerun_of": "R-0",
        "from_step": "reasoning",
        "config_json": {"reasoning": ROUTE, "reply": {**ROUTE, "model": "claude-sonnet-4.5"}},
        "agent_name": "Dana",
    }
    return {**fields, **changes}


def test_the_records_name_every_column(store: Store) -> None:
    conn = store._conn
    run_columns = [row[1] for row in conn.execute("PRAGMA table_info(runs)")]
    step_columns = [row[1] for row in conn.execute("PRAGMA table_info(run_steps)")]
    # Schema 5's columns for the history are worked out by the store, not handed over.
    edit_columns = {"edit_level", "edit_distance", "edit_ratio", "doc"}
    assert set(run_columns) == {*RUN_COLUMNS, *DERIVED_COLUMNS, *edit_columns}
    assert set(step_columns) == {"run_id", "seq", *STEP_COLUMNS, "run_started_at"}
    assert set(_full_fields()) == set(RUN_FIELDS)
    assert set(_full_step()) == set(STEP_COLUMNS)


def test_full_run_round_trip(seeded: Store) -> None:
    steps = [
        _full_step(step="intent", status="kept", kept_from="R-0", cost_usd=0.0),
        _full_step(),
        _full_step(step="reply", status="skipped", skipped_reason="router: simple case"),
        _full_step(step="extra", parsed_json=None, messages_json=None, route_json=None),
    ]
    fields = _full_fields()
    seeded.record_run("R-1", "T-1026", STARTED, FINISHED, True, "Hi Tom,", steps, **fields)

    run = seeded.run("R-1")
    assert run == {
        "id": "R-1",
        "ticket_id": "T-1026",
        "started_at": STARTED,
        "finished_at": FINISHED,
        "ok": True,
        "draft": "Hi Tom,",
        **fields,
        "steps": steps,
    }
    for name in ("ok", "needs_approval", "cost_estimated"):
        assert type(run[name]) is bool, name
    for name in ("tokens_estimated", "cache_hit", "fallback_used", "repaired"):
        assert type(run["steps"][1][name]) is bool, name


def test_json_columns_are_real_json_in_the_file(seeded: Store) -> None:
    seeded.record_run(
        "R-1", "T-1001", STARTED, FINISHED, True, "x", [_full_step()], **_full_fields()
    )
    conn = seeded._conn
    row = conn.execute(
        "SELECT json_extract(flags_json, '$[0].policy_id'), json_extract(config_json,"
        " '$.reply.model') FROM runs WHERE id = 'R-1'"
    ).fetchone()
    assert tuple(row) == ("POL-REFUNDS", "claude-sonnet-4.5")
    step = conn.execute(
        "SELECT json_extract(route_json, '$.max_tokens'), json_extract(messages_json,"
        " '$[1].content'), cache_hit FROM run_steps WHERE run_id = 'R-1'"
    ).fetchone()
    assert tuple(step) == (1200, "订单 #4521 还没到", 1)


def test_missing_fields_take_their_defaults(seeded: Store) -> None:
    steps = [
        {
            "step": "intent",
            "status": "done",
            "input_tokens": 400,
            "output_tokens": 90,
            "cost_usd": 0.001,
        },
        {
            "step": "retrieval",
            "status": "kept",
            "kept_from": "R-0",
            "input_tokens": 999,
            "cost_usd": 0.5,
        },
        {"step": "reasoning", "status": "cached", "input_tokens": 999, "cost_usd": 0.5},
        {
            "step": "reply",
            "status": "failed",
            "input_tokens": 600,
            "output_tokens": None,
            "cost_usd": 0.002,
            "error": "Timed out",
        },
    ]
    seeded.record_run("R-1", "T-1001", STARTED, None, False, None, steps, agent_name=None)
    run = seeded.run("R-1")
    assert run["status"] == "failed"
    assert (run["needs_approval"], run["cost_estimated"]) == (False, False)
    assert (run["flags_json"], run["config_json"]) == ([], {})
    assert (run["rerun_of"], run["from_step"], run["agent_name"]) == (None, None, None)
    # Kept and cached steps spent their tokens elsewhere (or nowhere): not in this run's totals.
    assert (run["input_tokens"], run["output_tokens"]) == (1000, 90)
    assert math.isclose(run["cost_usd"], 0.003)
    reply = run["steps"][3]
    assert (reply["retries"], reply["pruned_messages"]) == (0, 0)
    assert (reply["cache_hit"], reply["fallback_used"], reply["repaired"]) == (False,) * 3
    assert reply["messages_json"] is None and reply["parsed_json"] is None


def test_flags_are_stored_with_all_four_keys(seeded: Store) -> None:
    flag = {"rule": "prompt_injection", "message": "The ticket tries to instruct the assistant."}
    seeded.record_run("R-1", "T-1025", STARTED, FINISHED, True, "x", [], flags_json=[flag])
    assert seeded.run("R-1")["flags_json"] == [{**flag, "step": None, "policy_id": None}]


def test_cancelled_run(seeded: Store) -> None:
    steps = [{"step": "reply", "status": "cancelled", "output_text": "Hi Em"}]
    seeded.record_run("R-1", "T-1001", STARTED, FINISHED, False, "Hi Em", steps, status="cancelled")
    run = seeded.run("R-1")
    assert (run["status"], run["ok"], run["steps"][0]["status"]) == (
        "cancelled",
        False,
        "cancelled",
    )


BAD_FIELDS: list[tuple[dict[str, Any], str]] = [
    ({"colour": "red"}, r"unknown keys \['colour'\]"),
    ({"status": "done"}, "status 'done' is not one of"),
    ({"status": "failed"}, "contradicts ok=True"),
    ({"from_step": "reasoning"}, "from_step is set but rerun_of is not"),
    ({"flags_json": "refund_above_cap"}, "must be a list"),
    ({"flags_json": [{"rule": "r"}]}, r"missing keys \['message'\]"),
    (
        {"flags_json": [{"rule": "r", "message": "m", "severity": 3}]},
        r"unknown keys \['severity'\]",
    ),
    ({"config_json": ["gpt-4.1"]}, "config_json must be a mapping"),
    (
        {"config_json": {"reply": {**ROUTE, "api_key": "sk-live-1"}}},
        "credential at 'reply.api_key'",
    ),
    ({"config_json": {"headers": {"Authorization": "Bearer x"}}}, "headers.Authorization"),
    ({"config_json": {"fallbacks": [{"X-Api-Key": "k"}]}}, r"fallbacks\[0\]\.X-Api-Key"),
    ({"cost_usd": math.nan}, "cost_usd must be a finite float"),
    ({"cost_usd": -0.01}, "cost_usd must be a finite float"),
    ({"input_tokens": True}, "input_tokens must be a finite int"),
    ({"output_tokens": 1.5}, "output_tokens must be a finite int"),
    ({"config_json": {"when": object()}}, "config_json is not JSON-serialisable"),
]

BAD_STEPS: list[tuple[dict[str, Any], str]] = [
    ({"step": "intent", "status": "done", "cost": 1}, r"unknown keys \['cost'\]"),
    ({"step": "intent"}, r"missing keys \['status'\]"),
    ({"step": "intent", "status": "running"}, "status 'running' is not one of"),
    ({"step": "intent", "status": "kept"}, "a kept step needs kept_from"),
    ({"step": "intent", "status": "done", "route_json": {"key": "sk-1"}}, "route_json holds a"),
    ({"step": "intent", "status": "done", "parsed_json": {"x": math.inf}}, "parsed_json is not"),
]


@pytest.mark.parametrize(("fields", "words"), BAD_FIELDS)
def test_bad_run_fields_are_refused_before_any_write(
    seeded: Store, fields: dict[str, Any], words: str
) -> None:
    _assert_refused(seeded, words, fields=fields)


@pytest.mark.parametrize(("step", "words"), BAD_STEPS)
def test_bad_steps_are_refused_before_any_write(
    seeded: Store, step: dict[str, Any], words: str
) -> None:
    good = {"step": "retrieval", "status": "done"}
    _assert_refused(seeded, words, steps=[good, step])


def _assert_refused(
    store: Store,
    words: str,
    *,
    fields: dict[str, Any] | None = None,
    steps: list[dict[str, Any]] | None = None,
) -> None:
    conn = store._conn
    changes = conn.total_changes
    with pytest.raises(ValueError, match=words):
        store.record_run("R-9", "T-1001", STARTED, FINISHED, True, "x", steps or [], **fields or {})
    assert conn.total_changes == changes and not conn.in_transaction
    with pytest.raises(NotFound):
        store.run("R-9")


def test_empty_credential_placeholders_are_not_secrets(seeded: Store) -> None:
    config = {"reply": {**ROUTE, "api_key": None, "key_ref": "keyring:demo"}}
    seeded.record_run("R-1", "T-1001", STARTED, FINISHED, True, "x", [], config_json=config)
    assert seeded.run("R-1")["config_json"] == config


@pytest.mark.expected_errors  # a broken constraint is logged as a store bug
def test_a_duplicate_run_id_changes_nothing(seeded: Store) -> None:
    seeded.record_run("R-1", "T-1001", STARTED, FINISHED, True, "first", [_full_step()])
    with pytest.raises(StoreBug, match="record run R-1"):
        seeded.record_run("R-1", "T-1001", STARTED, FINISHED, True, "second", [_full_step()])
    run = seeded.run("R-1")
    assert run["draft"] == "first" and len(run["steps"]) == 1


def test_step_outputs_by_name_latest_record_wins(seeded: Store) -> None:
    steps = [
        _full_step(step="intent", parsed_json={"intents": ["refund"]}),
        _full_step(step="retrieval", status="failed", parsed_json=None, error="Timed out"),
        _full_step(step="retrieval", parsed_json={"order_ids": ["4507"]}, retries=1),
        _full_step(step="reasoning", status="skipped", skipped_reason="simple case"),
    ]
    seeded.record_run("R-1", "T-1026", STARTED, FINISHED, True, "Hi", steps)
    outputs = seeded.step_outputs("R-1")
    assert list(outputs) == ["intent", "retrieval", "reasoning"]
    assert outputs["intent"]["parsed_json"] == {"intents": ["refund"]}
    assert outputs["retrieval"]["status"] == "done"
    assert outputs["retrieval"]["parsed_json"] == {"order_ids": ["4507"]}
    assert outputs["reasoning"]["skipped_reason"] == "simple case"
    assert outputs["intent"] == {**seeded.run("R-1")["steps"][0], "run_id": "R-1"}


def test_rerun_from_a_later_step_keeps_the_earlier_outputs(seeded: Store) -> None:
    first = [_full_step(step=name, cost_usd=0.01) for name in ("intent", "retrieval", "reasoning")]
    seeded.record_run("R-1", "T-1026", STARTED, FINISHED, True, "v1", first)

    kept = seeded.step_outputs("R-1")
    again = [
        {**kept["intent"], "status": "kept", "kept_from": kept["intent"]["run_id"]},
        {**kept["retrieval"], "status": "kept", "kept_from": kept["retrieval"]["run_id"]},
        _full_step(step="reasoning", model="o3", cost_usd=0.05, input_tokens=10, output_tokens=5),
    ]
    seeded.record_run(
        "R-2",
        "T-1026",
        FINISHED,
        FINISHED,
        True,
        "v2",
        again,
        rerun_of="R-1",
        from_step="reasoning",
    )
    run = seeded.run("R-2")
    assert (run["rerun_of"], run["from_step"]) == ("R-1", "reasoning")
    assert [s["kept_from"] for s in run["steps"]] == ["R-1", "R-1", None]
    assert run["steps"][0]["parsed_json"] == kept["intent"]["parsed_json"]
    assert (run["cost_usd"], run["input_tokens"], run["output_tokens"]) == (0.05, 10, 5)
    assert seeded.run_ids("T-1026") == ["R-2", "R-1"]


def test_step_outputs_of_an_unknown_run(seeded: Store) -> None:
    with pytest.raises(NotFound, match="Run R-404 was not found"):
        seeded.step_outputs("R-404")


def test_run_without_steps(seeded: Store) -> None:
    seeded.record_run("R-1", "T-1001", STARTED, None, False, None, [])
    assert seeded.step_outputs("R-1") == {}
    assert seeded.run("R-1")["input_tokens"] == 0


def test_step_order_survives(seeded: Store) -> None:
    names = [f"s{i}" for i in range(12)]
    steps = [{"step": name, "status": "done"} for name in names]
    seeded.record_run("R-1", "T-1001", STARTED, FINISHED, True, "x", steps)
    assert [s["step"] for s in seeded.run("R-1")["steps"]] == names


@pytest.mark.expected_errors
def test_record_run_rolls_back_on_a_database_error(seeded: Store) -> None:
    # An unknown ticket breaks the foreign key inside the transaction: nothing is kept.
    with pytest.raises(StoreBug, match="record run R-1"):
        seeded.record_run("R-1", "T-0000", STARTED, FINISHED, True, "x", [_full_step()])
    assert seeded._conn.execute("SELECT count(*) FROM run_steps").fetchone()[0] == 0


def test_totals_since_add_up_the_runs_of_the_day(seeded: Store) -> None:
    def step(tokens_in: int, tokens_out: int, cost: float) -> dict[str, Any]:
        return {"step": "reply", "status": "done", "input_tokens": tokens_in,
                "output_tokens": tokens_out, "cost_usd": cost}  # fmt: skip

    day = "2026-12-08T{}+00:00"
    seeded.record_run(
        "R-0", "T-1001", "2026-12-07T23:59:59+00:00", None, True, "x", [step(9, 9, 9)]
    )
    seeded.record_run(
        "R-1", "T-1001", day.format("00:00:00"), None, True, "x", [step(100, 20, 0.25)]
    )
    seeded.record_run(
        "R-2", "T-1002", day.format("17:30:00"), None, False, None, [step(50, 5, 0.5)]
    )
    # Midnight in Berlin is 23:00 UTC the day before: R-0 then counts too.
    midnight = datetime(2026, 12, 8, tzinfo=UTC)
    totals = seeded.totals_since(midnight)
    assert totals == RunTotals(runs=2, input_tokens=150, output_tokens=25, cost_usd=0.75)
    berlin = datetime(2026, 12, 8, tzinfo=timezone(timedelta(hours=1)))
    assert seeded.totals_since(berlin).runs == 3
    assert seeded.totals_since(datetime(2026, 12, 9, tzinfo=UTC)) == RunTotals()
