"""When each piece of an answer is due, and the ``Gate`` that waits for it.

Two schedules. By default the pace is the model's: ``ttft_s`` before the first piece, then
``token_s`` per token, and the closing bytes right after the last piece. With a scripted
duration (``SimConfig.step_ms``, for benchmarks) the response takes exactly that long from start
to last byte whatever its length: the first piece after ``FIRST_SHARE`` of it, and the remaining
pieces and the closing bytes evenly spread over the rest, the closing bytes at the very end.

The Gate also watches for the client leaving and for the server stopping, so a paced or stalled
response never outlives either.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType

from starlette.types import Receive

from app.sim.plan import Plan

FIRST_SHARE = 0.2  # scripted: the first piece comes after this share of the duration


def due_s(plan: Plan, index: int, tokens_sent: int) -> float:
    """Seconds from the start at which piece ``index`` is due, ``tokens_sent`` tokens in.

    ``index == plan.piece_count`` is the closing bytes (or a non-streamed body).
    """
    if plan.scripted_s is None:
        return plan.ttft_s + tokens_sent * plan.token_s
    steps = max(plan.piece_count, 1)
    return plan.scripted_s * (FIRST_SHARE + (1 - FIRST_SHARE) * min(index, steps) / steps)


class Gate:
    """Pacing for one response, cut short when the client leaves or the server stops."""

    def __init__(
        self,
        receive: Receive,
        stopping: asyncio.Event,
        plan: Plan,
        arrived: float | None = None,
    ) -> None:
        self._receive = receive
        self._stopping = stopping
        self._plan = plan
        self._halt = asyncio.Event()
        self._client_gone = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._arrived = arrived  # the request's arrival (loop time); None: from now
        self._start = 0.0

    async def __aenter__(self) -> Gate:
        now = asyncio.get_running_loop().time()
        self._start = now if self._arrived is None else self._arrived
        self._tasks = [
            asyncio.create_task(self._watch_client()),
            asyncio.create_task(self._watch_server()),
        ]
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _watch_client(self) -> None:
        # Once the request body is read, the next ASGI message can only be the disconnect.
        while (await self._receive())["type"] != "http.disconnect":
            pass
        self._client_gone.set()
        self._halt.set()

    async def _watch_server(self) -> None:
        await self._stopping.wait()
        self._halt.set()

    async def pace(self, index: int, tokens_sent: int) -> bool:
        """Wait until piece ``index`` (after ``tokens_sent`` tokens) is due; False: end now."""
        due = self._start + due_s(self._plan, index, tokens_sent)
        delay = due - asyncio.get_running_loop().time()
        if delay > 0 and not self._halt.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._halt.wait()
        return not self._halt.is_set()

    async def finish(self, tokens_sent: int) -> bool:
        """Wait until the closing bytes are due; False: end now. Unscripted, they follow the
        last piece at once, as they always have."""
        if self._plan.scripted_s is None:
            return True
        return await self.pace(self._plan.piece_count, tokens_sent)

    async def hold(self) -> None:
        """Send nothing until the client gives up or the server stops (the ``stall`` fault)."""
        await self._halt.wait()

    @property
    def left(self) -> bool:
        """Whether the client has already closed the connection."""
        return self._client_gone.is_set()

    async def client_gone(self, timeout_s: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                await self._client_gone.wait()
