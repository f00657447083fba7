"""The client over httpx.MockTransport: streaming, retries, waits, typed errors, closing.

Retry and budget waits go through an injected sleep that records the delay and returns at once,
so schedules are checked exactly and never waited out.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from app.llm import retry
from app.llm.anthropic import API_VERSION, AnthropicAdapter
from app.llm.chat import ChatEvent, ChatRequest, Finish, TextChunk, UsageReport, Waiting
from app.llm.client import LLMClient, check_base_url
from app.llm.errors import (
    AuthError,
    BadRequest,
    ConfigError,
    Conflict,
    ConnectTimeout,
    ContextOverflow,
    DeadlineExceeded,
    LLMError,
    NetworkError,
    NotFound,
    Overloaded,
    PaymentRequired,
    PermissionDenied,
    RateLimited,
    ServerError,
    StreamError,
    StreamStalled,
    Truncated,
    Unprocessable,
    Unreachable,
)
from app.llm.limits import RateLimiter

REQUEST = ChatRequest("m", [{"role": "user", "content": "hi"}])
Handler = Callable[[httpx.Request], httpx.Response]


def sse(*chunks: object, done: bool = True) -> bytes:
    body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks)
    return (body + ("data: [DONE]\n\n" if done else "")).encode()


def delta(text: str) -> dict[str, object]:
    return {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}


FINISH = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
USAGE = {"choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 2}}
OK = sse(delta("ok"), FINISH)


class Body(httpx.AsyncByteStream):
    """A response body that records whether it was closed; an exception part is raised."""

    def __init__(self, parts: list[bytes | Exception], pause_s: float = 0.0) -> None:
        self.parts = parts
        self.pause_s = pause_s
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            if self.pause_s:
                await asyncio.sleep(self.pause_s)
            if isinstance(part, Exception):
                raise part
            yield part

    async def aclose(self) -> None:
        self.closed = True


class Sleeps:
    """An injected sleep: records each wait and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make_client(
    handler: Handler, key: str | None = "k", sleeps: Sleeps | None = None, **options: object
) -> LLMClient:
    return LLMClient(
        "https://llm.example/v1",
        lambda: key,
        transport=httpx.MockTransport(handler),
        sleep=sleeps or Sleeps(),
        **options,  # type: ignore[arg-type]
    )


