"""The Anthropic Messages wire format, as the simulator writes it (PROTOCOLS.md A3).

Every SSE event has an ``event:`` line naming it and a ``data:`` line whose ``type`` repeats that
name. A stream runs ``message_start``, ``ping``, a ``thinking`` block (reasoning models only), a
``text`` block, ``message_delta`` (stop reason, cumulative output tokens) and ``message_stop``;
more ``ping`` keep-alives come every few deltas, for clients to skip. Errors have
Anthropic's body ``{"type": "error", "error": {"type", "message"}}`` and the status each type
stands for. JSON is compact, as Anthropic writes it.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

from starlette.responses import JSONResponse

from app.sim.control import Fault
from app.sim.limits import Admission
from app.sim.wire import Usage, dumps, fault_retry_headers

CONTEXT_LIMIT = 200_000  # every simulated model's context window, in prompt tokens
PING_EVERY = 16  # deltas between keep-alive pings (real pings follow the clock; these repeat)
STOP_REASONS = {"stop": "end_turn", "length": "max_tokens"}
ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "overloaded_error": 529,
}
# fault kind → (error type, message); the status follows from the type.
_FAULT_ERRORS = {
    "auth": ("authentication_error", "invalid x-api-key"),
    "rate_limit": (
        "rate_limit_error",
        "Number of requests has exceeded your rate limit (simulated). Please try again in {s}s.",
    ),
    "server_error": ("api_error", "Internal server error (simulated)"),
    "unavailable": ("overloaded_error", "Overloaded (simulated)"),
    "overloaded": ("overloaded_error", "Overloaded (simulated)"),
    # Asked of a non-streamed request, the in-band error is the 529 it stands for (A3).
    "inband_error": ("overloaded_error", "Overloaded"),
}
_OVERLOADED_EVENT = {
    "type": "error",
    "error": {"type": "overloaded_error", "message": "Overloaded"},
}
MALFORMED_EVENT = (
    b'event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, '
    b'"delta": {"type": "text_delta", "text": "oops\n\n'
)
MALFORMED_BODY = b'{"id": "msg_sim", "type": "message", "content": [{"type": "text", "text": "oops'


def request_id() -> str:
    return f"req_sim{uuid.uuid4().hex[:20]}"


def error_response(
    error_type: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = {"type": "error", "error": {"type": error_type, "message": message}}
    return JSONResponse(body, status_code=ERROR_STATUS[error_type], headers=headers)


def invalid_request(message: str) -> JSONResponse:
    return error_response("invalid_request_error", message)


def context_error(tokens: int) -> JSONResponse:
    """Anthropic's context overflow wording (PROTOCOLS.md A6)."""
    return invalid_request(f"prompt is too long: {tokens} tokens > {CONTEXT_LIMIT} maximum")


def fault_response(fault: Fault, prompt: int) -> JSONResponse:
    """The error a status fault (or a non-streamed ``inband_error``) answers with."""
    if fault.kind == "context_length":
        return context_error(CONTEXT_LIMIT + prompt)  # over the window by the request's size
    error_type, message = _FAULT_ERRORS[fault.kind]
    if fault.kind != "rate_limit":
        return error_response(error_type, message)
    headers = fault_retry_headers(fault.retry_after_s)
    return error_response(error_type, message.format(s=headers["retry-after"]), headers)


def rate_limited(admission: Admission, headers: Mapping[str, str]) -> JSONResponse:
    """The 429 Anthropic answers when a request would go over a limit."""
    name = admission.exceeded or "requests"
    budget = admission.requests if name == "requests" else admission.tokens
    limit = 0 if budget is None else budget.limit
    message = (
        f"This request would exceed your organization's rate limit of {limit} {name} per "
        "minute (simulated). For details, refer to: https://docs.claude.com/en/api/rate-limits."
    )
    return error_response("rate_limit_error", message, headers)


