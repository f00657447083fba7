"""Scripted latencies (``SimConfig.step_ms``): a response for a scripted step takes that long from
request to last byte, whatever its length, the first delta after a fifth of it. Timing is
measured over real loopback HTTP, with generous tolerances."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from app.sim.content import Completion
from app.sim.control import SimConfig
from app.sim.pacing import FIRST_SHARE, due_s
from app.sim.plan import make_plan
from app.sim.server import Simulator
from tests.sim.conftest import ANTHROPIC_HEADERS, KEY, ticket_messages
from tests.sim.demo_cases import seed

SCRIPT = {"intent": 700.0, "reasoning": 700.0, "retrieval": 0.0}


@pytest.fixture(scope="module")
def scripted() -> Iterator[Simulator]:
    # Fast pacing for every step the script leaves out.
    with Simulator(SimConfig(ttft_ms=0, tokens_per_s=0, step_ms=SCRIPT)) as simulator:
        yield simulator


@pytest_asyncio.fixture
async def http(scripted: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {KEY}", **ANTHROPIC_HEADERS}
    async with httpx.AsyncClient(base_url=scripted.base_url, headers=headers, timeout=10) as c:
        yield c


async def _timed(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> list[float]:
    """Seconds from sending the request to each text or thinking delta, then to the last byte."""
    start = time.monotonic()
    marks: list[float] = []
    async with http.stream("POST", path, json={**body, "stream": True}) as response:
        assert response.status_code == 200
        async for line in response.aiter_lines():
            if line.startswith("data: {") and _is_delta(json.loads(line[6:])):
                marks.append(time.monotonic() - start)
    return [*marks, time.monotonic() - start]


def _is_delta(event: dict[str, Any]) -> bool:
    """An OpenAI chunk with content or reasoning, or an Anthropic text or thinking delta."""
    if event.get("type") == "content_block_delta":
        return event["delta"]["type"] in ("text_delta", "thinking_delta")
    choices = event.get("choices") or [{}]
    delta = choices[0].get("delta") or {}
    return bool(delta.get("content") or delta.get("reasoning_content"))


def _chat(step: str, context: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"model": "sim-writer", "messages": ticket_messages(step, context)}


def _check_schedule(marks: list[float], total_s: float) -> None:
    *deltas, end = marks
    assert len(deltas) >= 5
    assert total_s * 0.9 <= end <= total_s + 0.5, marks
    assert total_s * FIRST_SHARE * 0.7 <= deltas[0] <= total_s * FIRST_SHARE + 0.3, marks
    # Evenly spread: the middle delta arrives near the middle of the remaining time.
    middle = deltas[len(deltas) // 2]
    assert total_s * 0.4 <= middle <= total_s * 0.8 + 0.2, marks


@pytest.mark.asyncio
async def test_short_and_long_answers_take_the_scripted_time(http: httpx.AsyncClient) -> None:
    data = seed()
    context = {
        "intent": {"intents": ["shipping_expedite", "discount_request"], "order_ids": ["4521"]},
        "customer": next(c for c in data["customers"] if c["id"] == "C-1001"),
        "orders": [o for o in data["orders"] if o["id"] == "4521"],
        "policies": data["policies"][:4],
    }
    short, long = await asyncio.gather(
        _timed(http, "/chat/completions", _chat("intent")),
        _timed(http, "/chat/completions", _chat("reasoning", context)),
    )
    assert len(long) > len(short) + 50  # very different lengths...
    _check_schedule(short, 0.7)  # ...the same duration, overlapping in time
    _check_schedule(long, 0.7)


@pytest.mark.asyncio
async def test_unscripted_steps_keep_their_pacing(http: httpx.AsyncClient) -> None:
    context = {"resolution": "Resolution: We will refund $10.00.", "agent_name": "Sam"}
    assert (await _timed(http, "/chat/completions", _chat("reply", context)))[-1] < 0.4
    assert (await _timed(http, "/chat/completions", _chat("retrieval")))[-1] < 0.4  # 0 ms


@pytest.mark.asyncio
async def test_a_whole_answer_arrives_at_the_scripted_end(http: httpx.AsyncClient) -> None:
    start = time.monotonic()
    response = await http.post("/chat/completions", json=_chat("intent"))
    elapsed = time.monotonic() - start
    assert response.status_code == 200
    assert response.json()["choices"][0]["message"]["content"].startswith("```json")
    assert 0.63 <= elapsed <= 1.2


@pytest.mark.asyncio
async def test_the_anthropic_api_keeps_the_script_too(http: httpx.AsyncClient) -> None:
    system, user = ticket_messages("intent")
    body = {"model": "sim-reasoner", "max_tokens": 1024, "system": system["content"]}
    marks = await _timed(http, "/messages", {**body, "messages": [user]})
    _check_schedule(marks, 0.7)  # thinking deltas first, then text: one schedule for both


def test_due_times_spread_evenly_after_the_first_fifth() -> None:
    answer = Completion("intent", "one two three four", "")
    config = SimConfig(step_ms={"intent": 1000})
    plan = make_plan({"model": "sim-writer"}, answer, config, None, prompt=10)
    count = plan.piece_count
    assert count == 4 and plan.scripted_s == 1.0
    times = [due_s(plan, index, tokens_sent=index) for index in range(count + 1)]
    assert times == pytest.approx([0.2, 0.4, 0.6, 0.8, 1.0])
    empty = make_plan({"model": "sim-writer"}, Completion("intent", "", ""), config, None, 1)
    assert due_s(empty, 0, 0) == pytest.approx(0.2) and due_s(empty, 1, 0) == pytest.approx(1.0)
    unscripted = make_plan({"model": "sim-writer"}, answer, SimConfig(), None, prompt=10)
    assert unscripted.scripted_s is None
    assert due_s(unscripted, 3, 3) == pytest.approx(unscripted.ttft_s + 3 * unscripted.token_s)


@pytest.mark.parametrize(
    "script",
    [{"planning": 100.0}, {"intent": -1.0}, {"reply": float("nan")}, {"reply": float("inf")}],
)
def test_bad_scripts_fail_where_they_are_written(script: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="step_ms"):
        SimConfig(step_ms=script)
