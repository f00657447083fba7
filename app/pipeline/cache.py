"""Step outputs reused for the same ticket and configuration within a few minutes.

An agent who reopens a ticket, or presses Draft twice, should not pay for the same four calls
again. The key covers everything that shapes the answer: the normalised ticket text, the step, its
prompt, its route (model, temperature, max tokens, provider) and the inputs it was given. A cached
step is marked as such in its panel and in the run record; the agent can bypass the cache.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

import orjson

DEFAULT_TTL_S = 300.0


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def cache_key(*parts: Any) -> str:
    blob = orjson.dumps(parts, default=str, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return hashlib.sha256(blob).hexdigest()


class StepCache:
    def __init__(
        self, ttl_s: float = DEFAULT_TTL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._entries: dict[str, tuple[float, dict[str, Any]]] = {}

    def get(self, key: str) -> dict[str, Any] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] < self._clock():
            del self._entries[key]
            return None
        return entry[1]

    def put(self, key: str, value: dict[str, Any]) -> None:
        now = self._clock()
        self._entries = {k: e for k, e in self._entries.items() if e[0] >= now}  # drop the stale
        self._entries[key] = (now + self.ttl_s, value)
