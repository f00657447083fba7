"""The OpenAI chat-completions wire format, as the simulator writes it.

Shapes follow PROTOCOLS.md A2 (streaming chunks, the usage chunk, ``[DONE]``, the in-band
``error`` event) and A6 (error bodies ``{"error": {message, type, param, code}}``, the context
overflow wording), so the official SDKs parse every response. JSON is written compactly, as
OpenAI does. The simulated models' names live here too; the Anthropic API answers for the same.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.responses import JSONResponse

from app.sim.control import Fault
from app.sim.limits import Admission, go_duration

# Model name → speed factor against SimConfig (flash is quicker to start and to stream).
MODELS = {"sim-flash": 2.0, "sim-planner": 1.5, "sim-reasoner": 1.0, "sim-writer": 1.0}
REASONING_MODELS = frozenset({"sim-reasoner"})
# Real providers' model names answer too, as the sim model of their kind, so the simulator can
# stand in for a configured provider (tests, benchmarks) without editing the routes. Names that
# fit no provider pattern are unknown: 404, as OpenAI answers.
_ALIASES = (
    (re.compile(r"^o\d|reason|thinking|-r1\b", re.IGNORECASE), "sim-reasoner"),
    (re.compile(r"mini|nano|flash|haiku|lite|small", re.IGNORECASE), "sim-flash"),
    (
        re.compile(r"^(?:gpt-|chatgpt-|claude-|gemini-|deepseek-|llama|mistral|qwen|grok-)", re.I),
        "sim-writer",
    ),
)
MODELS_CREATED = 1767225600  # 2026-01-01: a fixed "created" so the model list never changes
FINGERPRINT = "fp_stepwise_sim"
DONE = b"data: [DONE]\n\n"
# A chunk cut off mid-string: what a buggy gateway sends. Not valid JSON, on purpose.
MALFORMED_EVENT = b'data: {"choices": [{"delta": {"content": "oops\n\n'
MALFORMED_BODY = b'{"id": "chatcmpl-sim", "choices": [{"message": {"content": "oops'

INVALID_KEY = "Incorrect API key provided."
SERVER_ERROR = (
    "The server had an error while processing your request. Sorry about that! (simulated)"
)
CONTEXT_LIMIT = 128_000  # every simulated model's context window, in prompt tokens
# fault kind → (status, message, error type, error code)
_FAULT_ERRORS: dict[str, tuple[int, str, str, str | None]] = {
    "auth": (401, INVALID_KEY, "invalid_request_error", "invalid_api_key"),
    "rate_limit": (
        429,
        "Rate limit reached for {model} (simulated) on requests per min. Please try again in {s}s.",
        "requests",
        "rate_limit_exceeded",
    ),
    "server_error": (500, SERVER_ERROR, "server_error", None),
    "unavailable": (
        503,
        "The server is overloaded or not ready yet. (simulated)",
        "server_error",
        "service_unavailable",
    ),
    "overloaded": (529, "The server is overloaded. (simulated)", "overloaded_error", None),
    # Asked of a non-streamed request, the in-band error is the 500 it stands for (A2).
    "inband_error": (500, SERVER_ERROR, "server_error", None),
}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def sse(value: Any) -> bytes:
    """One server-sent event: a ``data:`` line and the blank line that dispatches it."""
    return f"data: {dumps(value)}\n\n".encode()


def error_response(
    status: int,
    message: str,
    error_type: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"message": message, "type": error_type, "param": param, "code": code}}
    return JSONResponse(body, status_code=status, headers=headers)


def fault_response(fault: Fault, model: str, prompt: int) -> JSONResponse:
    """The error a status fault (or a non-streamed ``inband_error``) answers with."""
    if fault.kind == "context_length":
        # Over the window by the request's own size: a plausible N that varies per request.
        return context_error(CONTEXT_LIMIT + prompt)
    status, message, error_type, code = _FAULT_ERRORS[fault.kind]
    headers = None
    if fault.kind == "rate_limit":
        headers = fault_retry_headers(fault.retry_after_s)
        message = message.format(model=model, s=headers["retry-after"])
    return error_response(status, message, error_type, code, headers=headers)


def fault_retry_headers(seconds: float) -> dict[str, str]:
    """The injected rate_limit's wait, exactly as set (a test may ask for 2.5 s)."""
    text = str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"
    # Providers send both; clients read retry-after-ms first (PROTOCOLS.md A4).
    return {"retry-after": text, "retry-after-ms": str(round(seconds * 1000))}


