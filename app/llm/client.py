"""The streaming chat client: one pooled httpx.AsyncClient per provider.

    async with client.stream(request) as events:
        async for event in events: ...

The response is closed in ``finally`` whatever happens: normal end, an early ``break``, an error,
or cancellation (Stop and Regenerate cancel the task). Retries (429, 5xx, connection errors) only
happen before the stream is handed on. Plain ``http://`` is allowed for loopback hosts only, TLS
verification stays on, and redirects are never followed, so credentials never travel elsewhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import httpx

from app.llm import retry
from app.llm.errors import (
    ConfigError,
    LLMError,
    NetworkError,
    StreamStalled,
    Truncated,
    status_error,
)
from app.llm.openai_compat import DONE, ChatEvent, ChatRequest, Finish, parse_chunk, request_body
from app.llm.sse import SSEDecoder

log = logging.getLogger("stepwise.llm")

KeyProvider = Callable[[], str | None]

CONNECT_TIMEOUT_S = 5.0
STALL_TIMEOUT_S = 30.0  # no bytes at all for this long means the stream is stuck


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"The provider URL {base_url!r} is not a valid http(s) URL.")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError("Plain http:// is only allowed for this computer; use https://.")
    return base_url.rstrip("/")


class LLMClient:
    def __init__(
        self,
        base_url: str,
        key_provider: KeyProvider,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        stall_timeout_s: float = STALL_TIMEOUT_S,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self._key_provider = key_provider
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(stall_timeout_s, connect=CONNECT_TIMEOUT_S),
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    @asynccontextmanager
    async def stream(self, request: ChatRequest) -> AsyncIterator[AsyncIterator[ChatEvent]]:
        response = await self._open(request)
        try:
            yield self._events(response)
        finally:
            await response.aclose()

    async def _open(self, request: ChatRequest) -> httpx.Response:
        key = self._key_provider()
        if not key:
            raise ConfigError("No API key is set for this provider. Add one in Settings.")
        http_request = self._http.build_request(
            "POST",
            f"{self.base_url}/chat/completions",
            json=request_body(request),
            headers={"Authorization": f"Bearer {key}", "Accept": "text/event-stream"},
        )
        for retries_taken in range(retry.MAX_RETRIES + 1):
            response, error = await self._attempt(http_request)
            if response is not None and response.is_success:
                return response
            delay = self._retry_delay(retries_taken, response, error)
            if response is not None:
                body = await response.aread()
                error = status_error(
                    response.status_code, body, retry.retry_after(response.headers)
                )
            assert error is not None
            if delay is None or retries_taken == retry.MAX_RETRIES:
                raise error
            log.info("Retrying %s in %.1f s: %s", request.model, delay, type(error).__name__)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def _attempt(self, req: httpx.Request) -> tuple[httpx.Response | None, LLMError | None]:
        try:
            return await self._http.send(req, stream=True), None
        except httpx.TimeoutException as err:
            return None, NetworkError(
                f"The provider did not answer in time ({type(err).__name__})."
            )
        except httpx.TransportError as err:
            return None, NetworkError(f"Could not reach the provider at {self.base_url}: {err}")

    @staticmethod
    def _retry_delay(
        retries_taken: int, response: httpx.Response | None, error: LLMError | None
    ) -> float | None:
        if response is None:
            return retry.retry_delay(retries_taken, {}) if error and error.retryable else None
        if not retry.should_retry(response.status_code, response.headers):
            return None
        return retry.retry_delay(retries_taken, response.headers)

    async def _events(self, response: httpx.Response) -> AsyncIterator[ChatEvent]:
        decoder = SSEDecoder()
        finished = False
        try:
            async for raw in response.aiter_bytes():  # decompressed, if a proxy gzips
                for sse in decoder.decode(raw):
                    if sse.data.startswith(DONE):
                        return
                    for event in parse_chunk(sse.data):
                        finished = finished or isinstance(event, Finish)
                        yield event
        except httpx.ReadTimeout as err:
            raise StreamStalled(
                "The provider stopped sending in the middle of the answer."
            ) from err
        except httpx.TransportError as err:
            raise NetworkError("The connection dropped in the middle of the answer.") from err
        for sse in decoder.flush():
            for event in parse_chunk(sse.data):
                finished = finished or isinstance(event, Finish)
                yield event
        if not finished:
            raise Truncated("The answer was cut off: the stream ended before it was complete.")
