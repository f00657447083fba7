"""What both APIs do with a generation request before answering it: read and note it, count it
against the rate limits (PROTOCOLS.md A5), pick the fault it meets and apply a content fault.

A request is counted first and meets a queued fault only if the limits let it through, so a
refused request never uses up a fault a test queued for a later one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, Final, NamedTuple

from starlette.requests import Request
from starlette.responses import Response

from app.sim.badjson import spoil
from app.sim.content import Completion
from app.sim.control import CONTENT_FAULTS, STATUS_FAULTS, Fault, parse_fault_header
from app.sim.limits import Admission
from app.sim.state import SimState
from app.sim.ticket import detect_step

FAULT_HEADER = "x-stepwise-fault"
NOT_JSON: Final = object()  # what read_json gives for a body that does not parse

Handler = Callable[[Request, Any], Awaitable[Response]]


async def read_json(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError:  # UnicodeDecodeError too
        return NOT_JSON


ARRIVED = "stepwise.arrived"  # the ASGI scope key holding the request's arrival (loop time)


async def handle(state: SimState, request: Request, handler: Handler) -> Response:
    """Run ``handler`` on the parsed body, then note the request and the status it got."""
    # Pacing counts from here, not from when the answer is ready: a provider's latency includes
    # its own thinking about the request (SimConfig.ttft_ms and step_ms say "from the request").
    request.scope[ARRIVED] = asyncio.get_running_loop().time()
    parsed = await read_json(request)
    response = await handler(request, parsed)
    body = parsed if isinstance(parsed, dict) else None
    state.answered(request.url.path, request.headers, body, response.status_code)
    return response


def header_fault(request: Request) -> Fault | None:
    """The fault a request asks for in ``X-Stepwise-Fault``; ValueError when it is malformed."""
    header = request.headers.get(FAULT_HEADER)
    return parse_fault_header(header) if header else None


class Decision(NamedTuple):
    admission: Admission | None  # None: no rate limit is configured
    fault: Fault | None  # None also when the limits refused the request


def decide(
    state: SimState, asked: Fault | None, messages: list[dict[str, str]], cost: int
) -> Decision:
    """Count the request (``cost`` tokens), then pick its fault: the one it asked for in its
    header, else the first queued for its step."""
    limiter = state.limiter
    admission = limiter.admit(cost) if limiter.active else None
    if admission is not None and not admission.admitted:
        return Decision(admission, None)
    if asked is not None and asked.kind in CONTENT_FAULTS:
        asked = replace(asked, served=state.asked(asked.kind))
    fault = asked or state.faults.take(detect_step(messages))
    if admission is not None and fault is not None and fault.kind == "rate_limit":
        admission = limiter.refund(admission)  # a 429 never consumes budget, injected or not
    return Decision(admission, fault)


def answers_with_status(fault: Fault, stream: bool) -> bool:
    """Whether ``fault`` is answered with an HTTP error instead of a 200.

    A non-streamed request cannot carry an in-band error event, so it gets the status error the
    event stands for (PROTOCOLS.md A3: an ``overloaded_error`` event is the streaming 529).
    """
    return fault.kind in STATUS_FAULTS or (fault.kind == "inband_error" and not stream)


def apply_content_fault(answer: Completion, fault: Fault | None) -> tuple[Completion, Fault | None]:
    """The answer as a content fault leaves it, and the fault left for the stream to apply.

    A content fault changes only the text (``bad_json``); the stream itself runs cleanly.
    """
    if fault is None or fault.kind not in CONTENT_FAULTS:
        return answer, fault
    return spoil(answer, fault.served), None
