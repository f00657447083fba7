"""Credentials never reach a log line, whichever logger or handler writes it."""

from __future__ import annotations

import io
import logging

import httpx
import pytest

from app.llm.chat import ChatRequest
from app.llm.client import LLMClient
from app.llm.errors import AuthError
from app.logs import install_redaction, redact

KEY = "sk-proj-UniqueTestKey0123456789abcdef"


@pytest.mark.parametrize(
    "line",
    [
        f"Authorization: Bearer {KEY}",
        f"headers={{'authorization': 'Bearer {KEY}'}}",
        f"x-api-key: {KEY}",
        f"POST https://generativelanguage.googleapis.com/v1beta/models?key={KEY}&alt=sse",
        f"api_key={KEY}",
        f"the key {KEY} was rejected",
    ],
)
def test_redact_removes_the_key(line: str) -> None:
    assert KEY not in redact(line)
    assert "redacted" in redact(line)


def test_every_handler_of_every_logger_gets_redacted_records() -> None:
    install_redaction()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # a handler we did not set up, on a library logger
    logger = logging.getLogger("httpx.test-redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("HTTP Request: %s %s", "POST", f"https://x.example/v1?key={KEY}")
        logger.info("sent %s", {"x-api-key": KEY, "Authorization": f"Bearer {KEY}"})
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert KEY not in written and written.count("redacted") >= 2


@pytest.mark.asyncio
async def test_client_requests_logged_by_httpx_carry_no_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        logging.getLogger("httpx").info("request headers %s", dict(request.headers))
        return httpx.Response(401, json={"error": {"message": "Incorrect API key provided."}})

    client = LLMClient(
        "https://llm.example/v1", lambda: KEY, transport=httpx.MockTransport(handler)
    )
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthError):
        async with client.stream(ChatRequest("m", [{"role": "user", "content": "hi"}])) as events:
            async for _ in events:
                pass
    await client.aclose()
    assert "request headers" in caplog.text
    assert KEY not in caplog.text
