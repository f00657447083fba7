"""The client over httpx.MockTransport: streaming, retries, typed errors, closing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from app.llm.client import LLMClient, check_base_url
from app.llm.errors import AuthError, ConfigError, NetworkError, RateLimited, StreamError, Truncated
from app.llm.openai_compat import ChatEvent, ChatRequest, Finish, TextChunk, UsageReport

REQUEST = ChatRequest("m", [{"role": "user", "content": "hi"}])


def sse(*chunks: object, done: bool = True) -> bytes:
    body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks)
    return (body + ("data: [DONE]\n\n" if done else "")).encode()


def delta(text: str) -> dict[str, object]:
    return {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}


FINISH = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
USAGE = {"choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 2}}


class Body(httpx.AsyncByteStream):
    """A response body that records whether it was closed."""

    def __init__(self, parts: list[bytes]) -> None:
        self.parts = parts
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            yield part

    async def aclose(self) -> None:
        self.closed = True


def client_for(
    handler: Callable[[httpx.Request], httpx.Response], key: str | None = "k"
) -> LLMClient:
    return LLMClient("https://llm.example/v1", lambda: key, transport=httpx.MockTransport(handler))


async def collect(client: LLMClient) -> list[ChatEvent]:
    async with client.stream(REQUEST) as events:
        return [event async for event in events]


@pytest.mark.asyncio
async def test_streams_text_finish_and_usage_with_bearer_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=sse(delta("Hel"), delta("lo"), FINISH, USAGE))

    client = client_for(handler)
    assert await collect(client) == [
        TextChunk("Hel"),
        TextChunk("lo"),
        Finish("stop"),
        UsageReport(7, 2),
    ]
    assert seen[0].headers["authorization"] == "Bearer k"
    assert json.loads(seen[0].content)["stream_options"] == {"include_usage": True}
    await client.aclose()


@pytest.mark.asyncio
async def test_rate_limit_is_retried_before_the_stream_starts() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            return httpx.Response(429, headers={"retry-after-ms": "1"}, json={"error": {}})
        return httpx.Response(200, content=sse(delta("ok"), FINISH))

    client = client_for(handler)
    assert TextChunk("ok") in await collect(client)
    assert calls == 2
    await client.aclose()


@pytest.mark.asyncio
async def test_rate_limit_past_the_cap_is_not_retried() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            429, headers={"retry-after": "600"}, json={"error": {"message": "slow"}}
        )

    client = client_for(handler)
    with pytest.raises(RateLimited) as caught:
        await collect(client)
    assert caught.value.retry_after == 600
    assert "slow" in caught.value.user_message
    await client.aclose()


@pytest.mark.asyncio
async def test_rejected_key_is_an_auth_error_in_plain_words() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        body = {"error": {"message": "Incorrect API key provided.", "code": "invalid_api_key"}}
        return httpx.Response(401, json=body)

    client = client_for(handler)
    with pytest.raises(AuthError) as caught:
        await collect(client)
    assert calls == 1
    assert "rejected the API key" in caught.value.user_message
    await client.aclose()


@pytest.mark.asyncio
async def test_missing_key_and_remote_plain_http_are_config_errors() -> None:
    client = client_for(lambda r: httpx.Response(200), key=None)
    with pytest.raises(ConfigError):
        await collect(client)
    await client.aclose()
    with pytest.raises(ConfigError):
        check_base_url("http://llm.example/v1")
    assert check_base_url("http://127.0.0.1:9/v1/") == "http://127.0.0.1:9/v1"
    assert check_base_url("http://localhost:9/v1") == "http://localhost:9/v1"


@pytest.mark.asyncio
async def test_stream_without_end_marker_is_truncated() -> None:
    client = client_for(lambda r: httpx.Response(200, content=sse(delta("half"), done=False)))
    with pytest.raises(Truncated):
        await collect(client)
    await client.aclose()


@pytest.mark.asyncio
async def test_in_band_error_after_200_is_a_stream_error() -> None:
    error = {"error": {"message": "The server had an error", "type": "server_error"}}
    client = client_for(lambda r: httpx.Response(200, content=sse(delta("a"), error)))
    with pytest.raises(StreamError, match="server had an error"):
        await collect(client)
    await client.aclose()


@pytest.mark.asyncio
async def test_connection_errors_are_wrapped() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    client = client_for(handler)
    with pytest.raises(NetworkError, match="Could not reach"):
        await collect(client)
    await client.aclose()


@pytest.mark.asyncio
async def test_early_exit_closes_the_response() -> None:
    body = Body([sse(delta("a")), sse(delta("b"), FINISH)])
    client = client_for(lambda r: httpx.Response(200, stream=body))
    async with client.stream(REQUEST) as events:
        async for _event in events:
            break
    assert body.closed
    await client.aclose()
