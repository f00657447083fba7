"""The inbox fields (intents, urgency, unread), mark_read and tickets added by hand."""

from __future__ import annotations

import time
from typing import Any

import pytest

from app.store import InvalidTicket, NotFound, Store
from app.store.models import Ticket
from app.store.new_ticket import MAX_BODY_CHARS, check, split_order_ids, subject_from_body
from tests.store.conftest import FIXED_NOW

NOW = FIXED_NOW.isoformat(timespec="seconds")


def _intent_step(intents: Any, urgency: Any = "high", status: str = "done") -> dict[str, Any]:
    answer = {"intents": intents, "urgency": urgency}
    return {"step": "intent", "status": status, "parsed_json": answer}


def _record(store: Store, run_id: str, ticket_id: str, started: str, *steps: Any) -> None:
    store.record_run(run_id, ticket_id, started, started, True, None, list(steps))


def _row(store: Store, ticket_id: str) -> Any:
    return next(row for row in store.list_tickets() if row.id == ticket_id)


def test_unclassified_tickets_have_no_intents_and_start_unread(seeded: Store) -> None:
    rows = seeded.list_tickets()
    assert all(row.intents == () and row.urgency is None for row in rows)
    assert all(row.unread for row in rows)


def test_intents_and_urgency_come_from_the_latest_classified_run(seeded: Store) -> None:
    _record(seeded, "R-1", "T-1001", "2026-12-08T10:00:00", _intent_step(["order_status"], "low"))
    _record(
        seeded,
        "R-2",
        "T-1001",
        "2026-12-08T11:00:00",
        _intent_step(["shipping_expedite", "discount_request"]),
        {"step": "reply", "status": "done"},
    )
    # A later run that failed before classifying does not hide what is known.
    _record(seeded, "R-3", "T-1001", "2026-12-08T12:00:00", {"step": "intent", "status": "failed"})
    row = _row(seeded, "T-1001")
    assert (row.intents, row.urgency) == (("shipping_expedite", "discount_request"), "high")


def test_odd_intent_answers_give_no_labels_rather_than_an_error(seeded: Store) -> None:
    _record(seeded, "R-1", "T-1001", "2026-12-08T10:00:00", _intent_step("refund", 3))
    _record(seeded, "R-2", "T-1002", "2026-12-08T10:00:00", _intent_step([1, "refund_request"]))
    seeded.record_run(
        "R-3",
        "T-1003",
        "2026-12-08T10:00:00",
        None,
        True,
        None,
        [{"step": "intent", "status": "done", "parsed_json": ["not", "an", "object"]}],
    )
    assert (_row(seeded, "T-1001").intents, _row(seeded, "T-1001").urgency) == ((), None)
    assert _row(seeded, "T-1002").intents == ("refund_request",)
    assert _row(seeded, "T-1003").intents == ()


def test_mark_read_once(seeded: Store) -> None:
    assert seeded.mark_read("T-1001") is True
    assert seeded.mark_read("T-1001") is False
    assert _row(seeded, "T-1001").unread is False
    assert _row(seeded, "T-1002").unread is True
    read_at = seeded._conn.execute("SELECT read_at FROM tickets WHERE id = 'T-1001'").fetchone()
    assert read_at[0] == NOW


def test_mark_read_of_an_unknown_ticket_raises_not_found(seeded: Store) -> None:
    with pytest.raises(NotFound, match="T-9999 was not found"):
        seeded.mark_read("T-9999")


def test_add_ticket_takes_the_next_id_and_is_open_and_read(seeded: Store) -> None:
    ticket = seeded.add_ticket(
        "  Hello,\r\nmy parcel #4521 is late.\n", customer_id=" C-1001 ", order_ids=["#4521"]
    )
    assert ticket == Ticket(
        id="T-1028",
        customer_id="C-1001",
        subject="Hello,",
        body="Hello,\nmy parcel #4521 is late.",
        channel="email",
        received_at=NOW,
        status="open",
    )
    assert seeded.add_ticket("second", subject="Re: hi", channel="chat").id == "T-1029"
    row = _row(seeded, "T-1029")
    assert (row.subject, row.unread, row.status, row.customer_name) == ("Re: hi", False, "open", "")


def test_add_ticket_to_an_empty_store_starts_at_1001(store: Store) -> None:
    assert store.add_ticket("first").id == "T-1001"