def signature(thinking: str) -> str:
    """An opaque, stable stand-in for the signature that vouches for a thinking block."""
    return base64.b64encode(hashlib.sha256(f"stepwise-sim:{thinking}".encode()).digest()).decode()


def event(data: dict[str, Any]) -> bytes:
    return f"event: {data['type']}\ndata: {dumps(data)}\n\n".encode()


PING = event({"type": "ping"})


def _stop_reason(finish_reason: str) -> str:
    return STOP_REASONS.get(finish_reason, finish_reason)


class Events:
    """One message in Anthropic's format: the events of a stream or the whole Message object;
    a ``delivery.WireFormat``. Content blocks open and close as the deltas change kind."""

    def __init__(self, model: str, prompt: int) -> None:
        self.id = f"msg_sim{uuid.uuid4().hex[:20]}"
        self.model = model
        self.prompt = prompt
        self._block: str | None = None  # "thinking" or "text" while a block is open
        self._index = -1
        self._deltas = 0
        self._thinking: list[str] = []

    def _message(self, content: list[dict[str, Any]], stop: str | None, out: int) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "message",
            "role": "assistant",
            "model": self.model,
            "content": content,
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": {
                "input_tokens": self.prompt,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
                "output_tokens": out,
            },
        }

    def opening(self) -> bytes:
        # Anthropic reports one output token already in message_start; the final count comes in
        # message_delta and replaces it (the counts are cumulative).
        return event({"type": "message_start", "message": self._message([], None, 1)}) + PING

    def reasoning(self, text: str) -> bytes:
        self._thinking.append(text)
        return self._delta("thinking", {"type": "thinking_delta", "thinking": text})

    def content(self, text: str) -> bytes:
        return self._delta("text", {"type": "text_delta", "text": text})

    def closing(self, finish_reason: str, usage: Usage) -> bytes:
        stop = {"stop_reason": _stop_reason(finish_reason), "stop_sequence": None}
        final = {
            "type": "message_delta",
            "delta": stop,
            "usage": {"output_tokens": usage.completion},
        }
        return self._close_block() + event(final) + event({"type": "message_stop"})

    def error_event(self) -> bytes:
        return event(_OVERLOADED_EVENT)

    def malformed_event(self) -> bytes:
        return MALFORMED_EVENT

    def malformed_body(self) -> bytes:
        return MALFORMED_BODY

    def whole(self, text: str, reasoning: str | None, finish_reason: str, usage: Usage) -> bytes:
        blocks: list[dict[str, Any]] = []
        if reasoning:
            blocks.append(
                {"type": "thinking", "thinking": reasoning, "signature": signature(reasoning)}
            )
        if text or not blocks:
            blocks.append({"type": "text", "text": text})
        message = self._message(blocks, _stop_reason(finish_reason), usage.completion)
        return dumps(message).encode()

    def _delta(self, block: str, delta: dict[str, Any]) -> bytes:
        opened = self._open_block(block)
        self._deltas += 1
        ping = PING if self._deltas % PING_EVERY == 0 else b""
        data = {"type": "content_block_delta", "index": self._index, "delta": delta}
        return opened + ping + event(data)

    def _open_block(self, block: str) -> bytes:
        if self._block == block:
            return b""
        closed = self._close_block()
        self._block, self._index = block, self._index + 1
        start: dict[str, Any] = {"type": "text", "text": ""}
        if block == "thinking":
            start = {"type": "thinking", "thinking": "", "signature": ""}
        return closed + event(
            {"type": "content_block_start", "index": self._index, "content_block": start}
        )

    def _close_block(self) -> bytes:
        if self._block is None:
            return b""
        signed = b""
        if self._block == "thinking":
            # The signature comes once, just before the thinking block's stop (A3).
            sig = {"type": "signature_delta", "signature": signature("".join(self._thinking))}
            signed = event({"type": "content_block_delta", "index": self._index, "delta": sig})
        self._block = None
        return signed + event({"type": "content_block_stop", "index": self._index})
