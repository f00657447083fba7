"""The agent's writes: drafts, sent replies (exactly once) and recorded runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.store import AlreadySent, NotFound, Store

NOW = "2026-12-08T09:30:00+00:00"  # conftest's FIXED_NOW


def test_draft_then_send_round_trip(seeded: Store) -> None:
    seeded.save_draft("T-1001", "Hi Emily, I'm so sorry…")
    ticket = seeded.ticket("T-1001")
    assert (ticket.status, ticket.draft, ticket.sent_at) == (
        "draft",
        "Hi Emily, I'm so sorry…",
        None,
    )
    assert _column(seeded, "draft_saved_at", "T-1001") == NOW

    seeded.mark_sent("T-1001", "Hi Emily, final text")
    ticket = seeded.ticket("T-1001")
    assert (ticket.status, ticket.sent_text, ticket.sent_at) == (
        "sent",
        "Hi Emily, final text",
        NOW,
    )
    assert ticket.draft == "Hi Emily, I'm so sorry…"  # kept, so a supervisor can compare
    summary = next(row for row in seeded.list_tickets() if row.id == "T-1001")
    assert summary.status == "sent"


def test_second_send_raises_already_sent_and_changes_nothing(seeded: Store) -> None:
    seeded.mark_sent("T-1002", "first")
    with pytest.raises(AlreadySent, match="already recorded as sent"):
        seeded.mark_sent("T-1002", "second")
    assert seeded.ticket("T-1002").sent_text == "first"


def test_draft_after_send_keeps_sent_status(seeded: Store) -> None:
    seeded.mark_sent("T-1003", "sent")
    seeded.save_draft("T-1003", "late autosave")
    ticket = seeded.ticket("T-1003")
    assert (ticket.status, ticket.sent_text, ticket.draft) == ("sent", "sent", "late autosave")


def test_writes_to_an_unknown_ticket_raise_not_found(seeded: Store) -> None:
    with pytest.raises(NotFound, match="T-0000"):
        seeded.save_draft("T-0000", "x")
    with pytest.raises(NotFound, match="T-0000"):
        seeded.mark_sent("T-0000", "x")


def test_draft_survives_closing_and_reopening(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.load_seed({"tickets": [_ticket()]})
        store.save_draft("T-1", "half-written reply")
    with Store.open(db_path) as store:
        assert store.ticket("T-1").draft == "half-written reply"


def test_record_run_round_trip(seeded: Store) -> None:
    steps = [
        {
            "step": "intent",
            "model": "gemini-2.5-flash",
            "input_tokens": 412,
            "output_tokens": 96,
            "tokens_estimated": False,
            "duration_s": 0.41,
            "ttft_s": 0.18,
            "status": "done",
            "output_text": '{"intents": ["shipping_expedite"]}',
            "error": None,
        },
        {
            "step": "reasoning",
            "model": "gpt-4.1",
            "status": "failed",
            "tokens_estimated": True,
            "error": "Rate limited",
        },
    ]
    seeded.record_run(
        "R-1", "T-1001", "2026-12-08T09:20:00", "2026-12-08T09:20:07", False, None, steps
    )
    run = seeded.run("R-1")
    assert run["ticket_id"] == "T-1001" and run["ok"] is False and run["draft"] is None
    assert run["finished_at"] == "2026-12-08T09:20:07"
    assert [s["step"] for s in run["steps"]] == ["intent", "reasoning"]
    assert {key: run["steps"][0][key] for key in steps[0]} == steps[0]
    assert run["steps"][1]["tokens_estimated"] is True
    assert run["steps"][1]["input_tokens"] is None
    assert seeded.run_ids("T-1001") == ["R-1"]
    # The call shape of schema 1 still works; the fields it does not name take their defaults.
    assert (run["status"], run["input_tokens"], run["output_tokens"]) == ("failed", 412, 96)
    assert (run["flags_json"], run["needs_approval"], run["rerun_of"]) == ([], False, None)
    assert (run["steps"][0]["retries"], run["steps"][0]["cache_hit"]) == (0, False)


def test_record_run_refuses_unknown_step_keys(seeded: Store) -> None:
    with pytest.raises(ValueError, match="unknown keys"):
        seeded.record_run(
            "R-2", "T-1001", NOW, NOW, True, "x", [{"step": "a", "status": "done", "cost": 1}]
        )
    with pytest.raises(NotFound):
        seeded.run("R-2")


def test_unknown_run_raises_not_found(seeded: Store) -> None:
    with pytest.raises(NotFound, match="Run R-404 was not found"):
        seeded.run("R-404")


def _column(store: Store, column: str, ticket_id: str) -> object:
    row = store._conn.execute(f"SELECT {column} FROM tickets WHERE id = ?", (ticket_id,))
    return row.fetchone()[0]


def _ticket() -> dict[str, object]:
    return {
        "id": "T-1",
        "customer_id": None,
        "subject": "s",
        "body": "b",
        "channel": "chat",
        "received_at": "2026-12-01T10:00:00",
    }