def test_ids_that_are_not_t_numbers_do_not_count(store: Store) -> None:
    store.load_seed({"tickets": [_seed_ticket("T-1005"), _seed_ticket("T-9x"), _seed_ticket("Z")]})
    assert store.add_ticket("next").id == "T-1006"


def test_unknown_orders_are_noted_in_the_body(seeded: Store) -> None:
    ticket = seeded.add_ticket("Where are my things?", order_ids=["4521", "#9999", "4521"])
    assert ticket.body == (
        "Where are my things?\n\n[Order numbers added by the agent: #4521, #9999]"
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"body": ""}, "body", "empty"),
        ({"body": " \n\t "}, "body", "empty"),
        ({"body": "x" * (MAX_BODY_CHARS + 1)}, "body", "the limit is 100,000"),
        ({"body": "ok\nbad\x00byte"}, "body", r"U\+0000, line 2"),
        ({"body": "broken \ud83d paste"}, "body", r"U\+D83D"),
        ({"body": "ok", "subject": "s" * 201}, "subject", "keep it under 200"),
        ({"body": "ok", "customer_id": "C 1001"}, "customer_id", "one word"),
        ({"body": "ok", "customer_id": "C-4040"}, "customer_id", "No customer has the id C-4040"),
        ({"body": "ok", "order_ids": ["45/21"]}, "order_ids", "not an order number"),
        ({"body": "ok", "channel": "fax"}, "channel", "must be one of"),
    ],
)
def test_bad_input_is_refused_with_a_sentence_and_stores_nothing(
    seeded: Store, fields: dict[str, Any], field: str, message: str
) -> None:
    before = seeded.list_tickets()
    body = fields.pop("body")
    with pytest.raises(InvalidTicket, match=message) as caught:
        seeded.add_ticket(body, **fields)
    assert field in caught.value.problems
    assert seeded.list_tickets() == before


def test_check_reports_every_problem_at_once() -> None:
    checked = check("s" * 300, "", "two words", "4521, ???")
    assert checked.ticket is None
    assert set(checked.problems) == {"subject", "body", "customer_id", "order_ids"}


def test_subject_from_body_and_order_id_splitting() -> None:
    assert subject_from_body("\n\n  Where   is it?\nmore") == "Where is it?"
    long = subject_from_body("word " * 40)
    assert len(long) == 80 and long.endswith("…")
    assert split_order_ids(" #4521,4522;  4523 #4521 ") == ["4521", "4522", "4523"]


def test_inbox_query_stays_fast_for_thousands_of_tickets(store: Store) -> None:
    conn = store._conn
    conn.execute("BEGIN")
    for number in range(3000):
        ticket_id = f"T-{2000 + number}"
        conn.execute(
            "INSERT INTO tickets (id, subject, body, channel, received_at) VALUES (?, ?, ?, ?, ?)",
            (ticket_id, "Late", "word " * 2000, "email", f"2026-12-{number % 28 + 1:02d}T10:00"),
        )
        for attempt in range(2):
            conn.execute(
                "INSERT INTO runs (id, ticket_id, started_at, ok) VALUES (?, ?, ?, 1)",
                (f"R-{number}-{attempt}", ticket_id, f"2026-12-10T10:0{attempt}:00"),
            )
            for seq, step in enumerate(("intent", "retrieval", "reasoning", "reply")):
                parsed = '{"intents": ["order_status"], "urgency": "low"}'
                conn.execute(
                    "INSERT INTO run_steps (run_id, seq, step, status, parsed_json)"
                    " VALUES (?, ?, ?, 'done', ?)",
                    (f"R-{number}-{attempt}", seq, step, parsed if step == "intent" else None),
                )
    conn.execute("COMMIT")
    started = time.perf_counter()
    rows = store.list_tickets()
    elapsed = time.perf_counter() - started
    assert len(rows) == 3000 and rows[0].intents == ("order_status",)
    assert elapsed < 1.5, f"list_tickets took {elapsed:.2f} s for 3,000 tickets"


def _seed_ticket(ticket_id: str) -> dict[str, Any]:
    return {
        "id": ticket_id,
        "customer_id": None,
        "subject": "s",
        "body": "b",
        "channel": "email",
        "received_at": "2026-12-01T10:00:00",
        "status": "open",
    }
