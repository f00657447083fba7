"""HTTP error statuses and in-band errors → one typed error each (PROTOCOLS.md A6)."""

from __future__ import annotations

import json

import pytest

from app.llm.errors import (
    APIStatusError,
    AuthError,
    BadRequest,
    Conflict,
    ContextOverflow,
    NotFound,
    Overloaded,
    PaymentRequired,
    PermissionDenied,
    RateLimited,
    RequestTimeout,
    ServerError,
    StreamError,
    Unprocessable,
    inband_error,
    response_error,
    status_error,
)


def body(error: object) -> bytes:
    return json.dumps({"error": error}).encode()


@pytest.mark.parametrize(
    ("status", "cls", "retryable"),
    [
        (400, BadRequest, False),
        (401, AuthError, False),
        (402, PaymentRequired, False),
        (403, PermissionDenied, False),
        (404, NotFound, False),
        (408, RequestTimeout, True),
        (409, Conflict, True),
        (413, BadRequest, False),
        (418, BadRequest, False),
        (422, Unprocessable, False),
        (429, RateLimited, True),
        (500, ServerError, True),
        (502, ServerError, True),
        (503, Overloaded, True),
        (504, ServerError, True),
        (529, Overloaded, True),
    ],
)
def test_one_class_per_status(status: int, cls: type[APIStatusError], retryable: bool) -> None:
    error = status_error(status, "")
    assert type(error) is cls
    assert error.status == status
    assert error.retryable is retryable
    assert error.user_message
    assert not error.in_stream


def test_class_tree() -> None:
    assert issubclass(PermissionDenied, AuthError)
    assert issubclass(NotFound, BadRequest)
    assert issubclass(Unprocessable, BadRequest)
    assert issubclass(ContextOverflow, BadRequest)
    assert issubclass(Overloaded, ServerError)


def test_other_4xx_names_its_status_and_detail() -> None:
    error = status_error(413, "Request Entity Too Large")
    assert "(413)" in error.user_message
    assert "Request Entity Too Large" in error.user_message


def test_rate_limited_keeps_retry_after_and_request_id() -> None:
    error = response_error(
        429,
        body(
            {
                "message": "Rate limit reached for gpt-4o",
                "type": "tokens",
                "code": "rate_limit_exceeded",
            }
        ),
        retry_after=7.5,
        request_id="req_abc",
    )
    assert isinstance(error, RateLimited)
    assert error.retry_after == 7.5
    assert error.request_id == "req_abc"
    assert error.code == "rate_limit_exceeded"
    assert "Rate limit reached" in error.user_message


def test_retry_after_is_none_unless_given() -> None:
    error = status_error(429, "")
    assert isinstance(error, RateLimited)
    assert error.retry_after is None


def test_request_id_kept_on_any_status() -> None:
    assert response_error(500, b"", request_id="req_1").request_id == "req_1"


# --- Context overflow ----------------------------------------------------------------------------


OPENAI_CONTEXT = {
    "message": "This model's maximum context length is 128000 tokens. However, your messages "
    "resulted in 130000 tokens. Please reduce the length of the messages.",
    "type": "invalid_request_error",
    "param": "messages",
    "code": "context_length_exceeded",
}


@pytest.mark.parametrize(
    ("status", "raw"),
    [
        (400, body(OPENAI_CONTEXT)),
        (
            400,
            json.dumps(
                {
                    "type": "error",
                    "error": {
                        "type": "invalid_request_error",
                        "message": "prompt is too long: 210512 tokens > 200000 maximum",
                    },
                }
            ).encode(),
        ),
        (400, body({"message": "This endpoint's maximum context length is 131072 tokens."})),
        (
            400,
            body(
                {
                    "code": 400,
                    "message": "the request exceeds the available context size. try "
                    "increasing the context size or enable context shift",
                    "type": "exceed_context_size_error",
                    "n_prompt_tokens": 14429,
                    "n_ctx": 8192,
                }
            ),
        ),
        (
            400,
            json.dumps(
                [
                    {
                        "error": {
                            "code": 400,
                            "message": "The input token count (1200293) exceeds the maximum "
                            "number of tokens allowed (1048576).",
                            "status": "INVALID_ARGUMENT",
                        }
                    }
                ]
            ).encode(),
        ),
        (413, body({"message": "Input is too long for requested model."})),
    ],
    ids=["openai", "anthropic", "openrouter", "llama.cpp", "gemini", "413-wording"],
)
def test_context_overflow_recognised(status: int, raw: bytes) -> None:
    error = response_error(status, raw)
    assert isinstance(error, ContextOverflow)
    assert not error.retryable
    assert error.status == status
    assert "too long for this model" in error.user_message


