"""The client against the simulator over real loopback HTTP: every fault ends in the right typed
error or in a successful retry, on both wire protocols, and no connection is left in use."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from app.llm.accumulate import Accumulator
from app.llm.adapter import Adapter
from app.llm.anthropic import AnthropicAdapter
from app.llm.chat import ChatRequest, Waiting
from app.llm.client import LLMClient
from app.llm.errors import (
    AuthError,
    ContextOverflow,
    LLMError,
    NetworkError,
    Overloaded,
    ServerError,
    StreamError,
    StreamStalled,
    Unreachable,
)
from app.llm.limits import RateLimiter
from app.llm.openai_compat import OpenAIAdapter
from app.sim.server import Fault, SimConfig, Simulator

KEY = "sim-key"
REQUEST = ChatRequest(
    "sim-writer", [{"role": "user", "content": "Where is my order #4521?"}], max_tokens=200
)
ADAPTERS = {"openai": OpenAIAdapter, "anthropic": AnthropicAdapter}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(ttft_ms=0, tokens_per_s=400)) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def no_leftover_faults(sim: Simulator) -> Iterator[None]:
    yield
    sim.clear_faults()


@pytest.fixture(params=sorted(ADAPTERS))
def adapter(request: pytest.FixtureRequest) -> Adapter:
    return ADAPTERS[request.param]()


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)  # retries are tested for what they wait, not waited out


def connections(client: LLMClient) -> tuple[int, int]:
    """The client's pool: connections still carrying a request, and idle ones kept for reuse
    (aiohttp's connector, under the httpx transport; private, so read only here)."""
    session = client._http._transport.client  # type: ignore[attr-defined]
    if not isinstance(session, aiohttp.ClientSession):
        return 0, 0  # no request was ever sent
    connector: Any = session.connector
    return len(connector._acquired), sum(len(idle) for idle in connector._conns.values())


def in_use(client: LLMClient) -> int:
    return connections(client)[0]


async def run(
    sim: Simulator, adapter: Adapter, key: str = KEY, **options: object
) -> tuple[Accumulator, list[Waiting], LLMError | None]:
    client = LLMClient(sim.base_url, lambda: key, adapter=adapter, **options)  # type: ignore[arg-type]
    answer, waits, error = Accumulator(), [], None
    try:
        async with client.stream(REQUEST) as events:
            async for event in events:
                if isinstance(event, Waiting):
                    waits.append(event)
                answer.add(event)
    except LLMError as err:
        error = err
    finally:
        assert in_use(client) == 0
        await client.aclose()
    return answer, waits, error


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_a_clean_stream_on_each_protocol(sim: Simulator, adapter: Adapter) -> None:
    answer, waits, error = await run(sim, adapter)
    assert error is None and waits == []
    assert len(answer.text) > 20 and answer.finish_reason == "stop"
    assert answer.usage is not None and answer.usage.input_tokens > 0


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_calls_one_after_another_share_one_connection(
    sim: Simulator, adapter: Adapter
) -> None:
    # The body is read to its end after the end marker, so the connection is kept: a new one
    # per call costs a TCP (and, with a real provider, TLS) handshake on every step.
    client = LLMClient(sim.base_url, lambda: KEY, adapter=adapter)
    try:
        for _ in range(3):
            async with client.stream(REQUEST) as events:
                answer = Accumulator()
                async for event in events:
                    answer.add(event)
            assert answer.finish_reason == "stop"
        assert connections(client) == (0, 1)
    finally:
        await client.aclose()


@pytest.mark.e2e
@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["rate_limit", "server_error", "unavailable", "overloaded"])
async def test_one_failure_is_retried_with_the_wait_announced(
    sim: Simulator, adapter: Adapter, kind: str
) -> None:
    sim.inject(Fault(kind, retry_after_s=2))
    sleeps = Sleeps()
    answer, waits, error = await run(sim, adapter, sleep=sleeps)
    assert error is None and answer.finish_reason == "stop"
    assert [w.reason for w in waits] == ["retry"] and waits[0].error
    if kind == "rate_limit":
        assert sleeps.delays == [2.0]  # the server's Retry-After, not our backoff


@pytest.mark.e2e
@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("rate_limit", "RateLimited"),
        ("server_error", "ServerError"),
        ("unavailable", "Overloaded"),
        ("overloaded", "Overloaded"),
    ],
)
async def test_failures_past_the_retry_budget_end_in_their_typed_error(
    sim: Simulator, adapter: Adapter, kind: str, expected: str
) -> None:
    sim.inject(Fault(kind, retry_after_s=1, count=3))
    _, waits, error = await run(sim, adapter, sleep=Sleeps())
    assert type(error).__name__ == expected and len(waits) == 2
    assert error is not None and error.retryable


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_rejected_key(sim: Simulator, adapter: Adapter) -> None:
    _, waits, error = await run(sim, adapter, key="wrong-key")
    assert isinstance(error, AuthError) and waits == []
    assert "rejected the API key" in error.user_message


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_context_too_long(sim: Simulator, adapter: Adapter) -> None:
    sim.inject(Fault("context_length"))
    _, _, error = await run(sim, adapter)
    assert isinstance(error, ContextOverflow) and "too long" in error.user_message


