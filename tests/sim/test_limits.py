"""Rate limits: the sliding window alone (a fake clock), then both APIs over loopback HTTP
(PROTOCOLS.md A5). HTTP tests use a 2 s window with limits of 3 and wait only on ``retry-after-ms``.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from app.sim.control import Fault, SimConfig
from app.sim.limits import RateLimiter, go_duration, retry_headers, rfc3339_after
from app.sim.server import Simulator
from tests.sim.conftest import ANTHROPIC_HEADERS, KEY, chat_body, messages_body

WINDOW = 2.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_at_most_n_requests_in_any_window() -> None:
    clock = Clock()
    limiter = RateLimiter(3, None, 10.0, clock)
    for _ in range(3):
        assert limiter.admit(0).admitted
        clock.now += 1
    refused = limiter.admit(0)
    assert not refused.admitted and refused.exceeded == "requests"
    assert refused.retry_after_s == pytest.approx(7.0)  # when the first leaves (t=10)
    assert refused.requests is not None and refused.requests.remaining == 0
    clock.now = 1009.999
    assert not limiter.admit(0).admitted  # refusals are not counted...
    clock.now = 1010.0
    admitted = limiter.admit(0)  # ...so the first leaving frees a slot right away
    assert admitted.admitted and admitted.requests is not None
    assert (admitted.requests.remaining, admitted.requests.reset_s) == (0, 10.0)


def test_token_limit_waits_for_enough_tokens_to_leave() -> None:
    clock = Clock()
    limiter = RateLimiter(None, 100, 10.0, clock)
    assert limiter.admit(30).admitted
    clock.now += 2
    assert limiter.admit(50).admitted
    clock.now += 2
    refused = limiter.admit(60)  # 80 used: 40 must leave, so both requests must
    assert (refused.admitted, refused.exceeded) == (False, "tokens")
    assert refused.retry_after_s == pytest.approx(8.0)
    assert refused.tokens is not None and refused.tokens.remaining == 20
    too_large = limiter.admit(101)
    assert not too_large.admitted and too_large.retry_after_s == 10.0


def test_refund_gives_the_budget_back() -> None:
    limiter = RateLimiter(1, 50, 10.0, Clock())
    admitted = limiter.admit(20)
    refunded = limiter.refund(admitted)
    assert refunded.requests is not None and refunded.requests.remaining == 1
    assert refunded.tokens is not None and refunded.tokens.remaining == 50
    assert limiter.admit(50).admitted


def test_the_window_is_thread_safe() -> None:
    limiter = RateLimiter(50, None, 60.0)
    results: list[bool] = []
    lock = threading.Lock()

    def hammer() -> None:
        for _ in range(20):
            admitted = limiter.admit(1).admitted
            with lock:
                results.append(admitted)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 50 and len(results) == 160


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (0.012, "12ms"),
        (0.0004, "1ms"),
        (1, "1s"),
        (2.0000000001, "2s"),
        (1.9991, "2s"),
        (8.64, "8.64s"),
        (360, "6m0s"),
        (62.5, "1m2.5s"),
        (3723.5, "1h2m3.5s"),
    ],
)
def test_go_durations(seconds: float, text: str) -> None:
    assert go_duration(seconds) == text


def test_reset_timestamps_and_retry_headers_round_up() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert rfc3339_after(2.0, now) == "2026-01-01T12:00:02Z"
    assert rfc3339_after(1.2, now) == "2026-01-01T12:00:02Z"
    assert retry_headers(1.2) == {"retry-after": "2", "retry-after-ms": "1200"}
    assert retry_headers(0.0001) == {"retry-after": "1", "retry-after-ms": "1"}


@pytest.mark.parametrize(
    "arguments",
    [{"requests_per_minute": 0}, {"tokens_per_minute": -1}, {"rate_window_s": 0}],
)
def test_bad_limits_fail_where_they_are_written(arguments: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        SimConfig(**arguments)  # type: ignore[arg-type]


@pytest.fixture
def limited() -> Iterator[Simulator]:
    config = SimConfig(ttft_ms=0, tokens_per_s=0, requests_per_minute=3, rate_window_s=WINDOW)
    with Simulator(config) as simulator:
        yield simulator


@pytest_asyncio.fixture
async def http(limited: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {KEY}", **ANTHROPIC_HEADERS}
    async with httpx.AsyncClient(base_url=limited.base_url, headers=headers, timeout=5) as client:
        yield client


async def _chat(http: httpx.AsyncClient, **extra: Any) -> httpx.Response:
    return await http.post("/chat/completions", json=chat_body(**extra))


async def _message(http: httpx.AsyncClient, **extra: Any) -> httpx.Response:
    return await http.post("/messages", json=messages_body(**extra))


async def _wait_out(response: httpx.Response) -> None:
    """Wait exactly as long as the 429 says (retry-after-ms, as the SDKs read it first).

    By the clock, not by one sleep: an event loop may fire a timer up to its clock resolution
    early (15.6 ms on Windows).
    """
    deadline = time.monotonic() + int(response.headers["retry-after-ms"]) / 1000
    while (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(left)


@pytest.mark.asyncio
async def test_openai_headers_and_the_429(limited: Simulator, http: httpx.AsyncClient) -> None:
    for remaining in (2, 1, 0):
        response = await _chat(http)
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit-requests"] == "3"
        assert response.headers["x-ratelimit-remaining-requests"] == str(remaining)
        assert response.headers["x-ratelimit-reset-requests"] == "2s"  # the window, Go-style
        assert "x-ratelimit-limit-tokens" not in response.headers
        assert "retry-after" not in response.headers
    refused = await _chat(http, stream=True)
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert (error["type"], error["code"]) == ("requests", "rate_limit_exceeded")
    assert error["message"].startswith("Rate limit reached for sim-writer")
    assert "Limit 3, Used 3, Requested 1" in error["message"]
    assert refused.headers["x-ratelimit-remaining-requests"] == "0"
    assert refused.headers["retry-after"] == "2"
    assert 0 < int(refused.headers["retry-after-ms"]) <= 2000
    assert re.fullmatch(r"\d+(\.\d+)?s|\d+ms", refused.headers["x-ratelimit-reset-requests"])
    await _wait_out(refused)
    assert (await _chat(http)).status_code == 200
    assert limited.rate_limited == 1
    assert [r.status for r in limited.recorded] == [200, 200, 200, 429, 200]


@pytest.mark.asyncio
async def test_anthropic_headers_and_the_429(limited: Simulator, http: httpx.AsyncClient) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    for remaining in (2, 1, 0):
        response = await _message(http)
        assert response.status_code == 200
        assert response.headers["anthropic-ratelimit-requests-limit"] == "3"
        assert response.headers["anthropic-ratelimit-requests-remaining"] == str(remaining)
        reset = response.headers["anthropic-ratelimit-requests-reset"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", reset)
        moment = datetime.strptime(reset, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        assert before + timedelta(seconds=WINDOW) <= moment
        assert moment <= datetime.now(UTC) + timedelta(seconds=WINDOW + 1)
    refused = await _message(http)
    assert refused.status_code == 429 and refused.headers["request-id"].startswith("req_")
    assert refused.json()["error"]["type"] == "rate_limit_error"
    assert refused.headers["anthropic-ratelimit-requests-remaining"] == "0"
    assert refused.headers["retry-after"] == "2" and int(refused.headers["retry-after-ms"]) > 0
    assert not any(name.startswith("x-ratelimit") for name in refused.headers)
    await _wait_out(refused)
    assert (await _message(http)).status_code == 200
    assert limited.rate_limited == 1


@pytest.mark.asyncio
async def test_both_apis_share_one_budget(limited: Simulator, http: httpx.AsyncClient) -> None:
    assert (await _chat(http)).status_code == 200
    assert (await _message(http, stream=True)).status_code == 200
    streamed = await _chat(http, stream=True)
    assert streamed.headers["x-ratelimit-remaining-requests"] == "0"
    assert (await _message(http)).status_code == 429
    assert (await _chat(http)).status_code == 429
    assert limited.rate_limited == 2


@pytest.mark.asyncio
async def test_a_429_does_not_consume_budget() -> None:
    config = SimConfig(ttft_ms=0, tokens_per_s=0, requests_per_minute=1, rate_window_s=1.0)
    with Simulator(config) as sim:
        headers = {"Authorization": f"Bearer {KEY}"}
        async with httpx.AsyncClient(base_url=sim.base_url, headers=headers) as http:
            # An injected rate_limit answers 429 and leaves the one slot free...
            sim.inject(Fault("rate_limit"))
            assert (await _chat(http)).status_code == 429
            first = await _chat(http)
            assert first.headers["x-ratelimit-remaining-requests"] == "0"
            # ...and so does the limiter's own 429: once the first request leaves, the next
            # one fits, although a refused request arrived after it.
            refused = await _chat(http)
            assert refused.status_code == 429
            await _wait_out(refused)
            assert (await _chat(http)).status_code == 200
        assert sim.rate_limited == 2


@pytest.mark.asyncio
async def test_token_limit_counts_prompt_and_max_tokens() -> None:
    config = SimConfig(ttft_ms=0, tokens_per_s=0, tokens_per_minute=1000, rate_window_s=WINDOW)
    with Simulator(config) as sim:
        headers = {"Authorization": f"Bearer {KEY}", **ANTHROPIC_HEADERS}
        async with httpx.AsyncClient(base_url=sim.base_url, headers=headers) as http:
            first = await _chat(http, max_tokens=400)
            cost = 1000 - int(first.headers["x-ratelimit-remaining-tokens"])
            assert 400 < cost < 500 and first.headers["x-ratelimit-limit-tokens"] == "1000"
            assert first.headers["x-ratelimit-reset-tokens"] == "2s"
            assert "x-ratelimit-limit-requests" not in first.headers
            second = await _message(http, max_tokens=400)
            remaining = int(second.headers["anthropic-ratelimit-tokens-remaining"])
            assert 1000 - 2 * cost - 10 < remaining < 1000 - 2 * cost + 10
            refused = await _chat(http, max_tokens=400)
            error = refused.json()["error"]
            assert refused.status_code == 429 and error["type"] == "tokens"
            assert "tokens per min (TPM): Limit 1000" in error["message"]
            # A smaller request still fits in what is left.
            assert (await _message(http, max_tokens=10)).status_code == 200


def test_no_limits_no_headers(sim: Simulator) -> None:
    response = httpx.post(
        f"{sim.base_url}/chat/completions",
        json=chat_body(),
        headers={"Authorization": f"Bearer {KEY}"},
    )
    assert not any("ratelimit" in name for name in response.headers)
