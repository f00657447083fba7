"""TLS to the provider: verified against the system's trust store, never turned off.

An HTTPS provider on loopback with a certificate from a throw-away authority (``trustme``): the
client refuses it in plain words and does not retry; once the authority is in the system trust
store (on Linux: the file OpenSSL's ``SSL_CERT_FILE`` names, which ``truststore`` reads), the same
client streams from it, with no setting changed. That is how a company's TLS-inspecting proxy
works: its root certificate is installed on the computer, and Stepwise honours it.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from aiohttp import web

from app.connection_test import check_connection
from app.llm.chat import ChatRequest, TextChunk, Waiting
from app.llm.client import LLMClient
from app.llm.errors import TLSFailure
from app.llm.tls import ssl_context

ROOT = Path(__file__).resolve().parents[2]
REQUEST = ChatRequest("model", [{"role": "user", "content": "Hi"}], max_tokens=20)
STREAM = (
    b'data: {"choices":[{"index":0,"delta":{"content":"Hello"}}]}\n\n'
    b'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'
    b"data: [DONE]\n\n"
)


class HttpsProvider:
    """A provider answering chat completions over HTTPS, on its own thread and loop."""

    def __init__(self, certificate: trustme.LeafCert) -> None:
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(self.context)
        self.requests = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        if request.path.endswith("/models"):
            return web.json_response({"data": [{"id": "model"}]})
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await response.write(STREAM)
        await response.write_eof()
        return response

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._answer)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self.context)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())
        self._loop.close()

    def __enter__(self) -> HttpsProvider:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}/v1"


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def provider(authority: trustme.CA) -> Iterator[HttpsProvider]:
    with HttpsProvider(authority.issue_cert("127.0.0.1")) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh_context() -> Iterator[None]:
    """Each test builds the shared context anew: trust loaded in one must not leak to another."""
    ssl_context.cache_clear()
    yield
    ssl_context.cache_clear()


@pytest.fixture
def trusted(authority: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The authority installed in the system trust store, as an administrator would."""
    bundle = tmp_path / "system-roots.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


async def stream(provider: HttpsProvider) -> list[object]:
    client = LLMClient(provider.base_url, lambda: "sk-test")
    try:
        async with client.stream(REQUEST) as events:
            return [event async for event in events]
    finally:
        await client.aclose()


@pytest.mark.asyncio
async def test_an_untrusted_certificate_is_refused_in_plain_words_without_retrying(
    provider: HttpsProvider,
) -> None:
    before = provider.requests
    with pytest.raises(TLSFailure) as failure:
        await stream(provider)
    assert "certificate was not accepted" in failure.value.user_message
    assert "trust store" in failure.value.user_message
    assert not failure.value.retryable
    assert provider.requests == before  # the handshake failed: no request reached it


@pytest.mark.asyncio
async def test_a_certificate_from_the_system_trust_store_is_accepted(
    provider: HttpsProvider, trusted: None
) -> None:
    events = await stream(provider)
    assert not [event for event in events if isinstance(event, Waiting)]
    text = "".join(event.text for event in events if isinstance(event, TextChunk))
    assert text == "Hello"


@pytest.mark.asyncio
async def test_the_connection_test_names_tls_as_the_problem(provider: HttpsProvider) -> None:
    verdict = await check_connection(provider.base_url, "sk-test")
    assert not verdict.ok and verdict.kind == "tls"


@pytest.mark.asyncio
async def test_the_connection_test_passes_with_the_authority_trusted(
    provider: HttpsProvider, trusted: None
) -> None:
    verdict = await check_connection(provider.base_url, "sk-test")
    assert verdict.ok, verdict.message


def test_the_context_always_verifies() -> None:
    context = ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2


# Ways Python code turns certificate checks off; none may appear in the product.
UNVERIFIED = re.compile(
    r"verify\s*=\s*False|CERT_NONE|check_hostname\s*=\s*False|_create_unverified_context"
    r"|ssl\s*=\s*False|PYTHONHTTPSVERIFY"
)


def test_no_code_in_the_product_turns_verification_off() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("app", "ui")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNVERIFIED.search(line)
    ]
    assert found == []