def replies(*responses: httpx.Response | Exception) -> tuple[Handler, list[httpx.Request]]:
    """A handler answering with ``responses`` in turn (the last one repeats)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = responses[min(len(seen), len(responses)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return handler, seen


async def collect(client: LLMClient, request: ChatRequest = REQUEST) -> list[ChatEvent]:
    try:
        async with client.stream(request) as events:
            return [event async for event in events]
    finally:
        await client.aclose()


async def failure(client: LLMClient) -> LLMError:
    with pytest.raises(LLMError) as caught:
        await collect(client)
    return caught.value


@pytest.mark.asyncio
async def test_streams_text_finish_and_usage_with_bearer_key() -> None:
    handler, seen = replies(
        httpx.Response(200, content=sse(delta("Hel"), delta("lo"), FINISH, USAGE))
    )
    assert await collect(make_client(handler)) == [
        TextChunk("Hello"),  # pieces that arrive in one read are handed on together
        Finish("stop"),
        UsageReport(7, 2),
    ]
    assert seen[0].headers["authorization"] == "Bearer k"
    assert seen[0].url == "https://llm.example/v1/chat/completions"
    assert json.loads(seen[0].content)["stream_options"] == {"include_usage": True}


@pytest.mark.asyncio
async def test_anthropic_adapter_sends_its_own_headers_and_reads_its_events() -> None:
    stream = (
        'event: message_start\ndata: {"type":"message_start","message":{"usage":'
        '{"input_tokens":9,"output_tokens":1}}}\n\n'
        'event: ping\ndata: {"type": "ping"}\n\n'
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,'
        '"content_block":{"type":"text","text":""}}\n\n'
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,'
        '"delta":{"type":"text_delta","text":"Hi"}}\n\n'
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n'
        'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},'
        '"usage":{"output_tokens":3}}\n\n'
        'event: message_stop\ndata: {"type":"message_stop"}\n\n'
    )
    handler, seen = replies(httpx.Response(200, content=stream.encode()))
    client = make_client(handler, adapter=AnthropicAdapter())
    request = ChatRequest("claude", [{"role": "system", "content": "Be kind."}, *REQUEST.messages])
    events = await collect(client, request)
    assert [e for e in events if isinstance(e, TextChunk | Finish)] == [
        TextChunk("Hi"),
        Finish("stop"),
    ]
    assert [e for e in events if isinstance(e, UsageReport)][-1] == UsageReport(9, 3)
    sent = seen[0]
    assert sent.url == "https://llm.example/v1/messages"
    assert sent.headers["x-api-key"] == "k"
    assert sent.headers["anthropic-version"] == API_VERSION
    assert "authorization" not in sent.headers
    assert json.loads(sent.content)["system"] == "Be kind."


@pytest.mark.asyncio
async def test_key_is_read_for_every_attempt() -> None:
    keys = iter(["first", "second"])
    handler, seen = replies(
        httpx.Response(500, json={"error": {}}), httpx.Response(200, content=OK)
    )
    client = LLMClient(
        "https://llm.example/v1",
        lambda: next(keys),
        transport=httpx.MockTransport(handler),
        sleep=Sleeps(),
    )
    await collect(client)
    assert [r.headers["authorization"] for r in seen] == ["Bearer first", "Bearer second"]


@pytest.mark.asyncio
async def test_rate_limit_is_retried_and_the_wait_announced() -> None:
    sleeps = Sleeps()
    handler, seen = replies(
        httpx.Response(
            429, headers={"retry-after-ms": "1500"}, json={"error": {"message": "slow"}}
        ),
        httpx.Response(200, content=OK),
    )
    events = await collect(make_client(handler, sleeps=sleeps))
    waiting = events[0]
    assert isinstance(waiting, Waiting) and waiting.reason == "retry"
    assert waiting.seconds == 1.5 and waiting.attempt == 1
    assert "rate-limiting" in waiting.describe() and "2 s" in waiting.describe()
    assert events[1:] == [TextChunk("ok"), Finish("stop")]
    assert sleeps.delays == [1.5] and len(seen) == 2


@pytest.mark.asyncio
async def test_retries_are_bounded_with_jittered_exponential_backoff() -> None:
    sleeps = Sleeps()
    handler, seen = replies(httpx.Response(500, json={"error": {"message": "boom"}}))
    error = await failure(make_client(handler, sleeps=sleeps, max_retries=4))
    assert isinstance(error, ServerError) and "boom" in error.user_message
    assert len(seen) == 5
    for delay, (low, high) in zip(
        sleeps.delays, [(0.375, 0.5), (0.75, 1), (1.5, 2), (3, 4)], strict=True
    ):
        assert low <= delay <= high


@pytest.mark.asyncio
async def test_retry_after_past_the_cap_is_not_retried() -> None:
    handler, seen = replies(
        httpx.Response(429, headers={"retry-after": "600"}, json={"error": {"message": "slow"}})
    )
    error = await failure(make_client(handler))
    assert isinstance(error, RateLimited) and error.retry_after == 600
    assert len(seen) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "header", "attempts"),
    [(500, "false", 1), (400, "true", 2), (409, None, 2), (408, None, 2), (401, None, 1)],
)
async def test_x_should_retry_and_status_rules(
    status: int, header: str | None, attempts: int
) -> None:
    headers = {"x-should-retry": header} if header else {}
    handler, seen = replies(
        httpx.Response(status, headers=headers, json={"error": {}}), httpx.Response(200, content=OK)
    )
    client = make_client(handler)
    if attempts == 1:
        await failure(client)
    else:
        await collect(client)
    assert len(seen) == attempts


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (400, {"error": {"message": "bad"}}, BadRequest),
        (
            400,
            {
                "error": {
                    "message": "maximum context length is 128000",
                    "code": "context_length_exceeded",
                }
            },
            ContextOverflow,
        ),
        (401, {"error": {"message": "Incorrect API key provided."}}, AuthError),
        (402, {"error": {"message": "no credits"}}, PaymentRequired),
        (403, {"error": {"message": "no access"}}, PermissionDenied),
        (404, {"error": {"message": "no such model"}}, NotFound),
        (409, {"error": {}}, Conflict),
        (422, {"error": {}}, Unprocessable),
        (
            529,
            {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
            Overloaded,
        ),
        (307, {}, BadRequest),
    ],
)
async def test_each_status_has_its_typed_error(status: int, body: object, kind: type) -> None:
    handler, _ = replies(httpx.Response(status, json=body, headers={"x-request-id": "req_1"}))
    error = await failure(make_client(handler, max_retries=0))
    assert type(error) is kind
    assert error.user_message and "Traceback" not in error.user_message
    assert getattr(error, "request_id", None) == "req_1"


@pytest.mark.asyncio
async def test_redirects_are_not_followed_with_the_key() -> None:
    handler, seen = replies(
        httpx.Response(307, headers={"location": "https://elsewhere.example/v1/chat/completions"})
    )
    error = await failure(make_client(handler, max_retries=0))
    assert "redirect" in error.user_message
    assert [r.url.host for r in seen] == ["llm.example"]


@pytest.mark.asyncio
async def test_missing_key_and_remote_plain_http_are_config_errors() -> None:
    handler, seen = replies(httpx.Response(200, content=OK))
    assert isinstance(await failure(make_client(handler, key=None)), ConfigError)
    assert seen == []
    with pytest.raises(ConfigError):
        check_base_url("http://llm.example/v1")
    with pytest.raises(ConfigError):
        check_base_url("llm.example/v1")
    assert check_base_url("http://127.0.0.1:9/v1/") == "http://127.0.0.1:9/v1"
    assert check_base_url("http://localhost:9/v1") == "http://localhost:9/v1"
    assert check_base_url("http://[::1]:9/v1") == "http://[::1]:9/v1"


@pytest.mark.asyncio
async def test_connection_errors_are_retried_then_wrapped() -> None:
    sleeps = Sleeps()
    handler, seen = replies(httpx.ConnectError("refused"))
    error = await failure(make_client(handler, sleeps=sleeps))
    assert type(error) is Unreachable and "Could not reach" in error.user_message
    assert isinstance(error, NetworkError) and error.retryable
    assert len(seen) == retry.MAX_RETRIES + 1 and len(sleeps.delays) == retry.MAX_RETRIES


@pytest.mark.asyncio
async def test_connect_timeout_then_success() -> None:
    handler, _ = replies(httpx.ConnectTimeout("slow"), httpx.Response(200, content=OK))
    events = await collect(make_client(handler))
    assert isinstance(events[0], Waiting) and "connection in time" in (events[0].error or "")
    assert TextChunk("ok") in events
    handler, _ = replies(httpx.ConnectTimeout("slow"))
    assert isinstance(await failure(make_client(handler, max_retries=0)), ConnectTimeout)


@pytest.mark.asyncio
async def test_stream_without_end_marker_is_truncated_after_its_text() -> None:
    handler, _ = replies(httpx.Response(200, content=sse(delta("half"), done=False)))
    client = make_client(handler)
    seen: list[ChatEvent] = []
    with pytest.raises(Truncated):
        async with client.stream(REQUEST) as events:
            async for event in events:
                seen.append(event)
    assert seen == [TextChunk("half")]
    await client.aclose()


@pytest.mark.asyncio
async def test_in_band_error_before_any_text_is_retried() -> None:
    error = {"error": {"message": "The server had an error", "type": "server_error"}}
    handler, seen = replies(
        httpx.Response(200, content=sse(error, done=False)), httpx.Response(200, content=OK)
    )
    events = await collect(make_client(handler))
    assert isinstance(events[0], Waiting) and events[1:] == [TextChunk("ok"), Finish("stop")]
    assert len(seen) == 2


@pytest.mark.asyncio
async def test_in_band_error_after_text_is_raised_not_retried() -> None:
    error = {"error": {"message": "The server had an error", "type": "server_error"}}
    handler, seen = replies(httpx.Response(200, content=sse(delta("a"), error)))
    failed = await failure(make_client(handler))
    assert isinstance(failed, ServerError) and failed.in_stream
    assert "server had an error" in failed.user_message
    assert len(seen) == 1


@pytest.mark.asyncio
async def test_malformed_chunk_is_a_stream_error() -> None:
    body = b'data: {"choices": [{"delta": {"content": "oops\n\n'
    handler, _ = replies(httpx.Response(200, content=sse(delta("a"), done=False) + body))
    assert isinstance(await failure(make_client(handler)), StreamError)


@pytest.mark.asyncio
async def test_dropped_connection_keeps_what_was_streamed() -> None:
    body = Body([sse(delta("kept"), done=False), httpx.RemoteProtocolError("peer closed")])
    handler, _ = replies(httpx.Response(200, stream=body))
    client = make_client(handler)
    seen: list[ChatEvent] = []
    with pytest.raises(NetworkError, match="dropped"):
        async with client.stream(REQUEST) as events:
            async for event in events:
                seen.append(event)
    assert seen == [TextChunk("kept")] and body.closed
    await client.aclose()


@pytest.mark.asyncio
async def test_stalled_stream_is_reported_as_stalled() -> None:
    body = Body([sse(delta("a"), done=False), httpx.ReadTimeout("no bytes")])
    handler, _ = replies(httpx.Response(200, stream=body))
    error = await failure(make_client(handler))
    assert isinstance(error, StreamStalled) and body.closed


@pytest.mark.asyncio
async def test_overall_deadline_stops_a_slow_stream() -> None:
    parts: list[bytes | Exception] = [sse(delta(str(i)), done=False) for i in range(50)]
    body = Body(parts, pause_s=0.01)
    handler, _ = replies(httpx.Response(200, stream=body))
    error = await failure(make_client(handler, deadline_s=0.05))
    assert isinstance(error, DeadlineExceeded) and body.closed


@pytest.mark.asyncio
async def test_a_retry_that_would_pass_the_deadline_raises_the_error_instead() -> None:
    handler, seen = replies(httpx.Response(429, headers={"retry-after": "30"}, json={"error": {}}))
    error = await failure(make_client(handler, deadline_s=10))
    assert isinstance(error, RateLimited) and len(seen) == 1


@pytest.mark.asyncio
async def test_early_exit_closes_the_response() -> None:
    body = Body([sse(delta("a"), done=False), sse(delta("b"), FINISH)])
    handler, _ = replies(httpx.Response(200, stream=body))
    client = make_client(handler)
    async with client.stream(REQUEST) as events:
        async for _event in events:
            break
    assert body.closed
    await client.aclose()


@pytest.mark.asyncio
async def test_cancellation_closes_the_response() -> None:
    started = asyncio.Event()

    class Endless(Body):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield sse(delta("a"), done=False)
            started.set()
            await asyncio.Event().wait()  # never sends more: the agent presses Stop
            yield b""

    body = Endless([])
    handler, _ = replies(httpx.Response(200, stream=body))
    client = make_client(handler)
    task = asyncio.create_task(collect(client))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert body.closed


@pytest.mark.asyncio
async def test_budget_wait_is_announced_before_sending() -> None:
    sleeps = Sleeps()
    clock = [100.0]
    limiter = RateLimiter(requests_per_minute=1, clock=lambda: clock[0])
    handler, seen = replies(httpx.Response(200, content=OK))
    client = make_client(handler, sleeps=sleeps, limiter=limiter)
    first = await collect(client)
    client = make_client(handler, sleeps=sleeps, limiter=limiter)
    second = await collect(client)
    assert not any(isinstance(e, Waiting) for e in first)
    assert second[0] == Waiting("budget", 61.0)
    assert sleeps.delays == [61.0] and len(seen) == 2


@pytest.mark.asyncio
async def test_a_429_holds_later_calls_to_the_same_provider() -> None:
    clock = [0.0]
    limiter = RateLimiter(clock=lambda: clock[0])
    handler, _ = replies(httpx.Response(429, headers={"retry-after": "5"}, json={"error": {}}))
    await failure(make_client(handler, limiter=limiter, max_retries=0))
    assert limiter.reserve() == 5.0
