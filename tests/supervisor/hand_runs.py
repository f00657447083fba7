"""Runs whose dashboard figures are worked out by hand, shared by the figures' tests and the
dashboard view's tests.

The period is 2026-12-01 (UTC). Five runs fall in it, two fall just outside (R0 a second
before, R9 at its excluded end). Times are durations; $ what the step spent:

    run  ticket  status      end to end  intent        retrieval      reasoning       reply
    R1   T-1001  ok          4.0 s       0.5 s $.001   0.25 s $.0005  2.0 s $.010 r1  1.0 s $.020
    R2   T-1001  ok, re-run  2.0 s       kept          kept           kept            1.5 s $.020
    R3   T-1002  ok          3.0 s       0.7 s $.001   0.3 s $.0005   skipped         1.2 s $.015
    R4   T-1026  failed      (6.0 s)     0.4 s $.001   0.2 s $.0005   failed 5 s $.004 r2 skipped
    R5   T-1005  ok          5.0 s       cached        0.35 s $.0005  3.0 s $.012     1.1 s $.018 r1

(rN: N retries.) Models: intent flash, retrieval deepseek, reasoning gpt-4.1, reply sonnet but
R5's reply on gpt-4.1. R5's cached intent carries $0.001 that was not spent this time. Sent:
T-1001 as R2 drafted it, T-1002 rewritten, T-1005 lightly edited.
"""

from __future__ import annotations

from datetime import UTC, datetime

from app.store import Store
from tests.store.run_factory import record, step

SINCE = datetime(2026, 12, 1, tzinfo=UTC)
UNTIL = datetime(2026, 12, 2, tzinfo=UTC)


def _intent(status: str, intents: list[str], **fields: object) -> dict[str, object]:
    parsed = {"intents": intents, "urgency": "normal"}
    return step("intent", status, parsed_json=parsed, cost_usd=0.001, **fields)


def record_hand_runs(store: Store) -> None:
    """Record the runs of the table above (the demo shop must be seeded)."""
    intents_1001 = ["shipping_expedite", "discount_request"]
    record(
        store,
        "R1",
        at="2026-12-01T09:00:00+00:00",
        seconds=4.0,
        draft="Hi Emily, it ships today.",
        run_steps=[
            _intent("done", intents_1001, duration_s=0.5),
            step("retrieval", duration_s=0.25, cost_usd=0.0005),
            step("reasoning", duration_s=2.0, cost_usd=0.010, retries=1),
            step("reply", duration_s=1.0, cost_usd=0.020),
        ],
    )
    record(
        store,
        "R2",
        at="2026-12-01T09:10:00+00:00",
        seconds=2.0,
        draft="Hi Emily, your parcel ships today by express.",
        rerun_of="R1",
        from_step="reply",
        run_steps=[
            _intent("kept", intents_1001, kept_from="R1"),
            step("retrieval", "kept"),
            step("reasoning", "kept"),
            step("reply", duration_s=1.5, cost_usd=0.020),
        ],
    )
    record(
        store,
        "R3",
        ticket="T-1002",
        at="2026-12-01T10:00:00+00:00",
        seconds=3.0,
        draft="Hi Marcus, we are sorry for the wait and will call you today.",
        run_steps=[
            _intent("done", ["order_status", "complaint_escalation", "shipping_expedite"],
                    duration_s=0.7),
            step("retrieval", duration_s=0.3, cost_usd=0.0005),
            step("reasoning", "skipped", skipped_reason="simple"),
            step("reply", duration_s=1.2, cost_usd=0.015),
        ],
    )  # fmt: skip
    record(
        store,
        "R4",
        ticket="T-1026",
        at="2026-12-01T11:00:00+00:00",
        seconds=6.0,
        ok=False,
        run_steps=[
            _intent("done", ["refund_request"], duration_s=0.4),
            step("retrieval", duration_s=0.2, cost_usd=0.0005),
            step("reasoning", "failed", duration_s=5.0, cost_usd=0.004, retries=2),
            step("reply", "skipped"),
        ],
    )
    record(
        store,
        "R5",
        ticket="T-1005",
        at="2026-12-01T23:59:59+00:00",
        seconds=5.0,
        draft="Hola Sofía, hemos cambiado la dirección de su pedido #4547 a la nueva.",
        run_steps=[
            _intent("cached", ["address_change"], cache_hit=True),
            step("retrieval", duration_s=0.35, cost_usd=0.0005),
            step("reasoning", duration_s=3.0, cost_usd=0.012),
            step("reply", duration_s=1.1, cost_usd=0.018, retries=1, model="gpt-4.1"),
        ],
    )
    # Outside the period: just before it, and at its (excluded) end.
    record(store, "R0", ticket="T-1003", at="2026-11-30T23:59:59+00:00", cost_usd=5.0)
    record(store, "R9", ticket="T-1004", at="2026-12-02T00:00:00+00:00", cost_usd=5.0)
    store.mark_sent("T-1001", "Hi Emily, your parcel ships today by express.")  # unedited (R2)
    store.mark_sent("T-1002", "Marcus, a manager will phone you this afternoon with a refund.")
    store.mark_sent("T-1005", "Hola Sofía, hemos cambiado la dirección de su pedido #4547.")
