"""The HTTP transport under our httpx client: aiohttp's, through httpx-aiohttp.

Why not httpx's own (httpcore + h11): a provider streams one HTTP chunk per token, and h11 parses
each chunk in Python, through four layers of async generators, before our SSE decoder sees a
byte: ~35 µs per token. Four panels at 3,000 tokens/s each then need more than the one core the
window's event loop has (tests/benchmarks/ui_streaming.py: the panels fell 1-5 s behind and
the loop stalled up to 127 ms). aiohttp parses HTTP in C (llhttp) and hands the body over in
reads of whatever has arrived, so the same load keeps up with the loop's p99 gap under 16 ms.
httpx stays the client API (timeouts, errors, requests); httpx-aiohttp, by one of httpx's
maintainers, is the transport the OpenAI SDK offers for the same reason.
"""

from __future__ import annotations

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from app.llm.tls import ssl_context


def transport(limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    # TLS is verified against the system's trust store (``tls``); proxies from the environment
    # are httpx's own mounts, so aiohttp's session does not read the environment a second time.
    return _Transport(verify=ssl_context(), limits=limits, trust_env=False)


class _Transport(AiohttpTransport):
    """httpx-aiohttp, with a refused connection (or a name that did not resolve) raised as
    ``httpx.ConnectError``, as httpx's own transport does: httpx-aiohttp maps aiohttp's connector
    error to ``httpx.ConnectTimeout``, since it is a connection error too."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except httpx.ConnectTimeout as err:
            cause = err.__cause__
            timed_out = isinstance(cause, aiohttp.ServerTimeoutError)
            if isinstance(cause, aiohttp.ClientConnectorError) and not timed_out:
                raise httpx.ConnectError(str(err), request=request) from cause
            raise
