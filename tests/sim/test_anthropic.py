"""The Anthropic Messages API over real loopback HTTP: the exact event stream, the Message object,
auth, versions and validation (PROTOCOLS.md A3)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from app.sim.server import SimConfig, Simulator
from tests.sim.conftest import (
    ANTHROPIC_HEADERS,
    KEY,
    anthropic_events,
    chat_body,
    messages_body,
    ticket_messages,
)

Event = tuple[str, dict[str, Any]]


async def _stream(http: httpx.AsyncClient, body: dict[str, Any]) -> list[Event]:
    response = await http.post("/messages", json={**body, "stream": True})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["request-id"].startswith("req_")
    return anthropic_events(response.text)


def _outline(events: list[Event]) -> list[str]:
    """The stream's shape: event names (blocks and deltas by kind), runs of deltas collapsed."""
    outline: list[str] = []
    for name, data in events:
        if name == "content_block_start":
            name = f"start {data['content_block']['type']}"
        elif name == "content_block_delta":
            name = data["delta"]["type"]
        if not outline or outline[-1] != name:
            outline.append(name)
    return outline


def _text(events: list[Event], kind: str = "text_delta", field: str = "text") -> str:
    deltas = [d["delta"] for n, d in events if n == "content_block_delta"]
    return "".join(delta[field] for delta in deltas if delta["type"] == kind)


def _intent_request(**extra: Any) -> dict[str, Any]:
    """The pipeline's intent request, in Anthropic's shape: the system prompt at the top level."""
    system, user = ticket_messages("intent")
    return {
        "model": "sim-reasoner",
        "max_tokens": 2048,
        "system": system["content"],
        "messages": [user],
        **extra,
    }


@pytest.mark.asyncio
async def test_reasoning_stream_event_sequence(anthropic: httpx.AsyncClient) -> None:
    events = await _stream(anthropic, _intent_request())
    without_pings = [e for e in events[2:] if e[0] != "ping"]
    assert _outline(events[:2] + without_pings) == [
        "message_start",
        "ping",  # one right after message_start
        "start thinking",
        "thinking_delta",
        "signature_delta",
        "content_block_stop",
        "start text",
        "text_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    message = events[0][1]["message"]
    assert message["id"].startswith("msg_") and message["model"] == "sim-reasoner"
    assert {k: message[k] for k in ("type", "role", "content", "stop_reason", "stop_sequence")} == {
        "type": "message",
        "role": "assistant",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
    }
    assert message["usage"]["input_tokens"] > 0 and message["usage"]["output_tokens"] == 1
    # Pings are bare keep-alives, also in the middle of a long stream.
    pings = [data for name, data in events if name == "ping"]
    assert len(pings) >= 2 and all(p == {"type": "ping"} for p in pings)


@pytest.mark.asyncio
async def test_blocks_have_anthropics_exact_shapes(anthropic: httpx.AsyncClient) -> None:
    events = await _stream(anthropic, _intent_request())
    starts = [d for n, d in events if n == "content_block_start"]
    assert starts == [
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "thinking", "thinking": "", "signature": ""},
        },
        {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
    ]
    stops = [d for n, d in events if n == "content_block_stop"]
    assert stops == [{"type": "content_block_stop", "index": i} for i in (0, 1)]
    deltas = [d for n, d in events if n == "content_block_delta"]
    assert {d["index"] for d in deltas if d["delta"]["type"] == "text_delta"} == {1}
    signatures = [d["delta"] for d in deltas if d["delta"]["type"] == "signature_delta"]
    assert len(signatures) == 1 and signatures[0]["signature"]
    # The signature comes last in the thinking block, just before its stop.
    stop_at = events.index(("content_block_stop", stops[0]))
    assert events[stop_at - 1][1]["delta"]["type"] == "signature_delta"
    delta = events[-2][1]
    assert delta["delta"] == {"stop_reason": "end_turn", "stop_sequence": None}
    assert set(delta["usage"]) == {"output_tokens"} and delta["usage"]["output_tokens"] > 1
    assert events[-1] == ("message_stop", {"type": "message_stop"})


@pytest.mark.asyncio
async def test_same_answer_as_the_openai_api(
    anthropic: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    events = await _stream(anthropic, _intent_request())
    openai_body = {"model": "sim-reasoner", "messages": ticket_messages("intent")}
    completion = (await client.post("/chat/completions", json=openai_body)).json()
    message = completion["choices"][0]["message"]
    assert _text(events) == message["content"] and '"order_ids": ["4521"]' in message["content"]
    assert _text(events, "thinking_delta", "thinking") == message["reasoning_content"]
    output = events[-2][1]["usage"]["output_tokens"]
    assert output == completion["usage"]["completion_tokens"]


@pytest.mark.asyncio
async def test_system_and_content_as_blocks_read_the_same(anthropic: httpx.AsyncClient) -> None:
    plain = _intent_request(model="sim-flash")
    blocks = {
        **plain,
        "system": [{"type": "text", "text": plain["system"]}],
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": plain["messages"][0]["content"]}]}
        ],
    }
    assert _text(await _stream(anthropic, plain)) == _text(await _stream(anthropic, blocks))


