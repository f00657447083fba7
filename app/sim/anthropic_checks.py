"""The body checks of Anthropic's Messages API: the 400s (and the 404) a request can earn.

Messages name the field the way Anthropic's validation errors do (``max_tokens: Field
required``, ``messages.0.role: ...``). Unknown fields are accepted, as the API accepts fields it
added after our client was written. Under ``anthropic-version`` 2026-10-21 the sampling
parameters are gone (PROTOCOLS.md A3), so sending one is a 400 there and fine before. Extended
thinking has rules of its own (budget, ``max_tokens``, temperature) that a client must keep.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeGuard

from starlette.responses import JSONResponse

from app.sim import wire
from app.sim.wire_anthropic import error_response, invalid_request

SAMPLING_REMOVED_IN = "2026-10-21"
SAMPLING = ("temperature", "top_p", "top_k")
ROLES = ("user", "assistant")
MIN_THINKING_BUDGET = 1024
_SYSTEM_ROLE = (
    'messages: Unexpected role "system". The Messages API accepts a top-level `system` '
    'parameter, not "system" as an input message role.'
)


def invalid(body: dict[str, Any], version: str) -> JSONResponse | None:
    """The error Anthropic answers for a request it cannot run, or None."""
    checks: tuple[Callable[[dict[str, Any]], str | None], ...] = (
        _model,
        _max_tokens,
        _messages,
        _system,
        lambda b: _sampling(b, version),
        _thinking,
        _stream,
    )
    for check in checks:
        problem = check(body)
        if problem is not None:
            return invalid_request(problem)
    model = body["model"]
    return None if wire.sim_model(model) else error_response("not_found_error", f"model: {model}")


def _model(body: dict[str, Any]) -> str | None:
    model = body.get("model")
    if model is None:
        return "model: Field required"
    return None if isinstance(model, str) and model else "model: Input should be a valid string"


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _max_tokens(body: dict[str, Any]) -> str | None:
    value = body.get("max_tokens")
    if value is None:
        return "max_tokens: Field required"
    if not _is_int(value):
        return "max_tokens: Input should be a valid integer"
    return None if value >= 1 else "max_tokens: Input should be greater than or equal to 1"


def _messages(body: dict[str, Any]) -> str | None:
    messages = body.get("messages")
    if messages is None:
        return "messages: Field required"
    if not isinstance(messages, list):
        return "messages: Input should be a valid list"
    if not messages:
        return "messages: at least one message is required"
    return next(filter(None, (_message(i, m) for i, m in enumerate(messages))), None)


def _message(index: int, message: Any) -> str | None:
    where = f"messages.{index}"
    if not isinstance(message, dict):
        return f"{where}: Input should be a valid dictionary"
    if message.get("role") == "system":
        return _SYSTEM_ROLE
    if message.get("role") not in ROLES:
        return f"{where}.role: Input should be 'user' or 'assistant'"
    content = message.get("content")
    if content is None:
        return f"{where}.content: Field required"
    if isinstance(content, str) or _blocks(content, text_only=False):
        return None
    return f"{where}.content: Input should be a valid string or a list of content blocks"


def _blocks(value: Any, *, text_only: bool) -> bool:
    """A list of typed content blocks (only ``text`` ones if ``text_only``), text as strings."""

    def fits(block: Any) -> bool:
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            return False
        if block["type"] == "text":
            return isinstance(block.get("text"), str)
        return not text_only

    return isinstance(value, list) and all(fits(block) for block in value)


def _system(body: dict[str, Any]) -> str | None:
    system = body.get("system")
    if system is None or isinstance(system, str) or _blocks(system, text_only=True):
        return None
    return "system: Input should be a valid string or a list of text blocks"


def _sampling(body: dict[str, Any], version: str) -> str | None:
    if version >= SAMPLING_REMOVED_IN:  # ISO dates compare as strings
        sent = next((name for name in SAMPLING if name in body), None)
        if sent is not None:
            return f"{sent}: Extra inputs are not permitted (removed in {SAMPLING_REMOVED_IN})"
    temperature = body.get("temperature")
    if temperature is None:
        return None
    if not isinstance(temperature, int | float) or isinstance(temperature, bool):
        return "temperature: Input should be a valid number"
    return None if 0 <= temperature <= 1 else "temperature: Input should be between 0 and 1"


def _thinking(body: dict[str, Any]) -> str | None:
    """Extended thinking's own rules: a budget of at least 1024 tokens, below ``max_tokens``,
    and no temperature other than 1 beside it."""
    thinking = body.get("thinking")
    if not isinstance(thinking, dict) or thinking.get("type") != "enabled":
        return None
    budget = thinking.get("budget_tokens")
    if not _is_int(budget) or budget < MIN_THINKING_BUDGET:
        return f"thinking.enabled.budget_tokens: Input should be >= {MIN_THINKING_BUDGET}"
    if budget >= body["max_tokens"]:
        return "`max_tokens` must be greater than `thinking.budget_tokens`"
    if body.get("temperature", 1) != 1:
        return "`temperature` may only be set to 1 when thinking is enabled"
    return None


def _stream(body: dict[str, Any]) -> str | None:
    stream = body.get("stream")
    return None if stream is None or isinstance(stream, bool) else "stream: Input should be bool"
