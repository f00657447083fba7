"""Injected faults on the Anthropic Messages API, as a client meets them over loopback HTTP."""

from __future__ import annotations

import httpx
import pytest

from app.sim.control import Fault
from app.sim.server import Simulator
from tests.sim.conftest import anthropic_events, is_json, messages_body, ticket_messages

STREAM = messages_body(stream=True)


async def _lines(response: httpx.Response) -> list[str]:
    return [line async for line in response.aiter_lines() if line]


def _deltas(lines: list[str]) -> int:
    return lines.count("event: content_block_delta")


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("kind", "status", "error_type"),
    [
        ("rate_limit", 429, "rate_limit_error"),
        ("server_error", 500, "api_error"),
        ("unavailable", 529, "overloaded_error"),
        ("overloaded", 529, "overloaded_error"),
        ("auth", 401, "authentication_error"),
        ("context_length", 400, "invalid_request_error"),
    ],
)
async def test_status_faults(
    sim: Simulator, anthropic: httpx.AsyncClient, kind: str, status: int, error_type: str
) -> None:
    sim.inject(Fault(kind, retry_after_s=2.5))
    response = await anthropic.post("/messages", json=STREAM)
    assert response.status_code == status
    assert response.headers["request-id"].startswith("req_")
    body = response.json()
    assert body["type"] == "error" and body["error"]["type"] == error_type
    assert body["error"]["message"]
    if kind == "rate_limit":
        assert response.headers["retry-after"] == "2.5"
        assert response.headers["retry-after-ms"] == "2500"
    assert (await anthropic.post("/messages", json=STREAM)).status_code == 200


@pytest.mark.asyncio
async def test_context_length_fault_words_it_like_anthropic(
    sim: Simulator, anthropic: httpx.AsyncClient
) -> None:
    sim.inject(Fault("context_length"))
    message = (await anthropic.post("/messages", json=messages_body())).json()["error"]["message"]
    prompt = (await anthropic.post("/messages", json=messages_body())).json()["usage"]
    assert (
        message == f"prompt is too long: {200_000 + prompt['input_tokens']} tokens > 200000 maximum"
    )


@pytest.mark.asyncio
async def test_drop_cuts_the_stream_after_n_tokens(
    sim: Simulator, anthropic: httpx.AsyncClient
) -> None:
    sim.inject(Fault("drop", after_tokens=3))
    received: list[str] = []
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        async with anthropic.stream("POST", "/messages", json=STREAM) as response:
            assert response.status_code == 200
            async for line in response.aiter_lines():
                received.append(line)
    assert _deltas(received) == 3 and "event: message_stop" not in received


@pytest.mark.asyncio
async def test_drop_without_streaming_sends_no_response(
    sim: Simulator, anthropic: httpx.AsyncClient
) -> None:
    sim.inject(Fault("drop"))
    with pytest.raises(httpx.RemoteProtocolError):
        await anthropic.post("/messages", json=messages_body())


@pytest.mark.asyncio
async def test_stall_goes_quiet_after_the_thinking(
    sim: Simulator, anthropic: httpx.AsyncClient
) -> None:
    sim.inject(Fault("stall", after_tokens=2))
    received: list[str] = []
    body = {**STREAM, "model": "sim-reasoner"}
    with pytest.raises(httpx.ReadTimeout):
        async with anthropic.stream(
            "POST", "/messages", json=body, timeout=httpx.Timeout(5.0, read=0.5)
        ) as response:
            async for line in response.aiter_lines():
                received.append(line)
    text = [line for line in received if '"text_delta"' in line]
    assert len(text) == 2 and any('"signature_delta"' in line for line in received)
    assert (await anthropic.post("/messages", json=STREAM)).status_code == 200


@pytest.mark.asyncio
async def test_malformed_event_then_the_stream_goes_on(
    sim: Simulator, anthropic: httpx.AsyncClient
) -> None:
    sim.inject(Fault("malformed", after_tokens=1))
    async with anthropic.stream("POST", "/messages", json=STREAM) as response:
        lines = await _lines(response)
    data = [line.removeprefix("data: ") for line in lines if line.startswith("data: ")]
    broken = [d for d in data if not is_json(d)]
    assert len(broken) == 1 and broken[0].startswith('{"type": "content_block_delta"')
    assert lines[-2:] == ["event: message_stop", 'data: {"type":"message_stop"}']


@pytest.mark.asyncio
async def test_malformed_without_streaming_is_a_broken_body(
    sim: Simulator, anthropic: httpx.AsyncClient
) -> None:
    sim.inject(Fault("malformed"))
    response = await anthropic.post("/messages", json=messages_body())
    assert response.status_code == 200 and not is_json(response.text)


@pytest.mark.asyncio
async def test_inband_error_event_ends_the_stream(
    sim: Simulator, anthropic: httpx.AsyncClient
) -> None:
    sim.inject(Fault("inband_error", after_tokens=3))
    async with anthropic.stream("POST", "/messages", json=STREAM) as response:
        assert response.status_code == 200
        raw = (await response.aread()).decode()  # ends cleanly: no connection error
    assert raw.endswith(
        'event: error\ndata: {"type":"error","error":{"type":"overloaded_error",'
        '"message":"Overloaded"}}\n\n'
    )
    names = [name for name, _ in anthropic_events(raw)]
    assert names.count("content_block_delta") == 3 and names[-1] == "error"
    assert "message_delta" not in names and "message_stop" not in names


@pytest.mark.asyncio
async def test_inband_error_without_streaming_is_a_529(
    sim: Simulator, anthropic: httpx.AsyncClient
) -> None:
    sim.inject(Fault("inband_error"))
    response = await anthropic.post("/messages", json=messages_body())
    assert response.status_code == 529
    assert response.json()["error"] == {"type": "overloaded_error", "message": "Overloaded"}


@pytest.mark.asyncio
async def test_faults_wait_for_their_step_on_either_api(
    sim: Simulator, anthropic: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    sim.inject(Fault("server_error", step="intent"))
    system, user = ticket_messages("intent")
    intent = messages_body("sim-flash", system=system["content"], messages=[user])
    assert (await anthropic.post("/messages", json=messages_body())).status_code == 200
    assert (await anthropic.post("/messages", json=intent)).status_code == 500
    sim.inject(Fault("overloaded", step="intent"))
    openai_intent = {"model": "sim-flash", "messages": ticket_messages("intent")}
    assert (await client.post("/chat/completions", json=openai_intent)).status_code == 529


@pytest.mark.asyncio
async def test_a_request_can_ask_for_a_fault_in_a_header(anthropic: httpx.AsyncClient) -> None:
    limited = await anthropic.post(
        "/messages", json=messages_body(), headers={"X-Stepwise-Fault": "rate_limit"}
    )
    assert limited.status_code == 429 and limited.headers["retry-after"] == "1"
    bad = await anthropic.post(
        "/messages", json=messages_body(), headers={"X-Stepwise-Fault": "explode"}
    )
    assert bad.status_code == 400 and "X-Stepwise-Fault" in bad.json()["error"]["message"]
