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


def transport(limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    # TLS is verified (httpx's default context); proxies from the environment are httpx's own
    # mounts, so aiohttp's session does not read the environment a second time.
    return AiohttpTransport(limits=limits, trust_env=False)


def refused(err: httpx.TransportError) -> bool:
    """Whether the provider refused the connection or its name did not resolve: httpx-aiohttp
    reports those as ``httpx.ConnectTimeout`` too (aiohttp's connector error is also a
    connection error, and it maps the two alike)."""
    cause = err.__cause__
    return isinstance(cause, aiohttp.ClientConnectorError) and not isinstance(
        cause, aiohttp.ServerTimeoutError
    )
