"""Retry policy as data plus small pure functions (the official SDKs' rules, PROTOCOLS.md A4).

Retries only happen before the first byte of a stream is handed on: once text reached the agent,
the agent decides whether to retry.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping

MAX_RETRIES = 2
INITIAL_DELAY_S = 0.5
MAX_DELAY_S = 8.0
MAX_RETRY_AFTER_S = 120.0  # a server asking for a longer wait gets the error shown instead
RETRYABLE_STATUSES = frozenset({408, 409, 429})


def should_retry(status: int, headers: Mapping[str, str]) -> bool:
    forced = headers.get("x-should-retry")
    if forced in ("true", "false"):
        return forced == "true"
    return status in RETRYABLE_STATUSES or status >= 500


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms, then retry-after), or None."""
    try:
        return float(headers["retry-after-ms"]) / 1000
    except (KeyError, ValueError):
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return float(email.utils.mktime_tz(parsed)) - (time.time() if now is None else now)


def retry_delay(retries_taken: int, headers: Mapping[str, str]) -> float | None:
    """How long to wait before the next attempt; None when the server's wait is too long."""
    asked = retry_after(headers)
    if asked is not None and asked > MAX_RETRY_AFTER_S:
        return None
    if asked is not None and asked > 0:
        return asked
    backoff: float = min(INITIAL_DELAY_S * 2.0**retries_taken, MAX_DELAY_S)
    return backoff * (1 - 0.25 * random.random())