@pytest.mark.e2e
@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("kind", "expected"),
    [("drop", NetworkError), ("malformed", StreamError), ("inband_error", ServerError)],
)
async def test_stream_faults_keep_the_text_already_streamed(
    sim: Simulator, adapter: Adapter, kind: str, expected: type[LLMError]
) -> None:
    sim.inject(Fault(kind, after_tokens=5))
    answer, waits, error = await run(sim, adapter, sleep=Sleeps())
    assert isinstance(error, expected), error
    assert answer.text and waits == []  # text was handed on: never retried behind the agent's back
    if kind == "inband_error" and isinstance(adapter, AnthropicAdapter):
        assert isinstance(error, Overloaded)  # Anthropic's overloaded_error event


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_a_fault_before_any_text_is_retried(sim: Simulator, adapter: Adapter) -> None:
    sim.inject(Fault("inband_error", after_tokens=0))
    answer, waits, error = await run(sim, adapter, sleep=Sleeps())
    assert error is None and answer.finish_reason == "stop" and len(waits) == 1


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_a_stalled_stream_is_detected(sim: Simulator, adapter: Adapter) -> None:
    sim.inject(Fault("stall", after_tokens=3))
    answer, _, error = await run(sim, adapter, stall_timeout_s=0.5)
    assert isinstance(error, StreamStalled) and answer.text


def _free_port() -> int:
    with socket.socket() as probe:  # free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.e2e
@pytest.mark.asyncio
@pytest.mark.parametrize("where", ["refused", "unknown host"])
async def test_an_unreachable_provider_is_a_network_error(adapter: Adapter, where: str) -> None:
    if where == "refused":
        base_url = f"http://127.0.0.1:{_free_port()}/v1"
    else:
        base_url = "https://no-such-host.invalid/v1"
    client = LLMClient(base_url, lambda: KEY, adapter=adapter, sleep=Sleeps())
    with pytest.raises(Unreachable, match="Could not reach"):
        async with client.stream(REQUEST) as events:
            async for _ in events:
                pass
    await client.aclose()


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_cancelling_mid_stream_leaves_no_connection_in_use(sim: Simulator) -> None:
    client = LLMClient(sim.base_url, lambda: KEY)
    first_text = asyncio.Event()

    async def consume() -> None:
        async with client.stream(REQUEST) as events:
            async for event in events:
                if not isinstance(event, Waiting):
                    first_text.set()

    task = asyncio.create_task(consume())
    await first_text.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert in_use(client) == 0
    await client.aclose()


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_server_rate_limit_headers_and_retries_carry_a_burst_without_a_budget() -> None:
    # No client-side budget: the provider's 429s and headers alone must get every call through.
    config = SimConfig(ttft_ms=0, tokens_per_s=0, requests_per_minute=5, rate_window_s=1.0)
    with Simulator(config) as sim:
        client = LLMClient(sim.base_url, lambda: KEY, max_retries=6)
        outcomes = await asyncio.gather(*(_complete(client) for _ in range(12)))
        await client.aclose()
    assert all(outcomes), outcomes
    assert sim.rate_limited > 0  # the server did push back, and no caller saw it


# The acceptance case: the provider allows 60 requests a window, the profile says so, and 200
# steps start at once. The budget spaces them; none fails and the provider refuses none. In real
# time (a 60 s window, ~3.5 minutes) it is marked slow, outside the default run: run it with
# `python -m pytest -m slow`. The default run plays the same case with a 6 s window (~20 s).
@pytest.mark.e2e
@pytest.mark.timeout(330)
@pytest.mark.asyncio
@pytest.mark.parametrize(
    "window_s", [pytest.param(60.0, marks=pytest.mark.slow, id="real-minute"), 6.0]
)
async def test_200_concurrent_requests_under_60_per_minute_see_no_429(window_s: float) -> None:
    config = SimConfig(ttft_ms=0, tokens_per_s=0, requests_per_minute=60, rate_window_s=window_s)
    with Simulator(config) as sim:
        limiter = RateLimiter(60, window_s=window_s)
        client = LLMClient(sim.base_url, lambda: KEY, limiter=limiter, max_retries=0)
        outcomes = await asyncio.wait_for(
            asyncio.gather(*(_complete(client) for _ in range(200))), timeout=300
        )
        await client.aclose()
        assert sim.rate_limited == 0
    assert all(outcomes)


async def _complete(client: LLMClient) -> bool:
    answer = Accumulator()
    async with client.stream(REQUEST) as events:
        async for event in events:
            answer.add(event)
    return answer.finish_reason == "stop" and bool(answer.text)
