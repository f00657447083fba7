"""Typed LLM errors, each carrying the plain words a support agent sees and whether retrying helps.

    LLMError                        (user_message, retryable)
     ├ ConfigError                  bad base URL, plain http to a remote host, no API key
     ├ APIStatusError               an HTTP error status (status, code, request_id)
     │   ├ BadRequest               400
     │   │   ├ ContextOverflow      the prompt is longer than the model accepts
     │   │   ├ NotFound             404: the model or endpoint does not exist
     │   │   └ Unprocessable        422
     │   ├ AuthError                401: the key was rejected
     │   │   └ PermissionDenied     403
     │   ├ PaymentRequired          402: out of credits
     │   ├ RequestTimeout           408 (retryable)
     │   ├ Conflict                 409 (retryable)
     │   ├ RateLimited              429 (retryable; retry_after seconds, if the server said)
     │   └ ServerError              ≥ 500 (retryable)
     │       └ Overloaded           503/529, or Anthropic's overloaded_error event
     ├ NetworkError                 could not connect, or the connection dropped (retryable)
     │   ├ ConnectTimeout           the provider did not answer the connection in time
     │   └ StreamStalled            no bytes for the read timeout
     ├ DeadlineExceeded             the call's overall deadline passed
     ├ StreamError                  protocol: a malformed chunk, an error inside a 200 stream
     └ Truncated                    the stream ended without its end marker

Raw httpx exceptions never leave ``app/llm``: they are wrapped at the boundary with
``raise ... from err``. The status classes follow openai-python's ``_exceptions.py`` and
anthropic's finer 402/408/529 split (PROTOCOLS.md A6).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any


def causes(err: BaseException) -> Iterator[BaseException]:
    """``err`` and what lies under it: its causes and contexts, and the OS or TLS error an
    aiohttp connector error keeps as an attribute rather than as a cause."""
    seen: BaseException | None = err
    while seen is not None:
        yield seen
        for name in ("os_error", "certificate_error"):
            inner = getattr(seen, name, None)
            if isinstance(inner, BaseException):
                yield inner
        seen = seen.__cause__ or seen.__context__


class LLMError(Exception):
    retryable = False

    def __init__(self, user_message: str, *, summary: str | None = None) -> None:
        super().__init__(user_message)
        self.user_message = user_message  # our words, then the provider's own, if it said any
        self.summary = summary or user_message  # our words only: short enough for a status line


class ConfigError(LLMError):
    pass


class APIStatusError(LLMError):
    def __init__(
        self,
        user_message: str,
        status: int,
        code: str | None = None,
        *,
        request_id: str | None = None,
        in_stream: bool = False,
        summary: str | None = None,
    ) -> None:
        super().__init__(user_message, summary=summary)
        self.status = status
        self.code = code
        self.request_id = request_id
        self.in_stream = in_stream  # reported inside a 200 stream rather than as its status
        self.headers: Mapping[str, str] = {}  # the response's headers, for the retry rules


class BadRequest(APIStatusError):
    pass


class ContextOverflow(BadRequest):
    pass


class NotFound(BadRequest):
    pass


class Unprocessable(BadRequest):
    pass


class AuthError(APIStatusError):
    pass


class PermissionDenied(AuthError):
    pass


class PaymentRequired(APIStatusError):
    pass


class RequestTimeout(APIStatusError):
    retryable = True


class Conflict(APIStatusError):
    retryable = True


class RateLimited(APIStatusError):
    retryable = True
    retry_after: float | None = None  # seconds the provider asked us to wait, if it said


class ServerError(APIStatusError):
    retryable = True


class Overloaded(ServerError):
    pass


class NetworkError(LLMError):
    retryable = True


class Unreachable(NetworkError):
    """No connection to the provider: refused, or its name did not resolve. The address in
    Settings may be wrong, or the provider down: retrying may help, another model will not."""


class ConnectTimeout(NetworkError):
    pass


class StreamStalled(NetworkError):
    pass


class TLSFailure(LLMError):
    """The provider's certificate was not accepted: retrying cannot help."""


class DeadlineExceeded(LLMError):
    pass


class StreamError(LLMError):
    pass


class Truncated(LLMError):
    pass


