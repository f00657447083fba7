"""Recorded runs for the supervisor tests, written through ``Store.record_run`` as the pipeline
writes them: four steps with models, durations and costs, an intent answer, a draft."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from app.store import Store

DAY = "2026-12-01"
MODELS = {
    "intent": "flash",
    "retrieval": "deepseek",
    "reasoning": "gpt-4.1",
    "reply": "sonnet",
}


def step(name: str, status: str = "done", **fields: Any) -> dict[str, Any]:
    """A step record; a done step has a model, one second of duration and a cent of cost."""
    record: dict[str, Any] = {"step": name, "status": status, "model": MODELS.get(name)}
    if status in ("done", "failed", "cancelled"):
        record |= {"duration_s": 1.0, "cost_usd": 0.01, "input_tokens": 100, "output_tokens": 20}
        record["messages_json"] = [{"role": "user", "content": f"{name} input"}]
        record["raw_output"] = f"{name} output"
    if status == "kept":
        record["kept_from"] = "R-earlier"
    return record | fields


def steps(
    intents: Sequence[str] = ("order_status",), durations: Sequence[float] = (1, 1, 1, 1)
) -> list[dict[str, Any]]:
    parsed = {"intents": list(intents), "urgency": "normal"}
    names = ("intent", "retrieval", "reasoning", "reply")
    found = [step(name, duration_s=float(d)) for name, d in zip(names, durations, strict=True)]
    found[0]["parsed_json"] = parsed
    return found


def record(
    store: Store,
    run_id: str,
    *,
    ticket: str = "T-1001",
    at: str = f"{DAY}T10:00:00+00:00",
    seconds: float | None = 5.0,
    ok: bool = True,
    draft: str | None = "Hi Emily, your order is on its way.",
    run_steps: Sequence[dict[str, Any]] | None = None,
    **fields: Any,
) -> None:
    """Record a run started at ``at`` that took ``seconds`` (None: no end time)."""
    finished = None
    if seconds is not None:
        finished = (datetime.fromisoformat(at) + timedelta(seconds=seconds)).isoformat()
    fields.setdefault("agent_name", "Dana")
    if not ok:
        fields.setdefault("status", "failed")
    store.record_run(
        run_id,
        ticket,
        at,
        finished,
        ok,
        draft if ok else None,
        steps() if run_steps is None else run_steps,
        **fields,
    )
