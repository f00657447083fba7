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
