"""Injected faults, as a client meets them over real loopback HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from app.sim import wire
from app.sim.control import Fault, parse_fault_header
from app.sim.server import Simulator
from tests.sim.conftest import chat_body, is_json, ticket_messages

STREAM = chat_body(stream=True)


async def _content_events(response: httpx.Response) -> list[str]:
    """Read a stream to its end (or its failure), collecting the data lines as they come."""
    return [line async for line in response.aiter_lines() if line.startswith("data: ")]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("rate_limit", 429, "rate_limit_exceeded"),
        ("server_error", 500, None),
        ("unavailable", 503, "service_unavailable"),
        ("auth", 401, "invalid_api_key"),
        ("overloaded", 529, None),
        ("context_length", 400, "context_length_exceeded"),
    ],
)
async def test_status_faults(
    sim: Simulator, client: httpx.AsyncClient, kind: str, status: int, code: str | None
) -> None:
    sim.inject(Fault(kind, retry_after_s=2.5))
    response = await client.post("/chat/completions", json=STREAM)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and "param" in error
    assert response.headers["x-stepwise-simulated"] == "true"
    if kind == "rate_limit":
        assert response.headers["retry-after"] == "2.5"
        assert response.headers["retry-after-ms"] == "2500"
        assert error["type"] == "requests" and error["message"].startswith("Rate limit reached")
    if kind == "overloaded":
        assert error["type"] == "overloaded_error"
    # The fault is used up: the next request succeeds.
    assert (await client.post("/chat/completions", json=chat_body())).status_code == 200


@pytest.mark.asyncio
async def test_context_length_fault_words_it_like_openai(
    sim: Simulator, client: httpx.AsyncClient
) -> None:
    sim.inject(Fault("context_length"))
    response = await client.post("/chat/completions", json=chat_body())
    plain = (await client.post("/chat/completions", json=chat_body(stream=True, **_USAGE))).text
    prompt = json.loads(_data(plain)[-2])["usage"]["prompt_tokens"]
    assert response.json()["error"] == {
        "message": "This model's maximum context length is 128000 tokens. However, your "
        f"messages resulted in {128000 + prompt} tokens. Please reduce the length of the messages.",
        "type": "invalid_request_error",
        "param": "messages",
        "code": "context_length_exceeded",
    }


@pytest.mark.asyncio
async def test_a_prompt_over_the_context_window_is_refused(client: httpx.AsyncClient) -> None:
    huge = chat_body(content="word " * 128_500)
    error = (await client.post("/chat/completions", json=huge)).json()["error"]
    assert error["code"] == "context_length_exceeded"
    assert "maximum context length is 128000 tokens" in error["message"]


@pytest.mark.asyncio
async def test_inband_error_ends_the_stream_without_done(
    sim: Simulator, client: httpx.AsyncClient
) -> None:
    sim.inject(Fault("inband_error", after_tokens=3))
    async with client.stream("POST", "/chat/completions", json=STREAM) as response:
        assert response.status_code == 200
        raw = (await response.aread()).decode()  # ends cleanly: no connection error
    events = _data(raw)
    assert len(events) == 5  # the role chunk, three content tokens, the error
    assert json.loads(events[-1]) == {
        "error": {"message": wire.SERVER_ERROR, "type": "server_error", "code": None}
    }
    assert all("choices" in json.loads(e) for e in events[:-1])


@pytest.mark.asyncio
async def test_inband_error_without_streaming_is_a_500(
    sim: Simulator, client: httpx.AsyncClient
) -> None:
    sim.inject(Fault("inband_error"))
    response = await client.post("/chat/completions", json=chat_body())
    assert response.status_code == 500 and response.json()["error"]["type"] == "server_error"


_USAGE: dict[str, Any] = {"stream_options": {"include_usage": True}}


def _data(raw: str) -> list[str]:
    """The data of each event of a raw OpenAI stream, checking the framing on the way."""
    assert raw.endswith("\n\n")
    blocks = raw[:-2].split("\n\n")
    assert all(b.startswith("data: ") and "\n" not in b for b in blocks), blocks
    return [b.removeprefix("data: ") for b in blocks]


@pytest.mark.asyncio
async def test_drop_cuts_the_stream_after_n_tokens(
    sim: Simulator, client: httpx.AsyncClient
) -> None:
    sim.inject(Fault("drop", after_tokens=3))
    received: list[str] = []
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        async with client.stream("POST", "/chat/completions", json=STREAM) as response:
            assert response.status_code == 200
            async for line in response.aiter_lines():
                received.append(line)
    data = [line for line in received if line.startswith("data: ")]
    assert len(data) == 4  # the role chunk and three content tokens, then nothing
    assert "[DONE]" not in received[-1]


@pytest.mark.asyncio
async def test_drop_without_streaming_sends_no_response(
    sim: Simulator, client: httpx.AsyncClient
) -> None:
    sim.inject(Fault("drop"))
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post("/chat/completions", json=chat_body())


@pytest.mark.asyncio
async def test_stall_goes_quiet_until_the_client_gives_up(
    sim: Simulator, client: httpx.AsyncClient
) -> None:
    sim.inject(Fault("stall", after_tokens=2))
    received: list[str] = []
    with pytest.raises(httpx.ReadTimeout):
        async with client.stream(
            "POST", "/chat/completions", json=STREAM, timeout=httpx.Timeout(5.0, read=0.5)
        ) as response:
            async for line in response.aiter_lines():
                received.append(line)
    assert len([line for line in received if line.startswith("data: ")]) == 3
    # The server is still fine afterwards.
    assert (await client.post("/chat/completions", json=chat_body())).status_code == 200


@pytest.mark.asyncio
async def test_malformed_event_then_the_stream_goes_on(
    sim: Simulator, client: httpx.AsyncClient
) -> None:
    sim.inject(Fault("malformed", after_tokens=1))
    async with client.stream("POST", "/chat/completions", json=STREAM) as response:
        events = await _content_events(response)
    assert events[-1] == "data: [DONE]"
    broken = [e for e in events[:-1] if not is_json(e.removeprefix("data: "))]
    assert broken == ['data: {"choices": [{"delta": {"content": "oops']
    assert events.index(broken[0]) == 2  # after the role chunk and one token


@pytest.mark.asyncio
async def test_malformed_without_streaming_is_a_broken_body(
    sim: Simulator, client: httpx.AsyncClient
) -> None:
    sim.inject(Fault("malformed"))
    response = await client.post("/chat/completions", json=chat_body())
    assert response.status_code == 200 and not is_json(response.text)


@pytest.mark.asyncio
async def test_fault_waits_for_its_step_and_counts_down(
    sim: Simulator, client: httpx.AsyncClient
) -> None:
    sim.inject(Fault("server_error", step="reasoning", count=2))
    intent = {"model": "sim-flash", "messages": ticket_messages("intent")}
    reasoning = {"model": "sim-reasoner", "messages": ticket_messages("reasoning", {})}
    statuses = [
        (await client.post("/chat/completions", json=body)).status_code
        for body in (intent, chat_body(), reasoning, intent, reasoning, reasoning)
    ]
    assert statuses == [200, 200, 500, 200, 500, 200]


@pytest.mark.asyncio
async def test_faults_apply_in_the_order_injected(
    sim: Simulator, client: httpx.AsyncClient
) -> None:
    sim.inject(Fault("unavailable"))
    sim.inject(Fault("rate_limit", retry_after_s=1))
    statuses = [
        (await client.post("/chat/completions", json=chat_body())).status_code for _ in "abc"
    ]
    assert statuses == [503, 429, 200]


@pytest.mark.asyncio
async def test_a_request_can_ask_for_a_fault_in_a_header(client: httpx.AsyncClient) -> None:
    headers = {"X-Stepwise-Fault": "drop; after=2"}
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        async with client.stream(
            "POST", "/chat/completions", json=STREAM, headers=headers
        ) as response:
            await _content_events(response)
    limited = await client.post(
        "/chat/completions", json=chat_body(), headers={"X-Stepwise-Fault": "rate_limit"}
    )
    assert limited.status_code == 429 and limited.headers["retry-after"] == "1"
    bad = await client.post(
        "/chat/completions", json=chat_body(), headers={"X-Stepwise-Fault": "explode"}
    )
    assert bad.status_code == 400 and "X-Stepwise-Fault" in bad.json()["error"]["message"]


def test_fault_header_parsing() -> None:
    assert parse_fault_header("stall; after=7") == Fault("stall", after_tokens=7)
    assert parse_fault_header("rate_limit; retry-after=0.25") == Fault(
        "rate_limit", retry_after_s=0.25
    )
    assert parse_fault_header("inband_error; after=4") == Fault("inband_error", after_tokens=4)
    assert parse_fault_header("Overloaded") == Fault("overloaded")
    for bad in ("explode", "drop; after=x", "drop; colour=red"):
        with pytest.raises(ValueError):
            parse_fault_header(bad)


@pytest.mark.parametrize(
    "arguments",
    [{"kind": "boom"}, {"kind": "drop", "step": "review"}, {"kind": "drop", "count": 0}],
)
def test_bad_faults_fail_where_they_are_written(arguments: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Fault(**arguments)  # type: ignore[arg-type]
