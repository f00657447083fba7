"""TLS for every request to a provider: verified, against the operating system's trust store.

``truststore`` makes Python's ssl module ask the platform to verify certificates (Windows'
CryptoAPI, macOS' Security framework, OpenSSL's system paths on Linux). A company that inspects
TLS through its proxy installs its root certificate there, so Stepwise works behind that proxy
without the agent exporting certificates or, worse, turning verification off. Nothing in Stepwise
turns it off: there is no setting for it, and ``tests/llm/test_tls.py`` fails if the code ever
builds an unverified context.
"""

from __future__ import annotations

import ssl
from functools import cache

import truststore

from app.llm.errors import causes

TLS_ADVICE = (
    "The secure connection to the provider failed: its certificate was not accepted. If your "
    "company inspects secure traffic, its root certificate must be installed in this "
    "computer's trust store."
)


@cache
def ssl_context() -> ssl.SSLContext:
    """The one context every provider connection uses: certificate and host name checked."""
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def is_tls_failure(err: BaseException) -> bool:
    """Whether ``err`` (an httpx error, whatever the transport under it) comes from a failed TLS
    handshake: an ``ssl.SSLError`` lies under it."""
    return any(isinstance(cause, ssl.SSLError) for cause in causes(err))
