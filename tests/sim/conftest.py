"""Simulator fixtures: one instant-speed simulator per module, and requests shaped like the
pipeline's (``app/pipeline/messages.py``): the real step prompt, the ticket, a CONTEXT block."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from app.pipeline.steps import STEPS
from app.sim.server import SimConfig, Simulator

KEY = "sim-key"
SEED_TICKET = {
    "id": "T-1001",
    "received_at": "2026-12-08T09:14:00",
    "subject": "Order #4521 stuck in Chicago",
    "body": (
        "Hi,\n\nI placed order #4521 on November 28 with express shipping and it has been stuck "
        "in Chicago since December 2. My daughter's birthday is December 10, so please expedite "
        "it or do whatever it takes.\n\nAs a VIP customer I'd also like my VIP discount applied."
        "\n\nThanks,\nEmily Carter"
    ),
}


def ticket_messages(
    step: str,
    context: dict[str, Any] | None = None,
    ticket: dict[str, str] | None = None,
) -> list[dict[str, str]]:
    """The two messages the pipeline sends for ``step``."""
    t = ticket or SEED_TICKET
    user = f"TICKET {t['id']} received {t['received_at']}\nSubject: {t['subject']}\n\n{t['body']}"
    if context is not None:
        user += f"\n\nCONTEXT:\n```json\n{json.dumps(context, ensure_ascii=False, indent=1)}\n```"
    prompt = next(spec for spec in STEPS if spec.name == step).system_prompt()
    return [{"role": "system", "content": prompt}, {"role": "user", "content": user}]


def chat_body(model: str = "sim-writer", content: str = "Hello", **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": content}], **extra}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(ttft_ms=0, tokens_per_s=0)) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def fresh_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    """Faults a test queued but did not use must not leak into the next test."""
    yield
    if "sim" in request.fixturenames:
        simulator: Simulator = request.getfixturevalue("sim")
        simulator.clear_faults()


@pytest_asyncio.fixture
async def client(sim: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {KEY}"}
    async with httpx.AsyncClient(base_url=sim.base_url, headers=headers, timeout=5.0) as http:
        yield http


ANTHROPIC_HEADERS = {"x-api-key": KEY, "anthropic-version": "2023-06-01"}


def messages_body(
    model: str = "sim-writer", content: str = "Hello", max_tokens: int = 1024, **extra: Any
) -> dict[str, Any]:
    """An Anthropic Messages request: ``system`` (if any) goes in ``extra``, not in messages."""
    return {
        "model": model,
        "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": content}],
        **extra,
    }


def anthropic_events(raw: str) -> list[tuple[str, dict[str, Any]]]:
    """(name, data) of each SSE event, checking every event is exactly ``event: <name>``,
    ``data: <json>`` and a blank line, with ``data.type`` equal to the name (PROTOCOLS.md A3)."""
    assert raw.endswith("\n\n")
    events = []
    for block in raw[:-2].split("\n\n"):
        event_line, data_line = block.split("\n")
        name = event_line.removeprefix("event: ")
        assert event_line == f"event: {name}" and data_line.startswith("data: "), block
        data = json.loads(data_line.removeprefix("data: "))
        assert data["type"] == name, block
        events.append((name, data))
    return events


@pytest_asyncio.fixture
async def anthropic(sim: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    """A raw client of the Messages API, with the key and version headers Anthropic requires."""
    async with httpx.AsyncClient(
        base_url=sim.base_url, headers=ANTHROPIC_HEADERS, timeout=5.0
    ) as http:
        yield http


def is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
