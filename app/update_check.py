"""The opt-in "a new version is available" check (Settings → Agent and look; off by default).

One GET to the releases URL (GitHub's "latest release" API: ``tag_name`` and ``html_url``), at
most five seconds, after the window is up: it never delays start-up, and any failure (offline,
a proxy, a rate limit, an answer we cannot read) only means no notice. Nothing about the user or
their data is sent: the request carries no key and no query, only a User-Agent with the version.

``STEPWISE_RELEASES_URL`` points it elsewhere (a company mirror, tests); it must be https, or
http on this computer.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass

import httpx

from app import __version__
from app.llm.client import check_base_url
from app.llm.errors import ConfigError
from app.llm.tls import ssl_context

log = logging.getLogger("stepwise.update")

RELEASES_URL = "https://api.github.com/repos/stepwise-desk/stepwise/releases/latest"
URL_ENV = "STEPWISE_RELEASES_URL"
TIMEOUT_S = 5.0
_VERSION = re.compile(r"^v?(\d+(?:\.\d+)*)$")


@dataclass(frozen=True)
class Release:
    version: str  # "0.2.0", without the tag's "v"
    url: str  # the release's page, where the installers are


def version_key(text: str) -> tuple[int, ...] | None:
    """``"v1.2.0"`` → ``(1, 2)``: numbers only, trailing zeros dropped; None for anything else
    (a pre-release such as ``"1.3.0rc1"`` is never offered)."""
    found = _VERSION.match(text.strip())
    if found is None:
        return None
    numbers = [int(part) for part in found.group(1).split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def is_newer(latest: str, current: str) -> bool:
    new, now = version_key(latest), version_key(current.split("+")[0])
    return new is not None and now is not None and new > now


def releases_url() -> str:
    return os.environ.get(URL_ENV) or RELEASES_URL


async def newer_release(
    current: str = __version__,
    url: str | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Release | None:
    """The latest release when it is newer than ``current``; None otherwise or on any failure
    (never raises: a check nobody asked to see must not trouble anyone)."""
    try:
        address = check_base_url(url or releases_url())
    except ConfigError as err:
        log.warning("update check skipped: %s", err.user_message)
        return None
    headers = {"Accept": "application/vnd.github+json", "User-Agent": f"Stepwise/{current}"}
    try:
        async with httpx.AsyncClient(
            transport=transport, timeout=TIMEOUT_S, verify=ssl_context(), follow_redirects=False
        ) as http:
            response = await http.get(address, headers=headers)
            response.raise_for_status()
            data = response.json()
        tag, page = str(data["tag_name"]), str(data["html_url"])
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as err:
        log.info("update check: no answer (%s)", type(err).__name__)
        return None
    if not page.startswith("https://") or not is_newer(tag, current):
        return None
    return Release(tag.lstrip("v"), page)