def error_fields(body: bytes) -> tuple[str, str | None]:
    """The provider's own message and code from an OpenAI- or Anthropic-shaped error body."""
    try:
        parsed: Any = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")[:200].strip(), None
    if isinstance(parsed, list) and parsed:  # Gemini's OpenAI endpoint: [{"error": {...}}]
        parsed = parsed[0]
    if not isinstance(parsed, dict):
        return "", None
    error = parsed.get("error")
    if isinstance(error, str):
        return error, None
    if not isinstance(error, dict):  # older vLLM and FastAPI servers: the message at the top
        said = parsed.get("message") or parsed.get("detail")
        return (said, None) if isinstance(said, str) else ("", None)
    code = error.get("code") or error.get("type")
    return str(error.get("message") or ""), (str(code) if code else None)


# OpenAI, Anthropic and OpenRouter wording, then llama.cpp's ("exceeds the available context
# size") and Gemini's ("The input token count (N) exceeds the maximum number of tokens allowed").
_CONTEXT_PHRASES = (
    "context length",
    "maximum context",
    "too long",
    "context window",
    "context size",
    "input token count",
)


def status_error(
    status: int,
    detail: str,
    code: str | None = None,
    *,
    retry_after: float | None = None,
    request_id: str | None = None,
    in_stream: bool = False,
) -> APIStatusError:
    """The typed error for an HTTP status (or the status an in-band error stands for)."""
    lowered = detail.lower()
    cls: type[APIStatusError]
    if (
        code == "context_length_exceeded"
        or (status in (400, 413, 422) and any(p in lowered for p in _CONTEXT_PHRASES))
        or (status >= 500 and "context size" in lowered)
    ):  # llama.cpp: a 500, never retryable
        cls, message = ContextOverflow, "The ticket is too long for this model."
    elif status < 400:  # a redirect: never followed, since it would carry the key elsewhere
        cls, message = BadRequest, f"The provider answered with a redirect ({status})."
        message += " Check the base URL."
    elif status in _BY_STATUS:
        cls, message = _BY_STATUS[status]
    elif status in (503, 529):
        cls, message = Overloaded, "The provider is overloaded right now."
    elif status >= 500:
        cls, message = ServerError, f"The provider had an internal error ({status})."
    else:
        cls, message = BadRequest, f"The provider refused the request ({status})."
    said = f" The provider said: {detail}" if detail else ""
    error = cls(
        message + said,
        status,
        code,
        request_id=request_id,
        in_stream=in_stream,
        summary=message,
    )
    if isinstance(error, RateLimited):
        error.retry_after = retry_after
    return error


_BY_STATUS: dict[int, tuple[type[APIStatusError], str]] = {
    400: (BadRequest, "The provider refused the request (400)."),
    401: (AuthError, "The provider rejected the API key. Check the key in Settings."),
    402: (PaymentRequired, "The provider account is out of credits."),
    403: (PermissionDenied, "This API key may not use this model or endpoint."),
    404: (NotFound, "The model or endpoint was not found. Check Settings."),
    408: (RequestTimeout, "The provider timed out handling the request."),
    409: (Conflict, "The provider reported a conflict (409)."),
    422: (Unprocessable, "The provider could not process the request (422)."),
    429: (RateLimited, "The provider is rate-limiting us."),
}


def response_error(
    status: int, body: bytes, *, retry_after: float | None = None, request_id: str | None = None
) -> APIStatusError:
    detail, code = error_fields(body)
    return status_error(status, detail, code, retry_after=retry_after, request_id=request_id)


# Error types carried by in-band errors (Anthropic ``error`` events, OpenAI-style ``{"error"}``
# chunks) → the HTTP status they stand for (PROTOCOLS.md A3).
_TYPE_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "rate_limit_exceeded": 429,
    "api_error": 500,
    "server_error": 500,
    "overloaded_error": 529,
}


def inband_error(error: Any) -> LLMError:
    """An error reported inside a 200 stream: typed by its ``type``/``code`` when we know it."""
    if not isinstance(error, dict):
        return StreamError(f"The provider stopped with an error: {error or 'unknown error'}")
    message = str(error.get("message") or "unknown error")
    kind = error.get("type") or error.get("code")
    # OpenAI's rate limits say type "tokens"/"requests" and code "rate_limit_exceeded".
    status = _TYPE_STATUS.get(str(kind)) or _TYPE_STATUS.get(str(error.get("code")))
    if status is None and isinstance(error.get("code"), int):
        status = int(error["code"])  # OpenRouter puts the HTTP-like status in "code"
    if status is None or status < 400:
        return StreamError(f"The provider stopped with an error: {message}")
    return status_error(status, message, str(kind) if kind else None, in_stream=True)
