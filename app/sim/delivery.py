"""Sending a completion: pacing, streaming, and the faults that break a stream.

``Delivery`` is a Starlette response that talks ASGI directly, because the faults need what a
normal response cannot do: stop after N tokens and cut the connection (``drop``), go quiet until
the client gives up (``stall``), or send a broken event and carry on (``malformed``). A ``Gate``
watches for the client leaving and for the server stopping, so a paced or stalled response never
outlives either.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import NamedTuple

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.sim import wire
from app.sim.control import Fault
from app.sim.wire import Usage

log = logging.getLogger("stepwise.sim")
GONE_TIMEOUT_S = 5.0  # how long to wait for the connection to report closed after we cut it


class Piece(NamedTuple):
    """One streamed delta and the tokens it counts for, which set its pace."""

    text: str
    tokens: int


@dataclass(frozen=True)
class Plan:
    """Everything about one answer, decided before the first byte is sent."""

    model: str
    reasoning: tuple[Piece, ...]  # empty for non-reasoning models
    content: tuple[Piece, ...]
    finish_reason: str  # "stop", or "length" when max_tokens cut the answer
    usage: Usage
    include_usage: bool
    fault: Fault | None  # a stream fault (drop, stall, malformed) or None
    ttft_s: float  # delay before the first reasoning or content piece
    token_s: float  # time per token after that; 0 = as fast as possible
    reasoning_model: bool

    @property
    def fault_at(self) -> int | None:
        """Index of the content piece before which the fault strikes."""
        return None if self.fault is None else min(self.fault.after_tokens, len(self.content))


class Gate:
    """Pacing for one response, cut short when the client leaves or the server stops."""

    def __init__(self, receive: Receive, stopping: asyncio.Event, plan: Plan) -> None:
        self._receive = receive
        self._stopping = stopping
        self._plan = plan
        self._halt = asyncio.Event()
        self._client_gone = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._start = 0.0

    async def __aenter__(self) -> Gate:
        self._start = asyncio.get_running_loop().time()
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

    async def pace(self, tokens_sent: int) -> bool:
        """Wait until the piece after ``tokens_sent`` tokens is due; False: end the response now."""
        due = self._start + self._plan.ttft_s + tokens_sent * self._plan.token_s
        delay = due - asyncio.get_running_loop().time()
        if delay > 0 and not self._halt.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._halt.wait()
        return not self._halt.is_set()

    async def hold(self) -> None:
        """Send nothing until the client gives up or the server stops (the ``stall`` fault)."""
        await self._halt.wait()

    @property
    def left(self) -> bool:
        """Whether the client has already closed the connection."""
        return self._client_gone.is_set()

    async def client_gone(self) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(GONE_TIMEOUT_S):
                await self._client_gone.wait()


class Delivery(Response):
    """Sends a Plan as server-sent events (``stream: true``) or as one JSON body."""

    def __init__(
        self,
        plan: Plan,
        *,
        stream: bool,
        stopping: asyncio.Event,
        cut: Callable[[Scope], bool],
    ) -> None:
        # Not Response.__init__: that would add a content-length header a stream cannot have.
        self.plan = plan
        self.stream = stream
        self.status_code = 200
        self.background = None
        self.media_type = "text/event-stream" if stream else "application/json"
        self.init_headers({"cache-control": "no-cache"} if stream else None)
        self._stopping = stopping
        self._cut = cut

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with Gate(receive, self._stopping, self.plan) as gate:
            sent = await (self._send_stream if self.stream else self._send_whole)(send, gate)
            if sent or gate.left:
                return
            # Close the socket under the open response: the client sees a truncated body (or
            # no response at all), exactly like a provider dropping the connection.
            if not self._cut(scope):
                log.warning("The simulator could not find the connection to drop")
            await gate.client_gone()

    async def _send_stream(self, send: Send, gate: Gate) -> bool:
        plan = self.plan
        chunks = wire.Chunks(plan.model, plan.include_usage)
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        await self._body(send, chunks.role())
        sent = 0  # tokens
        for thought in plan.reasoning:
            if not await gate.pace(sent):
                return False
            sent += thought.tokens
            await self._body(send, chunks.reasoning(thought.text))
        for index, piece in enumerate(plan.content):
            if index == plan.fault_at and not await self._break(send, gate):
                return False
            if not await gate.pace(sent):
                return False
            sent += piece.tokens
            await self._body(send, chunks.content(piece.text))
        # A fault set after more tokens than the answer has strikes just before the finish chunk.
        if plan.fault_at == len(plan.content) and not await self._break(send, gate):
            return False
        await self._body(send, chunks.finish(plan.finish_reason))
        if plan.include_usage:
            await self._body(send, chunks.usage(plan.usage))
        await send({"type": "http.response.body", "body": wire.DONE, "more_body": False})
        return True

    async def _break(self, send: Send, gate: Gate) -> bool:
        """Apply the plan's fault mid-stream; True to carry on (malformed), False to cut."""
        assert self.plan.fault is not None
        if self.plan.fault.kind == "malformed":
            await self._body(send, wire.MALFORMED_EVENT)
            return True
        if self.plan.fault.kind == "stall":
            await gate.hold()
        return False

    async def _send_whole(self, send: Send, gate: Gate) -> bool:
        plan, fault = self.plan, self.plan.fault
        if fault is not None and fault.kind in ("drop", "stall"):
            if fault.kind == "stall":
                await gate.hold()
            return False
        # A non-streamed answer arrives all at once, when the last piece would have streamed.
        if not await gate.pace(plan.usage.completion):
            return False
        if fault is not None:  # malformed: a body cut off mid-string
            body = wire.MALFORMED_BODY
        else:
            thinking = "".join(p.text for p in plan.reasoning) if plan.reasoning_model else None
            text = "".join(p.text for p in plan.content)
            answer = wire.completion_object(
                plan.model, text, thinking, plan.finish_reason, plan.usage
            )
            body = wire.dumps(answer).encode()
        headers = [*self.raw_headers, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
        return True

    @staticmethod
    async def _body(send: Send, data: bytes) -> None:
        await send({"type": "http.response.body", "body": data, "more_body": True})
