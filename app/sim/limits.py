"""Provider-style rate limits: a sliding window of requests and tokens (PROTOCOLS.md A5).

A request counts when it arrives, as OpenAI and Cerebras count it: one request, and its prompt
tokens plus ``max_tokens`` against the token limit. At most N requests (or tokens) fall in any
window of ``rate_window_s``. A request over either limit is refused with a 429 and is *not*
counted, so a client that waits ``retry-after`` gets through. One limiter serves both APIs, like
one organisation's quota used through two SDKs.

Each API reports the budget in its provider's own headers: OpenAI's ``x-ratelimit-*`` with
Go-style durations, Anthropic's ``anthropic-ratelimit-*`` with RFC 3339 timestamps. Every time
a client reads is rounded *up*, so waiting that long always finds the budget back.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

LIMITS = ("requests", "tokens")


@dataclass(frozen=True)
class Budget:
    """One limit as the headers report it, once the request was counted (or refused)."""

    limit: int
    remaining: int
    reset_s: float  # until every counted request has left the window: the budget is whole again


@dataclass(frozen=True)
class Admission:
    admitted: bool
    requests: Budget | None  # None: no such limit configured
    tokens: Budget | None
    retry_after_s: float = 0.0  # refused: until enough of the window has drained
    exceeded: str | None = None  # refused: "requests" or "tokens"
    counted: tuple[float, int] | None = None  # admitted: its entry in the window, for refund()


class RateLimiter:
    """The sliding window. ``admit`` runs on the server's loop; the lock is for other readers."""

    def __init__(
        self,
        requests: int | None,
        tokens: int | None,
        window_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max_requests = requests
        self._max_tokens = tokens
        self._window = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._counted: deque[tuple[float, int]] = deque()  # (arrival, tokens), oldest first

    @property
    def active(self) -> bool:
        return self._max_requests is not None or self._max_tokens is not None

    def admit(self, tokens: int) -> Admission:
        """Count a request costing ``tokens`` if both limits allow it now; refused ones aren't."""
        with self._lock:
            now = self._clock()
            while self._counted and self._counted[0][0] <= now - self._window:
                self._counted.popleft()
            wait, exceeded = self._wait(now, tokens)
            counted = (now, tokens) if exceeded is None else None
            if counted is not None:
                self._counted.append(counted)
            requests, token_budget = self._budgets(now)
            return Admission(exceeded is None, requests, token_budget, wait, exceeded, counted)

    def refund(self, admission: Admission) -> Admission:
        """Uncount an admitted request answered with a 429 after all (an injected rate_limit):
        a 429 never consumes budget. Returns the budgets as they are now."""
        with self._lock:
            if admission.counted is not None:
                with contextlib.suppress(ValueError):  # already left the window
                    self._counted.remove(admission.counted)
            return Admission(True, *self._budgets(self._clock()))

    def _wait(self, now: float, cost: int) -> tuple[float, str | None]:
        if self._max_requests is not None and len(self._counted) >= self._max_requests:
            # The oldest request leaving the window frees the one slot this request needs.
            return self._counted[0][0] + self._window - now, "requests"
        if self._max_tokens is not None:
            excess = sum(t for _, t in self._counted) + cost - self._max_tokens
            if excess > 0:
                return self._token_wait(now, excess), "tokens"
        return 0.0, None

    def _token_wait(self, now: float, excess: int) -> float:
        freed = 0
        for arrival, tokens in self._counted:
            freed += tokens
            if freed >= excess:
                return arrival + self._window - now
        return self._window  # the request alone is over the limit: no wait makes it fit

    def _budgets(self, now: float) -> tuple[Budget | None, Budget | None]:
        reset = self._counted[-1][0] + self._window - now if self._counted else 0.0
        requests = tokens = None
        if self._max_requests is not None:
            requests = Budget(self._max_requests, self._max_requests - len(self._counted), reset)
        if self._max_tokens is not None:
            left = self._max_tokens - sum(t for _, t in self._counted)
            tokens = Budget(self._max_tokens, max(left, 0), reset)
        return requests, tokens


def _ms(seconds: float) -> int:
    # Round away float noise first (2.0 s must stay 2000 ms), then up to a whole millisecond.
    return max(math.ceil(round(seconds * 1000, 3)), 0)


def go_duration(seconds: float) -> str:
    """``12ms``, ``1s``, ``6m0s``, ``1m2.5s``: Go's Duration.String, as OpenAI writes resets."""
    ms = _ms(seconds)
    if ms == 0:
        return "0s"
    if ms < 1000:
        return f"{ms}ms"
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs = f"{rest / 1000:.3f}".rstrip("0").rstrip(".")
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    return f"{minutes}m{secs}s" if minutes else f"{secs}s"


def rfc3339_after(seconds: float, now: datetime | None = None) -> str:
    """The UTC moment ``seconds`` from now, to the whole second as Anthropic writes it."""
    moment = (now or datetime.now(UTC)) + timedelta(seconds=seconds)
    if moment.microsecond:
        moment = moment.replace(microsecond=0) + timedelta(seconds=1)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def retry_headers(seconds: float) -> dict[str, str]:
    """``retry-after`` in whole seconds, and the ms that SDKs read first (PROTOCOLS.md A4)."""
    ms = max(_ms(seconds), 1)
    return {"retry-after": str(math.ceil(ms / 1000)), "retry-after-ms": str(ms)}


def openai_headers(admission: Admission | None) -> dict[str, str]:
    """OpenAI's ``x-ratelimit-*`` trios, and the retry headers when refused."""
    return _headers(admission, lambda name, part: f"x-ratelimit-{part}-{name}", go_duration)


def anthropic_headers(admission: Admission | None) -> dict[str, str]:
    """Anthropic's ``anthropic-ratelimit-*`` trios, and the retry headers when refused."""
    return _headers(
        admission, lambda name, part: f"anthropic-ratelimit-{name}-{part}", rfc3339_after
    )


def _headers(
    admission: Admission | None,
    header: Callable[[str, str], str],
    reset: Callable[[float], str],
) -> dict[str, str]:
    if admission is None:  # no limits configured: providers without limits send none
        return {}
    headers: dict[str, str] = {}
    for name, budget in zip(LIMITS, (admission.requests, admission.tokens), strict=True):
        if budget is not None:
            headers[header(name, "limit")] = str(budget.limit)
            headers[header(name, "remaining")] = str(budget.remaining)
            headers[header(name, "reset")] = reset(budget.reset_s)
    return headers if admission.admitted else {**headers, **retry_headers(admission.retry_after_s)}
