"""Typed LLM errors, each carrying the plain words a support agent sees.

    LLMError                      (user_message, retryable)
     ├ ConfigError                bad base URL, plain http to a remote host, no API key
     ├ APIStatusError             an HTTP error status (status, code)
     │   ├ AuthError              401/403: the key was rejected
     │   ├ BadRequest             400/404/422
     │   │   └ ContextOverflow    the prompt is longer than the model accepts
     │   ├ RateLimited            429 (retry_after seconds, if the server said)
     │   └ ServerError            ≥ 500
     │       └ Overloaded         503/529
     ├ NetworkError               connect failure, dropped connection
     │   └ StreamStalled          no bytes for the read timeout
     ├ StreamError                an error inside a 200 stream, or a malformed chunk
     └ Truncated                  the stream ended without its end marker

Raw httpx exceptions never leave ``app/llm``: they are wrapped here with ``raise ... from err``.
"""

from __future__ import annotations

import json
from typing import Any


class LLMError(Exception):
    retryable = False

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class ConfigError(LLMError):
    pass


class APIStatusError(LLMError):
    def __init__(self, user_message: str, status: int, code: str | None = None) -> None:
        super().__init__(user_message)
        self.status = status
        self.code = code


class AuthError(APIStatusError):
    pass


class BadRequest(APIStatusError):
    pass


class ContextOverflow(BadRequest):
    pass


class RateLimited(APIStatusError):
    retryable = True

    def __init__(self, user_message: str, status: int, code: str | None, retry_after: float | None):
        super().__init__(user_message, status, code)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    retryable = True


class Overloaded(ServerError):
    pass


class NetworkError(LLMError):
    retryable = True


class StreamStalled(NetworkError):
    pass


class StreamError(LLMError):
    pass


class Truncated(LLMError):
    pass


def _error_fields(body: bytes) -> tuple[str, str | None]:
    """The provider's own message and code from an OpenAI/Anthropic-shaped error body."""
    try:
        parsed: Any = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")[:200].strip(), None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if not isinstance(error, dict):
        return "", None
    code = error.get("code") or error.get("type")
    return str(error.get("message") or ""), (str(code) if code else None)


def status_error(status: int, body: bytes, retry_after: float | None = None) -> APIStatusError:
    detail, code = _error_fields(body)
    said = f" The provider said: {detail}" if detail else ""
    if status in (401, 403):
        return AuthError(
            "The provider rejected the API key. Check the key in Settings." + said, status, code
        )
    if status == 429:
        return RateLimited("The provider is rate-limiting us." + said, status, code, retry_after)
    if status in (503, 529):
        return Overloaded("The provider is overloaded right now." + said, status, code)
    if status >= 500:
        return ServerError(f"The provider had an internal error ({status})." + said, status, code)
    lowered = detail.lower()
    if code == "context_length_exceeded" or any(
        phrase in lowered for phrase in ("context length", "maximum context", "too long")
    ):
        return ContextOverflow("The ticket is too long for this model." + said, status, code)
    if status == 404:
        return BadRequest(
            "The model or endpoint was not found. Check Settings." + said, status, code
        )
    return BadRequest(f"The provider refused the request ({status})." + said, status, code)
