"""The official anthropic SDK (2.x) parses everything the Messages API sends (PROTOCOLS.md A3),
meets its faults as typed errors and honours its rate limits (A4)."""

from __future__ import annotations

from typing import Any

import anthropic
import httpx
import pytest

from app.sim.control import Fault
from app.sim.server import SimConfig, Simulator
from tests.sim.conftest import KEY, ticket_messages


def _root(sim: Simulator) -> str:
    return sim.base_url.removesuffix("/v1")  # the SDK appends /v1/messages itself


def _intent() -> dict[str, Any]:
    system, user = ticket_messages("intent")
    return {"system": system["content"], "messages": [user]}


@pytest.mark.asyncio
async def test_async_sdk_streams_a_message(sim: Simulator, client: httpx.AsyncClient) -> None:
    sdk = anthropic.AsyncAnthropic(base_url=_root(sim), api_key=KEY, max_retries=0)
    async with (
        sdk,
        sdk.messages.stream(model="sim-reasoner", max_tokens=2048, **_intent()) as stream,
    ):
        streamed = "".join([text async for text in stream.text_stream])
        message = await stream.get_final_message()
    openai_body = {"model": "sim-reasoner", "messages": ticket_messages("intent")}
    completion = (await client.post("/chat/completions", json=openai_body)).json()
    answer = completion["choices"][0]["message"]
    thinking, text = message.content
    assert text.type == "text" and text.text == streamed == answer["content"]
    assert thinking.type == "thinking" and thinking.thinking == answer["reasoning_content"]
    assert thinking.signature
    assert message.stop_reason == "end_turn"
    assert message.usage.output_tokens == completion["usage"]["completion_tokens"]
    assert message.usage.input_tokens > 0
    # What the SDK sent: its own API version, and the key as a bearer token (anthropic 2.x).
    sent = sim.recorded[-2]
    assert sent.path == "/v1/messages" and sent.status == 200
    assert sent.headers["anthropic-version"] == "2026-10-21"
    assert sent.headers["authorization"] == f"Bearer {KEY}"


def test_sync_sdk_whole_and_cut_messages(sim: Simulator) -> None:
    with anthropic.Anthropic(base_url=_root(sim), api_key=KEY, max_retries=0) as sdk:
        whole = sdk.messages.create(model="sim-flash", max_tokens=1024, **_intent())
        with sdk.messages.stream(model="sim-flash", max_tokens=5, **_intent()) as stream:
            cut = stream.get_final_message()
    assert whole.stop_reason == "end_turn" and '"order_ids": ["4521"]' in whole.content[0].text
    assert (cut.stop_reason, cut.usage.output_tokens) == ("max_tokens", 5)


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("overloaded", anthropic.OverloadedError),
        ("server_error", anthropic.InternalServerError),
        ("rate_limit", anthropic.RateLimitError),
        ("context_length", anthropic.BadRequestError),
    ],
)
def test_sdk_sees_typed_errors(sim: Simulator, kind: str, error: type[Exception]) -> None:
    sim.inject(Fault(kind))
    with (
        anthropic.Anthropic(base_url=_root(sim), api_key=KEY, max_retries=0) as sdk,
        pytest.raises(error) as caught,
    ):
        sdk.messages.create(model="sim-writer", max_tokens=64, messages=[_hello()])
    if kind == "context_length":
        assert "prompt is too long" in str(caught.value)


def test_sdk_rejects_a_wrong_key(sim: Simulator) -> None:
    with (
        anthropic.Anthropic(base_url=_root(sim), api_key="wrong", max_retries=0) as sdk,
        pytest.raises(anthropic.AuthenticationError),
    ):
        sdk.messages.create(model="sim-writer", max_tokens=64, messages=[_hello()])


def _hello() -> Any:
    return {"role": "user", "content": "Hello"}


@pytest.mark.asyncio
async def test_sdk_raises_the_inband_error_event(sim: Simulator) -> None:
    sim.inject(Fault("inband_error", after_tokens=2))
    received: list[str] = []
    async with anthropic.AsyncAnthropic(base_url=_root(sim), api_key=KEY, max_retries=0) as sdk:
        with pytest.raises(anthropic.APIStatusError) as caught:
            async with sdk.messages.stream(
                model="sim-writer", max_tokens=256, messages=[_hello()]
            ) as stream:
                async for text in stream.text_stream:
                    received.append(text)
    assert len(received) == 2
    assert caught.value.body == {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded"},
    }


def test_sdk_waits_out_the_rate_limit_and_retries() -> None:
    config = SimConfig(ttft_ms=0, tokens_per_s=0, requests_per_minute=1, rate_window_s=1.0)
    with (
        Simulator(config) as sim,
        anthropic.Anthropic(base_url=_root(sim), api_key=KEY, max_retries=2) as sdk,
    ):
        first = sdk.messages.create(model="sim-writer", max_tokens=64, messages=[_hello()])
        second = sdk.messages.create(model="sim-writer", max_tokens=64, messages=[_hello()])
        statuses = [r.status for r in sim.recorded]
        retries = [r.headers.get("x-stainless-retry-count") for r in sim.recorded]
        answered_429 = sim.rate_limited
    assert first.content[0].text == second.content[0].text  # type: ignore[union-attr]
    # One 429, whose retry-after-ms the SDK honoured: its one retry got through.
    assert answered_429 == 1
    assert statuses == [200, 429, 200] and retries == ["0", "0", "1"]