def test_context_overflow_by_code_alone() -> None:
    error = status_error(400, "Please shorten it.", "context_length_exceeded")
    assert isinstance(error, ContextOverflow)
    assert error.code == "context_length_exceeded"


def test_context_wording_on_a_server_error_is_not_an_overflow() -> None:
    assert type(status_error(500, "maximum context length exceeded")) is ServerError


# --- Bodies --------------------------------------------------------------------------------------


def test_anthropic_body_code_is_the_error_type() -> None:
    raw = json.dumps(
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    ).encode()
    error = response_error(529, raw)
    assert isinstance(error, Overloaded)
    assert error.code == "overloaded_error"
    assert "Overloaded" in error.user_message


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        (b"<html><body>502 Bad Gateway</body></html>", "502 Bad Gateway"),
        (b"upstream timed out", "upstream timed out"),
        (b"\xff\xfe not utf-8", "not utf-8"),
        (b'{"error": "model \\"llama9\\" not found"}', 'model "llama9" not found'),
    ],
    ids=["html", "text", "bad-utf8", "string-error"],
)
def test_non_json_or_odd_bodies_keep_their_words(raw: bytes, said: str) -> None:
    error = response_error(502 if b"502" in raw else 404, raw)
    assert said in error.user_message
    assert error.code is None


def test_gemini_list_wrapped_body_keeps_its_words() -> None:
    # Gemini's OpenAI endpoint wraps the error in a list: [{"error": {...}}].
    message = 'Invalid JSON payload received. Unknown name "reasoning": Cannot find field.'
    raw = json.dumps([{"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}}])
    error = response_error(400, raw.encode())
    assert type(error) is BadRequest
    assert message in error.user_message


@pytest.mark.parametrize("raw", [b"", b"[]", b"{}", b'{"error": 5}', b"null"])
def test_empty_or_unhelpful_bodies_give_a_plain_message(raw: bytes) -> None:
    error = response_error(401, raw)
    assert isinstance(error, AuthError)
    assert error.user_message == "The provider rejected the API key. Check the key in Settings."


def test_long_non_json_bodies_are_cut() -> None:
    error = response_error(500, b"x" * 5000)
    assert len(error.user_message) < 300


# --- In-band errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "cls", "status"),
    [
        ({"type": "overloaded_error", "message": "Overloaded"}, Overloaded, 529),
        ({"type": "api_error", "message": "Internal"}, ServerError, 500),
        ({"type": "server_error", "message": "Sorry"}, ServerError, 500),
        ({"type": "rate_limit_error", "message": "Slow down"}, RateLimited, 429),
        ({"type": "permission_error", "message": "No"}, PermissionDenied, 403),
        ({"type": "not_found_error", "message": "No model"}, NotFound, 404),
        ({"type": "request_too_large", "message": "Too big"}, BadRequest, 413),
        ({"code": 502, "message": "Provider returned error"}, ServerError, 502),
        ({"code": 429, "message": "Rate-limited upstream"}, RateLimited, 429),
    ],
)
def test_inband_errors_are_typed(error: dict[str, object], cls: type, status: int) -> None:
    typed = inband_error(error)
    assert type(typed) is cls
    assert isinstance(typed, APIStatusError)
    assert typed.status == status
    assert typed.in_stream
    assert str(error["message"]) in typed.user_message


@pytest.mark.parametrize(
    "error",
    [
        {"type": "mystery_error", "message": "?"},
        {"message": "no type at all"},
        {"code": 200, "message": "not an error status"},
        {"code": "502", "message": "a status as a string"},
        "plain string",
        None,
        ["a", "list"],
    ],
)
def test_unknown_inband_errors_are_stream_errors(error: object) -> None:
    typed = inband_error(error)
    assert type(typed) is StreamError
    assert not typed.retryable
    assert typed.user_message.startswith("The provider stopped with an error")


def test_message_at_the_top_of_the_body_is_kept() -> None:
    error = response_error(400, b'{"object": "error", "message": "model not loaded"}')
    assert "model not loaded" in error.user_message
    detail = response_error(422, b'{"detail": "messages: field required"}')
    assert "field required" in detail.user_message


def test_llama_cpp_context_overflow_as_a_500_is_not_retried() -> None:
    error = response_error(500, b'{"error": {"message": "Context size has been exceeded."}}')
    assert isinstance(error, ContextOverflow) and not error.retryable
