"""The OpenAI chat-completions wire format, as the simulator writes it.

Shapes follow PROTOCOLS.md A2 (streaming chunks, the usage chunk, ``[DONE]``) and A6 (error
bodies ``{"error": {message, type, param, code}}``), so the official SDKs parse every response.
JSON is written compactly, as OpenAI does.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.responses import JSONResponse

from app.sim.control import Fault

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
# fault kind → (status, message, error type, error code)
_FAULT_ERRORS: dict[str, tuple[int, str, str, str | None]] = {
    "auth": (401, INVALID_KEY, "invalid_request_error", "invalid_api_key"),
    "rate_limit": (
        429,
        "Rate limit reached for {model} (simulated) on requests per min. Please try again in {s}s.",
        "requests",
        "rate_limit_exceeded",
    ),
    "server_error": (
        500,
        "The server had an error while processing your request. Sorry about that! (simulated)",
        "server_error",
        None,
    ),
    "unavailable": (
        503,
        "The server is overloaded or not ready yet. (simulated)",
        "server_error",
        "service_unavailable",
    ),
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
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"message": message, "type": error_type, "param": param, "code": code}}
    return JSONResponse(body, status_code=status, headers=headers)


def fault_response(fault: Fault, model: str) -> JSONResponse:
    status, message, error_type, code = _FAULT_ERRORS[fault.kind]
    headers = None
    if fault.kind == "rate_limit":
        seconds = fault.retry_after_s
        text = str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"
        # OpenAI sends both; clients read retry-after-ms first (PROTOCOLS.md A4).
        headers = {"retry-after": text, "retry-after-ms": str(round(seconds * 1000))}
        message = message.format(model=model, s=text)
    return error_response(status, message, error_type, code, headers=headers)


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
    """The ``chat.completion.chunk`` events of one streamed completion (same id throughout)."""

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