@pytest.mark.asyncio
async def test_plain_model_streams_one_text_block(anthropic: httpx.AsyncClient) -> None:
    events = await _stream(anthropic, messages_body("sim-flash"))
    assert _outline([e for e in events if e[0] != "ping"]) == [
        "message_start",
        "start text",
        "text_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    assert _text(events).startswith("(Simulated answer")


@pytest.mark.asyncio
async def test_whole_message(anthropic: httpx.AsyncClient) -> None:
    response = await anthropic.post("/messages", json=_intent_request())
    assert response.status_code == 200 and response.headers["request-id"].startswith("req_")
    message = response.json()
    assert message["type"] == "message" and message["role"] == "assistant"
    assert message["stop_reason"] == "end_turn" and message["stop_sequence"] is None
    thinking, text = message["content"]
    assert set(thinking) == {"type", "thinking", "signature"} and thinking["type"] == "thinking"
    assert text["type"] == "text" and '"order_ids": ["4521"]' in text["text"]
    events = await _stream(anthropic, _intent_request())
    assert text["text"] == _text(events)
    assert thinking["signature"] == _text(events, "signature_delta", "signature")
    usage = message["usage"]
    assert usage["input_tokens"] == events[0][1]["message"]["usage"]["input_tokens"]
    assert usage["output_tokens"] == events[-2][1]["usage"]["output_tokens"]
    plain = (await anthropic.post("/messages", json=messages_body())).json()
    assert [block["type"] for block in plain["content"]] == ["text"]


@pytest.mark.asyncio
async def test_max_tokens_stops_the_answer(anthropic: httpx.AsyncClient) -> None:
    whole = (await anthropic.post("/messages", json=messages_body(max_tokens=5))).json()
    assert whole["stop_reason"] == "max_tokens" and whole["usage"]["output_tokens"] == 5
    events = await _stream(anthropic, messages_body(max_tokens=5))
    assert events[-2][1]["delta"]["stop_reason"] == "max_tokens"
    assert events[-2][1]["usage"]["output_tokens"] == 5


def _is_anthropic_error(response: httpx.Response, status: int, error_type: str) -> str:
    """Check the status, Anthropic's error body and the request-id; return the message."""
    assert response.status_code == status, response.text
    assert response.headers["request-id"].startswith("req_")
    assert response.headers["x-stepwise-simulated"] == "true"
    body = response.json()
    assert body == {
        "type": "error",
        "error": {"type": error_type, "message": body["error"]["message"]},
    }
    message: str = body["error"]["message"]
    assert message
    return message


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        ({}, 401, "x-api-key header is required"),
        ({"x-api-key": "wrong"}, 401, "invalid x-api-key"),
        ({"Authorization": "Bearer wrong"}, 401, "invalid x-api-key"),
        ({"Authorization": f"Basic {KEY}"}, 401, "x-api-key header is required"),
        ({"x-api-key": KEY}, 200, None),
        ({"Authorization": f"Bearer {KEY}"}, 200, None),  # what the anthropic SDK 2.x sends
    ],
)
async def test_auth(
    sim: Simulator, headers: dict[str, str], status: int, message: str | None
) -> None:
    headers = {"anthropic-version": "2023-06-01", **headers}
    async with httpx.AsyncClient(base_url=sim.base_url, headers=headers) as http:
        response = await http.post("/messages", json=messages_body())
    if message is None:
        assert response.status_code == status
    else:
        assert _is_anthropic_error(response, status, "authentication_error") == message


@pytest.mark.asyncio
@pytest.mark.parametrize(("version", "message"), [(None, "header is required"), ("v1", "valid")])
async def test_anthropic_version_is_required(
    sim: Simulator, version: str | None, message: str
) -> None:
    headers = {"x-api-key": KEY} | ({"anthropic-version": version} if version else {})
    async with httpx.AsyncClient(base_url=sim.base_url, headers=headers) as http:
        response = await http.post("/messages", json=messages_body())
    text = _is_anthropic_error(response, 400, "invalid_request_error")
    assert text.startswith("anthropic-version:") and message in text


