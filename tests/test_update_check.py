"""The opt-in update check: a newer release is offered, anything else (the same version, a
pre-release, an error, an answer it cannot read, an unsafe address) quietly offers nothing. No
network: every answer comes from an httpx MockTransport."""

from __future__ import annotations

import json

import httpx
import pytest

from app.config import Settings
from app.update_check import RELEASES_URL, Release, is_newer, newer_release, version_key


def answering(status: int, body: object) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return httpx.Response(status, content=content)

    return httpx.MockTransport(handler), seen


LATEST = {
    "tag_name": "v0.3.0",
    "html_url": "https://github.com/stepwise-desk/stepwise/releases/v0.3.0",
}


def test_versions_compare_by_their_numbers() -> None:
    assert version_key("v1.2.0") == (1, 2) == version_key("1.2")
    assert version_key("1.3.0rc1") is None and version_key("latest") is None
    assert is_newer("v0.10.0", "0.9.1") and is_newer("0.2", "0.1.0+checkout")
    assert not is_newer("v0.1.0", "0.1") and not is_newer("0.2.0-beta", "0.1.0")


@pytest.mark.asyncio
async def test_a_newer_release_is_offered_with_its_page() -> None:
    transport, seen = answering(200, LATEST)
    found = await newer_release("0.1.0", transport=transport)
    assert found == Release("0.3.0", LATEST["html_url"])
    [request] = seen
    assert str(request.url) == RELEASES_URL
    # Nothing about the user goes out: no key, no cookie, no query; only the version.
    assert request.url.query == b"" and "authorization" not in request.headers
    assert request.headers["user-agent"] == "Stepwise/0.1.0"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, {"tag_name": "v0.1.0", "html_url": LATEST["html_url"]}),  # the same version
        (200, {"tag_name": "v0.4.0rc1", "html_url": LATEST["html_url"]}),  # a pre-release
        (200, {"tag_name": "v0.4.0", "html_url": "javascript:alert(1)"}),  # not a web page
        (200, {"name": "no tag"}),
        (200, b"<html>captive portal</html>"),
        (200, b"[1, 2]"),
        (403, {"message": "API rate limit exceeded"}),
        (500, b""),
    ],
    ids=["same", "pre-release", "not-https", "no-tag", "html", "list", "rate-limited", "500"],
)
async def test_anything_else_offers_nothing_and_never_raises(status: int, body: object) -> None:
    transport, _ = answering(status, body)
    assert await newer_release("0.1.0", transport=transport) is None


@pytest.mark.asyncio
async def test_an_unreachable_page_offers_nothing() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    assert await newer_release("0.1.0", transport=httpx.MockTransport(refuse)) is None


@pytest.mark.asyncio
async def test_an_unsafe_releases_address_is_not_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    transport, seen = answering(200, LATEST)
    monkeypatch.setenv("STEPWISE_RELEASES_URL", "http://updates.example.com/latest")
    assert await newer_release("0.1.0", transport=transport) is None
    assert seen == []


def test_the_check_is_off_unless_asked_for() -> None:
    assert Settings().check_updates is False
    assert Settings.from_json({}).check_updates is False
    assert Settings.from_json({"check_updates": "yes"}).check_updates is False  # only true
    assert Settings.from_json({"check_updates": True}).check_updates is True
    assert Settings.from_json(Settings(check_updates=True).to_json()).check_updates is True
