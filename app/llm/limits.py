"""Client-side rate limits: requests and tokens per minute, shared by every call to one provider.

Each call *reserves* a sending time before it sends, in arrival order, so concurrent calls never
wait on a lock: ``reserve`` is synchronous and returns how long to wait, and the caller sleeps
(announcing the wait) without holding anything. The budget is a sliding window: at most N requests
(and T tokens) in any window, which is at least as strict as a fixed window or a token bucket, so
it keeps us under whichever a provider uses. The provider's own ``x-ratelimit-*`` /
``anthropic-ratelimit-*`` headers correct it (PROTOCOLS.md A5): when they say nothing is left, new
calls wait for their reset; a 429's Retry-After holds every call, not just the one that failed.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

WINDOW_S = 60.0
# Our clock and the provider's disagree by the network's jitter: a call sent exactly one window
# after another may arrive a little early. A second's margin keeps us safely inside.
MARGIN_S = 1.0

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_S = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def parse_reset(value: str, now_wall: float | None = None) -> float | None:
    """Seconds until a limit resets: a Go duration (``6m0s``, ``12ms``), bare seconds, or an
    RFC 3339 time (Anthropic). None if the value is not understood."""
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    parts = _DURATION.findall(value)
    if parts and "".join(n + u for n, u in parts) == value:
        return sum(float(n) * _UNIT_S[u] for n, u in parts)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return max(moment.timestamp() - (time.time() if now_wall is None else now_wall), 0.0)


@dataclass(frozen=True)
class ServerLimits:
    """What the provider's headers say is left, and when it refills (seconds from now)."""

    remaining_requests: int | None = None
    requests_reset_s: float | None = None
    remaining_tokens: int | None = None
    tokens_reset_s: float | None = None


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(float(value))
    except ValueError:
        return None


def _reset(value: str | None) -> float | None:
    return None if value is None else parse_reset(value)


def read_headers(headers: Mapping[str, str]) -> ServerLimits | None:
    if "x-ratelimit-remaining-requests" in headers or "x-ratelimit-remaining-tokens" in headers:
        pre = "x-ratelimit-"
        return ServerLimits(
            _int(headers.get(pre + "remaining-requests")),
            _reset(headers.get(pre + "reset-requests")),
            _int(headers.get(pre + "remaining-tokens")),
            _reset(headers.get(pre + "reset-tokens")),
        )
    pre = "anthropic-ratelimit-"
    if pre + "requests-remaining" in headers or pre + "tokens-remaining" in headers:
        return ServerLimits(
            _int(headers.get(pre + "requests-remaining")),
            _reset(headers.get(pre + "requests-reset")),
            _int(headers.get(pre + "tokens-remaining")),
            _reset(headers.get(pre + "tokens-reset")),
        )
    return None


class RateLimiter:
    def __init__(
        self,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
        *,
        window_s: float = WINDOW_S,
        margin_s: float = MARGIN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.requests_per_minute = requests_per_minute
        self.tokens_per_minute = tokens_per_minute
        self._window = window_s + margin_s
        self._clock = clock
        self._sent: deque[tuple[float, int]] = deque()  # (reserved time, tokens), ascending
        self._last = float("-inf")
        self._hold_until = float("-inf")
        # From the provider's headers: what is left, counted down by our later reservations.
        self._server_requests: tuple[int, float] | None = None  # (remaining, reset time)
        self._server_tokens: tuple[int, float] | None = None

    @property
    def counts_tokens(self) -> bool:
        """Whether ``reserve`` needs a token estimate (worth a tokenizer pass)."""
        return self.tokens_per_minute is not None or self._server_tokens is not None

    def reserve(self, tokens: int = 0) -> float:
        """Book the earliest sending time the budgets allow; returns seconds to wait for it."""
        now = self._clock()
        while self._sent and self._sent[0][0] <= now - self._window:
            self._sent.popleft()
        at = max(now, self._last, self._hold_until)  # first come, first served
        at = self._server_wait(at, tokens)
        at = self._request_wait(at)
        at = self._token_wait(at, tokens)
        self._sent.append((at, tokens))
        self._last = at
        return at - now

    def _request_wait(self, at: float) -> float:
        limit = self.requests_per_minute
        if limit is None or limit < 1 or len(self._sent) < limit:
            return at
        # The limit-th most recent call must leave the window first.
        return max(at, self._sent[-limit][0] + self._window)

    def _token_wait(self, at: float, tokens: int) -> float:
        limit = self.tokens_per_minute
        if limit is None:
            return at
        in_window = [(t, n) for t, n in self._sent if t > at - self._window]
        used = sum(n for _, n in in_window)
        for sent_at, sent_tokens in in_window:
            if used + tokens <= limit:
                break
            # Wait until this call leaves the window. A call larger than the whole budget goes
            # once the window is empty: waiting longer would never make it fit.
            at = max(at, sent_at + self._window)
            used -= sent_tokens
        return at

    def _server_wait(self, at: float, tokens: int) -> float:
        if self._server_requests is not None:
            remaining, reset_at = self._server_requests
            if remaining < 1 and at < reset_at:
                at = reset_at
            self._server_requests = (remaining - 1, reset_at) if at < reset_at else None
        if self._server_tokens is not None:
            remaining, reset_at = self._server_tokens
            if remaining < tokens and at < reset_at:
                at = reset_at
            self._server_tokens = (remaining - tokens, reset_at) if at < reset_at else None
        return at

    def observe(self, headers: Mapping[str, str]) -> None:
        """Correct the budget from a response's rate-limit headers, if it has any."""
        limits = read_headers(headers)
        if limits is None:
            return
        now = self._clock()
        if limits.remaining_requests is not None and limits.requests_reset_s is not None:
            self._server_requests = (limits.remaining_requests, now + limits.requests_reset_s)
        if limits.remaining_tokens is not None and limits.tokens_reset_s is not None:
            self._server_tokens = (limits.remaining_tokens, now + limits.tokens_reset_s)

    def hold(self, seconds: float) -> None:
        """The provider said wait (a 429's Retry-After): every later call waits too."""
        self._hold_until = max(self._hold_until, self._clock() + seconds)
