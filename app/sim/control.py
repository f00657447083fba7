"""What the operator of the simulator controls: pacing, and faults injected into later requests.

Faults come from two places: a thread-safe queue filled by the process that owns the simulator
(tests, the demo's "break something" menu), and the ``X-Stepwise-Fault`` request header, so a client
in another process can ask for one itself: ``X-Stepwise-Fault: drop; after=5``.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field, replace

STEPS = ("intent", "retrieval", "reasoning", "reply")
# Faults answered with an HTTP error status before any byte of a completion is sent.
STATUS_FAULTS = frozenset(
    {"rate_limit", "server_error", "unavailable", "auth", "overloaded", "context_length"}
)
# Faults that break a stream after ``after_tokens`` content tokens. ``inband_error`` is the error
# event a provider sends after its 200 (PROTOCOLS.md A2, A3); asked of a non-streamed request it
# becomes the status error that event stands for.
STREAM_FAULTS = frozenset({"drop", "stall", "malformed", "inband_error"})
# Faults in what the answer says, streamed normally with a clean finish: ``bad_json`` makes a JSON
# answer invalid per the step's prompt (``badjson.py``), so a client's repair path can be tested.
CONTENT_FAULTS = frozenset({"bad_json"})
FAULT_KINDS = STATUS_FAULTS | STREAM_FAULTS | CONTENT_FAULTS


@dataclass
class SimConfig:
    ttft_ms: float = 250.0  # delay before the first content token
    tokens_per_s: float = 120.0  # streaming rate; <= 0 means as fast as possible
    api_key: str | None = "sim-key"  # required bearer / x-api-key; None accepts any request
    # Provider-style rate limits over a sliding window, shared by both APIs (PROTOCOLS.md A5).
    # None: unlimited, and no rate-limit headers are sent. Read once, when the server state is
    # made (unlike the pacing, which each request reads).
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None  # prompt tokens + max_tokens, counted at arrival
    rate_window_s: float = 60.0  # the "minute"; tests shorten it
    # Scripted latencies for benchmarks: step → milliseconds from request to last byte, whatever
    # the answer's length (the first delta after 20% of it, the rest evenly spread; ``pacing``).
    # Steps not listed keep the ttft_ms / tokens_per_s pacing.
    step_ms: dict[str, float] | None = None

    def __post_init__(self) -> None:
        limits = (self.requests_per_minute, self.tokens_per_minute)
        if any(limit is not None and limit < 1 for limit in limits) or self.rate_window_s <= 0:
            raise ValueError("rate limits must be >= 1 (or None) and rate_window_s > 0")
        for step, ms in (self.step_ms or {}).items():
            if step not in STEPS:
                raise ValueError(f"unknown step {step!r} in step_ms; expected one of {STEPS}")
            number = isinstance(ms, int | float) and not isinstance(ms, bool)
            if not (number and math.isfinite(ms) and ms >= 0):
                raise ValueError(f"step_ms[{step!r}] must be a finite number >= 0")

    def scripted_ms(self, step: str | None) -> float | None:
        """The scripted duration of a response for ``step``, or None to pace it by tokens."""
        return None if step is None or not self.step_ms else self.step_ms.get(step)


@dataclass(frozen=True)
class Fault:
    kind: str  # one of FAULT_KINDS
    after_tokens: int = 3  # stream faults: content tokens sent before the fault
    retry_after_s: float = 1.0  # rate_limit: the Retry-After header value (seconds)
    step: str | None = None  # only requests detected as this step consume the fault
    count: int = 1  # how many matching requests it applies to
    # How many requests met this fault before the current one; the server sets it (``bad_json``
    # alternates its two kinds of invalid answer on it).
    served: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        # Fail where the fault is written, not later inside the server thread.
        if self.kind not in FAULT_KINDS:
            raise ValueError(
                f"unknown fault kind {self.kind!r}; expected one of {sorted(FAULT_KINDS)}"
            )
        if self.step is not None and self.step not in STEPS:
            raise ValueError(f"unknown step {self.step!r}; expected one of {STEPS}")
        if self.count < 1 or self.after_tokens < 0 or self.retry_after_s < 0 or self.served < 0:
            raise ValueError("count must be >= 1, after_tokens, retry_after_s and served >= 0")


class FaultQueue:
    """Faults waiting for a matching request; filled from any thread, drained by the server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[tuple[Fault, int]] = []  # (fault, requests it still applies to)

    def put(self, fault: Fault) -> None:
        with self._lock:
            self._pending.append((fault, fault.count))

    def take(self, step: str | None) -> Fault | None:
        """The first fault meant for ``step`` (or for any step), counting one use of it."""
        with self._lock:
            for index, (fault, left) in enumerate(self._pending):
                if fault.step is None or fault.step == step:
                    if left > 1:
                        self._pending[index] = (fault, left - 1)
                    else:
                        del self._pending[index]
                    return replace(fault, served=fault.count - left)
        return None

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)


def parse_fault_header(value: str) -> Fault:
    """``"drop; after=5"`` or ``"rate_limit; retry_after=0.5"`` → a Fault. Raises ValueError."""
    kind, *params = (part.strip() for part in value.split(";"))
    fault = Fault(kind.lower())
    for param in filter(None, params):
        name, _, raw = param.partition("=")
        name = name.strip().lower().replace("-", "_")
        if name in ("after", "after_tokens"):
            fault = replace(fault, after_tokens=int(raw))
        elif name in ("retry_after", "retry_after_s"):
            fault = replace(fault, retry_after_s=float(raw))
        else:
            raise ValueError(f"unknown fault parameter {name!r}")
    return fault
