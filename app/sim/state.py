"""What the running app shares with the server around it and with the Simulator's owner.

Requests are recorded for tests and benchmarks to inspect: ``requests`` keeps the JSON bodies of
authenticated generation requests (both APIs), ``recorded`` keeps every request to either
generation endpoint with its path, headers and the status answered, so a test can check the
``x-api-key``, ``anthropic-version`` or ``Authorization`` a client sent, including the rejected
ones. The server thread appends while a test thread reads, hence the lock.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.types import Scope

from app.sim.control import FaultQueue, SimConfig
from app.sim.limits import RateLimiter

MAX_RECORDED = 1000  # requests kept for inspection; a long demo must not grow without end


@dataclass(frozen=True)
class RecordedRequest:
    """One request to ``/v1/chat/completions`` or ``/v1/messages``, as it arrived."""

    path: str
    headers: Mapping[str, str]  # names lower-cased, as HTTP/1.1 servers see them
    body: dict[str, Any] | None  # None when the body was not a JSON object
    status: int  # the status answered; 200 for a stream, even one a fault breaks later


class SimState:
    def __init__(self, config: SimConfig, faults: FaultQueue, record: bool = True) -> None:
        self.config = config
        self.faults = faults
        self.limiter = RateLimiter(
            config.requests_per_minute, config.tokens_per_minute, config.rate_window_s
        )
        self.requests: list[dict[str, Any]] = []
        self.recorded: list[RecordedRequest] = []
        self._record = record
        self._rate_limited = 0
        self._asked: dict[str, int] = {}  # fault kind → requests that asked for it in a header
        self._lock = threading.Lock()
        # Both are replaced by the server for each run, inside its own event loop.
        self.stopping = asyncio.Event()
        self.cut: Callable[[Scope], bool] = lambda scope: False

    def record(self, body: dict[str, Any]) -> None:
        if not self._record:
            return
        with self._lock:
            self.requests.append(body)
            del self.requests[:-MAX_RECORDED]

    def answered(
        self, path: str, headers: Mapping[str, str], body: dict[str, Any] | None, status: int
    ) -> None:
        """Note a generation request and the status it got (429s are counted even unrecorded)."""
        with self._lock:
            if status == 429:
                self._rate_limited += 1
            if self._record:
                self.recorded.append(RecordedRequest(path, dict(headers), body, status))
                del self.recorded[:-MAX_RECORDED]

    def asked(self, kind: str) -> int:
        """How many earlier requests asked for a ``kind`` fault in their header; counts this one.

        A header fault lasts one request, so this is what lets ``bad_json`` asked that way
        alternate between its two kinds of invalid answer, as a queued one does.
        """
        with self._lock:
            before = self._asked.get(kind, 0)
            self._asked[kind] = before + 1
            return before

    @property
    def rate_limited(self) -> int:
        """How many 429s the generation endpoints answered (limiter and injected faults)."""
        with self._lock:
            return self._rate_limited
