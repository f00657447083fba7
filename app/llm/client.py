"""The streaming chat client: one pooled ``httpx.AsyncClient`` per provider profile.

    async with client.stream(request) as events:
        async for event in events: ...

Iterating opens the request: it first waits for the client-side budget, then sends, retrying
429/5xx/connection failures (and an in-band error that arrives before any answer), announcing
every wait as a ``Waiting`` event. Once the first piece of the answer is handed on, nothing is
retried: the agent decides. The response is closed in ``finally`` whatever happens: normal end, an
early ``break``, an error, or cancellation (Stop and Regenerate cancel the task).

Timeouts: a short connect timeout; a read timeout that catches a stalled stream (no bytes at all);
and an overall deadline for the whole call, waits included. Plain ``http://`` is allowed for
loopback hosts only, TLS verification stays on, and redirects are never followed, so credentials
never travel elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import aclosing, asynccontextmanager
from typing import cast
from urllib.parse import urlsplit

import httpx
import orjson

from app.llm import retry
from app.llm.adapter import Adapter
from app.llm.chat import ChatEvent, ChatRequest, Waiting
from app.llm.errors import (
    APIStatusError,
    ConfigError,
    ConnectTimeout,
    DeadlineExceeded,
    LLMError,
    NetworkError,
    RateLimited,
    StreamStalled,
    TLSFailure,
    Unreachable,
    causes,
    response_error,
)
from app.llm.limits import RateLimiter
from app.llm.openai_compat import OpenAIAdapter
from app.llm.stream import StreamReader
from app.llm.tls import TLS_ADVICE, is_tls_failure, ssl_context
from app.llm.tokens import count_message_tokens
from app.llm.transport import transport as http_transport
from app.logs import install_redaction

log = logging.getLogger("stepwise.llm")

KeyProvider = Callable[[], str | None]
Sleep = Callable[[float], Awaitable[None]]

CONNECT_TIMEOUT_S = 5.0
STALL_TIMEOUT_S = 30.0  # no bytes at all for this long means the stream is stuck
DRAIN_TIMEOUT_S = 0.25  # after the end marker, for the rest of the body (see _drain)
DEADLINE_S = 600.0  # a whole call, waits and retries included (the SDKs' default timeout)
# The SDKs' pool sizes: a burst of concurrent steps never queues on the pool.
POOL = httpx.Limits(max_connections=1000, max_keepalive_connections=100)


def is_loopback(host: str) -> bool:
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
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigError("Plain http:// is only allowed for this computer; use https://.")
    return base_url.rstrip("/")


class LLMClient:
    def __init__(
        self,
        base_url: str,
        key_provider: KeyProvider,
        *,
        adapter: Adapter | None = None,
        limiter: RateLimiter | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        stall_timeout_s: float = STALL_TIMEOUT_S,
        deadline_s: float = DEADLINE_S,
        max_retries: int = retry.MAX_RETRIES,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        install_redaction()  # wherever keys travel, no log record can carry one
        self.base_url = check_base_url(base_url)
        self.adapter: Adapter = adapter or OpenAIAdapter()
        self._url = httpx.URL(self.adapter.url(self.base_url))  # parsed once, not per request
        self.limiter = limiter or RateLimiter()
        self.deadline_s = deadline_s
        self.max_retries = max_retries
        self._key_provider = key_provider  # read for every request, never kept
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            transport=transport or http_transport(POOL),
            timeout=httpx.Timeout(stall_timeout_s, connect=CONNECT_TIMEOUT_S),
            limits=POOL,
            follow_redirects=False,
            verify=ssl_context(),  # for the proxies httpx mounts from the environment
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    @asynccontextmanager
    async def stream(self, request: ChatRequest) -> AsyncIterator[AsyncIterator[ChatEvent]]:
        events = self._events(request)
        try:
            yield events
        finally:
            await events.aclose()  # its own finally closes the response

    async def _events(self, request: ChatRequest) -> AsyncGenerator[ChatEvent]:
        # One generator from the first wait to the last event: at 3,000 tokens/s every extra
        # generator between the socket and the caller costs a hop per read.
        deadline = time.monotonic() + self.deadline_s
        tokens = self._estimate(request)
        wait = self.limiter.reserve(tokens)
        if wait > 0:
            self._check_deadline(deadline, wait, None)
            yield Waiting("budget", wait)
            await self._sleep(wait)
        attempt = 0
        while True:
            response = None
            reader = StreamReader(self.adapter.parser())
            try:
                response = await self._send(request)
                body = _body(response)
                async with aclosing(body):
                    async for raw in body:
                        for event in reader.feed(raw):
                            yield event
                        if reader.error:
                            break
                        if reader.ended:
                            await _drain(body)
                            break
                        if time.monotonic() > deadline:
                            reader.error = DeadlineExceeded(
                                "The answer took longer than this step's time limit and was "
                                "stopped."
                            )
                            break
                    else:
                        for event in reader.finish():
                            yield event
                if reader.error is not None:
                    raise reader.error
                return
            except httpx.TransportError as err:
                error: LLMError = _transport_error(err)
                if reader.handed_on:
                    raise error from err
            except LLMError as err:
                if reader.handed_on:
                    raise
                error = err
            finally:
                if response is not None:
                    await response.aclose()
            delay = self._retry_delay(attempt, error)
            if delay is None:
                raise error
            # The retry waits for its backoff and for a new slot in the budget, whichever is
            # later (a 429's Retry-After holds the budget too): one wait, announced once.
            delay = max(delay, self.limiter.reserve(tokens))
            self._check_deadline(deadline, delay, error)
            attempt += 1
            log.info("Retrying %s in %.1f s: %s", request.model, delay, type(error).__name__)
            yield Waiting("retry", delay, attempt, error.summary)
            await self._sleep(delay)

    def _estimate(self, request: ChatRequest) -> int:
        if not self.limiter.counts_tokens:
            return 0
        return count_message_tokens(request.messages, request.model) + request.max_tokens

    async def _send(self, request: ChatRequest) -> httpx.Response:
        key = self._key_provider()
        if not key:
            raise ConfigError("No API key is set for this provider. Add one in Settings.")
        # orjson, not httpx's json=: a step's prompt is encoded in a twentieth of the time.
        http_request = self._http.build_request(
            "POST",
            self._url,
            content=orjson.dumps(self.adapter.body(request)),
            headers={**self.adapter.headers(key), "Content-Type": "application/json"},
        )
        try:
            response = await self._http.send(http_request, stream=True)
        except httpx.ConnectTimeout as err:
            raise ConnectTimeout("The provider did not answer the connection in time.") from err
        except httpx.TimeoutException as err:
            raise StreamStalled("The provider did not start answering in time.") from err
        except httpx.TransportError as err:
            if is_tls_failure(err):
                raise TLSFailure(TLS_ADVICE, summary="Certificate not accepted") from err
            raise unreachable(self.base_url, err) from err
        self.limiter.observe(response.headers)
        if not response.is_success:
            try:
                raise await self._status_error(response)
            finally:
                await response.aclose()
        return response

    async def _status_error(self, response: httpx.Response) -> APIStatusError:
        try:
            body = await response.aread()
        except httpx.TransportError:
            body = b""
        error = response_error(
            response.status_code,
            body,
            retry_after=retry.retry_after(response.headers),
            request_id=response.headers.get("request-id") or response.headers.get("x-request-id"),
        )
        error.headers = response.headers
        if isinstance(error, RateLimited) and error.retry_after:
            self.limiter.hold(min(error.retry_after, retry.MAX_RETRY_AFTER_S))
        return error

    def _retry_delay(self, attempt: int, error: LLMError) -> float | None:
        if attempt >= self.max_retries:
            return None
        if isinstance(error, APIStatusError) and not error.in_stream:
            if not retry.should_retry(error.status, error.headers):
                return None
            return retry.retry_delay(attempt, error.headers)
        return retry.retry_delay(attempt, {}) if error.retryable else None

    @staticmethod
    def _check_deadline(deadline: float, wait: float, error: LLMError | None) -> None:
        if time.monotonic() + wait > deadline:
            raise error or DeadlineExceeded(
                "The provider's rate limit would hold this step past its time limit."
            )


def unreachable(base_url: str, err: httpx.TransportError) -> Unreachable:
    """A connection that never opened, in plain words where the reason is a common one."""
    where = f"Could not reach the provider at {base_url}"
    for cause in causes(err):
        if isinstance(cause, socket.gaierror):
            return Unreachable(
                f"{where}: its address was not found. Check the address in Settings, and this "
                "computer's network.",
                summary="Address not found",
            )
        if isinstance(cause, ConnectionRefusedError):
            return Unreachable(
                f"{where}: nothing accepted the connection. Check the address in Settings, and "
                "that the provider is running.",
                summary="Connection refused",
            )
    return Unreachable(f"{where}: {err}")


def _transport_error(err: httpx.TransportError) -> LLMError:
    """A failure while reading the body, after the provider had answered."""
    if isinstance(err, httpx.ReadTimeout):
        return StreamStalled("The provider stopped sending in the middle of the answer.")
    return NetworkError("The connection dropped in the middle of the answer.")


async def _drain(body: AsyncIterator[bytes]) -> None:
    """Read what follows the provider's end marker: usually only the chunked body's terminator,
    already on its way. A response closed before its body ends cannot be reused, so the transport
    closes the connection, and the next call pays a new connection (TCP, and TLS for a real
    provider): 2-3 ms on loopback per call, far more over the internet. The OpenAI SDK reads to
    the end for the same reason. A server that keeps talking past the marker is cut off."""
    with contextlib.suppress(httpx.TransportError, TimeoutError):
        async with asyncio.timeout(DRAIN_TIMEOUT_S):
            async for _ in body:
                pass


def _body(response: httpx.Response) -> AsyncGenerator[bytes]:
    """The response body as it arrives. ``aiter_raw`` when there is nothing to decompress: its
    decoding layers would cost two generator hops per read, which at one read per streamed token
    is a sixth of the client's time (tests/benchmarks/README.md). Both are async generators, so
    the caller closes them."""
    plain = response.headers.get("content-encoding", "identity") == "identity"
    if plain and not response.is_stream_consumed:
        return cast(AsyncGenerator[bytes], response.aiter_raw())
    return cast(AsyncGenerator[bytes], response.aiter_bytes())
