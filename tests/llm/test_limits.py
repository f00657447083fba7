"""Client-side budgets with a fake clock: reservations, header corrections, holds."""

from __future__ import annotations

import pytest

from app.llm.limits import MARGIN_S, WINDOW_S, RateLimiter, ServerLimits, parse_reset, read_headers

SPAN = WINDOW_S + MARGIN_S


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("1s", 1.0),
        ("6m0s", 360.0),
        ("12ms", 0.012),
        ("1h2m3.5s", 3723.5),
        ("2m59.56s", 179.56),
        ("7.66", 7.66),
        ("0", 0.0),
    ],
)
def test_reset_durations(value: str, seconds: float) -> None:
    assert parse_reset(value) == pytest.approx(seconds)


def test_reset_as_rfc3339_time_and_garbage() -> None:
    now = 1_755_780_000.0  # 2025-08-21T12:40:00Z
    assert parse_reset("2025-08-21T12:40:59Z", now_wall=now) == pytest.approx(59.0)
    assert parse_reset("2025-08-21T12:39:00Z", now_wall=now) == 0.0  # already past
    assert parse_reset("soon") is None
    assert parse_reset("5 minutes") is None
    assert parse_reset("2025-08-21T12:40:59") is None  # no zone: ambiguous


def test_headers_of_openai_and_anthropic() -> None:
    openai = {
        "x-ratelimit-remaining-requests": "59",
        "x-ratelimit-reset-requests": "1s",
        "x-ratelimit-remaining-tokens": "149000",
        "x-ratelimit-reset-tokens": "6m0s",
    }
    assert read_headers(openai) == ServerLimits(59, 1.0, 149000, 360.0)
    anthropic = {
        "anthropic-ratelimit-requests-remaining": "0",
        "anthropic-ratelimit-requests-reset": "2999-01-01T00:00:00Z",
    }
    limits = read_headers(anthropic)
    assert limits is not None and limits.remaining_requests == 0
    assert limits.requests_reset_s is not None and limits.requests_reset_s > 0
    assert read_headers({"content-type": "text/event-stream"}) is None
    assert read_headers({"x-ratelimit-remaining-requests": "lots"}) == ServerLimits()


def test_no_budget_never_waits() -> None:
    limiter = RateLimiter(clock=Clock())
    assert [limiter.reserve(10**6) for _ in range(1000)] == [0.0] * 1000
    assert not limiter.counts_tokens


def test_requests_per_minute_allows_a_burst_then_spaces_by_the_window() -> None:
    clock = Clock()
    limiter = RateLimiter(requests_per_minute=3, clock=clock)
    waits = [limiter.reserve() for _ in range(7)]
    assert waits == [0, 0, 0, SPAN, SPAN, SPAN, 2 * SPAN]
    clock.now += SPAN  # the first burst has left the window
    assert limiter.reserve() == pytest.approx(SPAN)  # still behind the queued ones: FIFO


def test_any_window_holds_at_most_the_limit() -> None:
    clock = Clock()
    limiter = RateLimiter(requests_per_minute=60, clock=clock)
    times = []
    for step in range(200):
        clock.now = 1000.0 + step * 0.1  # callers keep arriving
        times.append(clock.now + limiter.reserve())
    for start in times:
        assert sum(1 for t in times if start <= t < start + WINDOW_S) <= 60


def test_tokens_per_minute() -> None:
    clock = Clock()
    limiter = RateLimiter(tokens_per_minute=1000, clock=clock)
    assert limiter.counts_tokens
    assert limiter.reserve(600) == 0
    assert limiter.reserve(300) == 0
    assert limiter.reserve(300) == SPAN  # 1,200 would not fit: wait for the 600 to leave
    assert limiter.reserve(5000) == 2 * SPAN  # larger than the budget: goes once the window empties


def test_server_headers_correct_the_budget() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    limiter.observe({"x-ratelimit-remaining-requests": "1", "x-ratelimit-reset-requests": "20s"})
    assert limiter.reserve() == 0  # the last one left
    assert limiter.reserve() == 20.0  # then wait for the reset
    clock.now += 30  # past the reset: the old figures no longer apply
    assert limiter.reserve() == 0


def test_server_token_headers_make_token_estimates_worthwhile() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    limiter.observe({"x-ratelimit-remaining-tokens": "500", "x-ratelimit-reset-tokens": "7s"})
    assert limiter.counts_tokens
    assert limiter.reserve(400) == 0
    assert limiter.reserve(400) == 7.0


def test_hold_delays_every_later_call() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    limiter.hold(4.0)
    assert limiter.reserve() == 4.0
    assert limiter.reserve() == 4.0
    clock.now += 5
    assert limiter.reserve() == 0