def _with(**changes: Any) -> bytes:
    body = messages_body()
    body.update(changes)
    return json.dumps({k: v for k, v in body.items() if v is not None}).encode()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "not a valid JSON object"),
        (b"[1, 2]", "not a valid JSON object"),
        (_with(model=None), "model: Field required"),
        (_with(max_tokens=None), "max_tokens: Field required"),
        (_with(max_tokens="10"), "max_tokens: Input should be a valid integer"),
        (_with(max_tokens=True), "max_tokens: Input should be a valid integer"),
        (_with(max_tokens=0), "max_tokens: Input should be greater than or equal to 1"),
        (_with(messages=None), "messages: Field required"),
        (_with(messages={}), "messages: Input should be a valid list"),
        (_with(messages=[]), "messages: at least one message is required"),
        (_with(messages=["hi"]), "messages.0: Input should be a valid dictionary"),
        (_with(messages=[{"role": "system", "content": "x"}]), 'Unexpected role "system"'),
        (_with(messages=[{"role": "bot", "content": "x"}]), "messages.0.role: Input should be"),
        (_with(messages=[{"role": "user"}]), "messages.0.content: Field required"),
        (_with(messages=[{"role": "user", "content": 7}]), "messages.0.content: Input should"),
        (_with(messages=[{"role": "user", "content": [{"text": "x"}]}]), "messages.0.content"),
        (_with(system=7), "system: Input should be"),
        (_with(system=[{"type": "image", "source": {}}]), "system: Input should be"),
        (_with(temperature=1.5), "temperature: Input should be between 0 and 1"),
        (_with(temperature="hot"), "temperature: Input should be a valid number"),
        (_with(stream="yes"), "stream: Input should be bool"),
        (_with(thinking={"type": "enabled", "budget_tokens": 100}), "budget_tokens: Input"),
        (_with(thinking={"type": "enabled", "budget_tokens": 2048}), "`max_tokens` must be"),
        (
            _with(
                max_tokens=4096,
                temperature=0.2,
                thinking={"type": "enabled", "budget_tokens": 2048},
            ),
            "`temperature` may only be set to 1",
        ),
    ],
)
async def test_bad_requests_get_anthropic_errors(
    anthropic: httpx.AsyncClient, raw: bytes, message: str
) -> None:
    response = await anthropic.post("/messages", content=raw)
    assert message in _is_anthropic_error(response, 400, "invalid_request_error")


@pytest.mark.asyncio
async def test_thinking_within_its_rules_is_fine(anthropic: httpx.AsyncClient) -> None:
    thinking = {"type": "enabled", "budget_tokens": 1024}
    body = messages_body("sim-reasoner", max_tokens=4096, temperature=1, thinking=thinking)
    assert (await anthropic.post("/messages", json=body)).status_code == 200


@pytest.mark.asyncio
async def test_unknown_model_is_not_found(anthropic: httpx.AsyncClient) -> None:
    response = await anthropic.post("/messages", json=messages_body("no-such-model"))
    assert _is_anthropic_error(response, 404, "not_found_error") == "model: no-such-model"
    real = await anthropic.post("/messages", json=messages_body("claude-sonnet-4-5"))
    assert real.status_code == 200 and real.json()["model"] == "claude-sonnet-4-5"


@pytest.mark.asyncio
async def test_sampling_parameters_are_gone_from_version_2026_10_21(
    anthropic: httpx.AsyncClient,
) -> None:
    sampled = messages_body(temperature=0.5, top_p=0.9, top_k=5)
    assert (await anthropic.post("/messages", json=sampled)).status_code == 200  # 2023-06-01
    new = {"anthropic-version": "2026-10-21"}
    for name, value in (("temperature", 0.5), ("top_p", 0.9), ("top_k", 5)):
        body = {**messages_body(), name: value}
        response = await anthropic.post("/messages", json=body, headers=new)
        text = _is_anthropic_error(response, 400, "invalid_request_error")
        assert text.startswith(f"{name}: Extra inputs are not permitted")
    assert (await anthropic.post("/messages", json=messages_body(), headers=new)).status_code == 200


@pytest.mark.asyncio
async def test_unknown_methods_answer_in_anthropic_shape(anthropic: httpx.AsyncClient) -> None:
    response = await anthropic.get("/messages")
    assert _is_anthropic_error(response, 405, "invalid_request_error").startswith("Invalid URL")


@pytest.mark.asyncio
async def test_requests_are_recorded_with_their_headers(
    sim: Simulator, anthropic: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    body = messages_body(content="remember me")
    await anthropic.post("/messages", json=body)
    await anthropic.post("/messages", json=body, headers={"x-api-key": "wrong"})
    await client.post("/chat/completions", json=chat_body(content="me too"))
    accepted, rejected, chat = sim.recorded[-3:]
    assert (accepted.path, accepted.status, accepted.body) == ("/v1/messages", 200, body)
    assert accepted.headers["x-api-key"] == KEY
    assert accepted.headers["anthropic-version"] == ANTHROPIC_HEADERS["anthropic-version"]
    assert "authorization" not in accepted.headers
    assert (rejected.status, rejected.headers["x-api-key"]) == (401, "wrong")
    assert (chat.path, chat.status) == ("/v1/chat/completions", 200)
    assert chat.headers["authorization"] == f"Bearer {KEY}"
    # The bodies of accepted requests, from both APIs, as before.
    assert sim.requests[-2:] == [body, chat_body(content="me too")]


def test_without_a_configured_key_any_request_is_accepted() -> None:
    with Simulator(SimConfig(ttft_ms=0, tokens_per_s=0, api_key=None)) as sim:
        response = httpx.post(
            f"{sim.base_url}/messages",
            json=messages_body(),
            headers={"anthropic-version": "2023-06-01"},
        )
    assert response.status_code == 200 and response.json()["content"][0]["text"]
