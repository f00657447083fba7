"""Sending a completion: pacing, streaming, and the faults that break a stream.

``Delivery`` is a Starlette response that talks ASGI directly, because the faults need what a
normal response cannot do: stop after N tokens and cut the connection (``drop``), go quiet until
the client gives up (``stall``), send a broken event and carry on (``malformed``), or report an
error in the stream and end it (``inband_error``). A ``Gate`` watches for the client leaving and
for the server stopping, so a paced or stalled response never outlives either. The bytes come
from a ``WireFormat``, so both APIs share the pacing and the faults.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Literal, Protocol

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.sim.intake import ARRIVED
from app.sim.pacing import Gate
from app.sim.plan import Plan
from app.sim.wire import Usage

log = logging.getLogger("stepwise.sim")
GONE_TIMEOUT_S = 5.0  # how long to wait for the connection to report closed after we cut it


class WireFormat(Protocol):
    """How one provider writes an answer: ``wire.Chunks`` (OpenAI, PROTOCOLS.md A2) or
    ``wire_anthropic.Events`` (Anthropic, A3). Stateful: one instance per response."""

    def opening(self) -> bytes: ...  # the events before the first delta

    def reasoning(self, text: str) -> bytes: ...

    def content(self, text: str) -> bytes: ...

    def closing(self, finish_reason: str, usage: Usage) -> bytes: ...  # to the end of the stream

    def error_event(self) -> bytes: ...  # the in-band error after which the stream ends

    def malformed_event(self) -> bytes: ...

    def malformed_body(self) -> bytes: ...

    def whole(
        self, text: str, reasoning: str | None, finish_reason: str, usage: Usage
    ) -> bytes: ...


# What a stream fault leaves of the stream: it carries on (malformed), it ended with an in-band
# error, or the connection must be cut (drop, stall).
_Outcome = Literal["go on", "ended", "cut"]


class Delivery(Response):
    """Sends a Plan as server-sent events (``stream: true``) or as one JSON body."""

    def __init__(
        self,
        plan: Plan,
        wire: WireFormat,
        *,
        stream: bool,
        stopping: asyncio.Event,
        cut: Callable[[Scope], bool],
        headers: Mapping[str, str] | None = None,
    ) -> None:
        # Not Response.__init__: that would add a content-length header a stream cannot have.
        self.plan = plan
        self.wire = wire
        self.stream = stream
        self.status_code = 200
        self.background = None
        self.media_type = "text/event-stream" if stream else "application/json"
        self.init_headers({**({"cache-control": "no-cache"} if stream else {}), **(headers or {})})
        self._stopping = stopping
        self._cut = cut

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with Gate(receive, self._stopping, self.plan, scope.get(ARRIVED)) as gate:
            sent = await (self._send_stream if self.stream else self._send_whole)(send, gate)
            if sent or gate.left:
                return
            # Close the socket under the open response: the client sees a truncated body (or
            # no response at all), exactly like a provider dropping the connection.
            if not self._cut(scope):
                log.warning("The simulator could not find the connection to drop")
            await gate.client_gone(GONE_TIMEOUT_S)

    async def _send_stream(self, send: Send, gate: Gate) -> bool:
        """Stream the plan; False when the connection must be cut (a fault, or a halt)."""
        plan, wire = self.plan, self.wire
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        await self._body(send, wire.opening())
        sent = 0  # tokens
        for index, thought in enumerate(plan.reasoning):
            if not await gate.pace(index, sent):
                return False
            sent += thought.tokens
            await self._body(send, wire.reasoning(thought.text))
        offset = len(plan.reasoning)
        for index, piece in enumerate(plan.content):
            if (outcome := await self._strike(index, send, gate)) != "go on":
                return outcome == "ended"
            if not await gate.pace(offset + index, sent):
                return False
            sent += piece.tokens
            await self._body(send, wire.content(piece.text))
        # A fault set after more tokens than the answer has strikes just before the finish.
        if (outcome := await self._strike(len(plan.content), send, gate)) != "go on":
            return outcome == "ended"
        if not await gate.finish(sent):
            return False
        closing = wire.closing(plan.finish_reason, plan.usage)
        await send({"type": "http.response.body", "body": closing, "more_body": False})
        return True

    async def _strike(self, index: int, send: Send, gate: Gate) -> _Outcome:
        """Apply the plan's stream fault if it strikes before content piece ``index``."""
        if self.plan.fault is None or index != self.plan.fault_at:
            return "go on"
        kind = self.plan.fault.kind
        if kind == "malformed":
            await self._body(send, self.wire.malformed_event())
            return "go on"
        if kind == "inband_error":
            # The provider reports the failure in the stream, then ends the response cleanly:
            # no [DONE], no message_stop (PROTOCOLS.md A2, A3).
            error = self.wire.error_event()
            await send({"type": "http.response.body", "body": error, "more_body": False})
            return "ended"
        if kind == "stall":
            await gate.hold()
        return "cut"

    async def _send_whole(self, send: Send, gate: Gate) -> bool:
        plan, fault = self.plan, self.plan.fault
        if fault is not None and fault.kind in ("drop", "stall"):
            if fault.kind == "stall":
                await gate.hold()
            return False
        # A non-streamed answer arrives all at once, when the last piece would have streamed (or
        # at the end of its scripted duration).
        if not await gate.pace(plan.piece_count, plan.usage.completion):
            return False
        if fault is not None and fault.kind == "malformed":  # a body cut off mid-string
            body = self.wire.malformed_body()
        else:
            thinking = "".join(p.text for p in plan.reasoning) if plan.reasoning_model else None
            text = "".join(p.text for p in plan.content)
            body = self.wire.whole(text, thinking, plan.finish_reason, plan.usage)
        headers = [*self.raw_headers, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
        return True

    @staticmethod
    async def _body(send: Send, data: bytes) -> None:
        await send({"type": "http.response.body", "body": data, "more_body": True})