def context_error(tokens: int) -> JSONResponse:
    """OpenAI's context overflow, word for word (PROTOCOLS.md A6)."""
    message = (
        f"This model's maximum context length is {CONTEXT_LIMIT} tokens. However, your messages "
        f"resulted in {tokens} tokens. Please reduce the length of the messages."
    )
    return error_response(400, message, code="context_length_exceeded", param="messages")


def rate_limited(
    admission: Admission, model: str, cost: int, headers: Mapping[str, str]
) -> JSONResponse:
    """The 429 OpenAI answers when a request would go over the RPM or TPM limit."""
    name = admission.exceeded or "requests"
    budget = admission.requests if name == "requests" else admission.tokens
    unit = "requests per min (RPM)" if name == "requests" else "tokens per min (TPM)"
    limit = 0 if budget is None else budget.limit
    used = 0 if budget is None else budget.limit - budget.remaining
    wait = go_duration(admission.retry_after_s)
    message = (
        f"Rate limit reached for {model} (simulated) on {unit}: Limit {limit}, Used {used}, "
        f"Requested {1 if name == 'requests' else cost}. Please try again in {wait}."
    )
    return error_response(429, message, name, "rate_limit_exceeded", headers=headers)


def sim_model(name: str) -> str | None:
    """The simulated model that answers for ``name``, or None for an unknown model."""
    if name in MODELS:
        return name
    return next((sim for pattern, sim in _ALIASES if pattern.search(name)), None)


def model_object(name: str) -> dict[str, Any]:
    return {
        "id": name,
        "object": "model",
        "created": MODELS_CREATED,
        "owned_by": "stepwise-simulator",
    }


def models_list() -> dict[str, Any]:
    return {"object": "list", "data": [model_object(name) for name in MODELS]}


@dataclass(frozen=True)
class Usage:
    prompt: int
    completion: int  # reasoning tokens included, as OpenAI and DeepSeek count them
    reasoning: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt,
            "completion_tokens": self.completion,
            "total_tokens": self.prompt + self.completion,
            "prompt_tokens_details": {"cached_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": self.reasoning},
        }


class Chunks:
    """One completion in OpenAI's format: the ``chat.completion.chunk`` events of a stream (same
    id throughout) or the whole ``chat.completion``; a ``delivery.WireFormat``."""

    def __init__(self, model: str, include_usage: bool) -> None:
        self.id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        self.created = int(time.time())
        self.model = model
        self.include_usage = include_usage

    def _chunk(self, choices: list[dict[str, Any]]) -> dict[str, Any]:
        chunk: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "service_tier": "default",
            "system_fingerprint": FINGERPRINT,
            "choices": choices,
        }
        if self.include_usage:
            chunk["usage"] = None  # OpenAI sends the key only when usage was asked for
        return chunk

    def delta(self, delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        return sse(self._chunk([choice]))

    def role(self) -> bytes:
        return self.delta({"role": "assistant", "content": ""})

    def reasoning(self, text: str) -> bytes:
        return self.delta({"content": None, "reasoning_content": text})

    def content(self, text: str) -> bytes:
        return self.delta({"content": text})

    def finish(self, reason: str) -> bytes:
        return self.delta({}, reason)

    def usage(self, usage: Usage) -> bytes:
        chunk = self._chunk([])
        chunk["usage"] = usage.as_json()
        return sse(chunk)

    def opening(self) -> bytes:
        return self.role()

    def closing(self, finish_reason: str, usage: Usage) -> bytes:
        tail = self.finish(finish_reason)
        return tail + (self.usage(usage) if self.include_usage else b"") + DONE

    def error_event(self) -> bytes:
        # After the 200 a failure is a data event with a top-level ``error`` and no ``choices``;
        # the stream then ends without [DONE] (PROTOCOLS.md A2).
        return sse({"error": {"message": SERVER_ERROR, "type": "server_error", "code": None}})

    def malformed_event(self) -> bytes:
        return MALFORMED_EVENT

    def malformed_body(self) -> bytes:
        return MALFORMED_BODY

    def whole(self, text: str, reasoning: str | None, finish_reason: str, usage: Usage) -> bytes:
        return dumps(completion_object(self.model, text, reasoning, finish_reason, usage)).encode()


def completion_object(
    model: str, text: str, reasoning: str | None, finish_reason: str, usage: Usage
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
    if reasoning is not None:
        message["reasoning_content"] = reasoning
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}
        ],
        "usage": usage.as_json(),
        "service_tier": "default",
        "system_fingerprint": FINGERPRINT,
    }
