"""Settings → Test connection: one tiny real request, and a verdict in plain words.

OpenAI-compatible providers are asked ``GET {base}/models`` (free, and it proves the URL and the
key); Anthropic's native API gets a one-token message instead, which also proves the model name.
Nothing is retried and no redirect is followed (DESIGN.md: no credentials sent elsewhere); TLS
verification stays on, and plain http:// is refused for anything but this computer.

The result is a ``Verdict``: ``ok``, a ``kind`` for code and tests (one of ``KINDS``) and a
``message`` an agent can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from app.llm.adapter import Adapter
from app.llm.anthropic import AnthropicAdapter
from app.llm.chat import ChatRequest
from app.llm.client import check_base_url
from app.llm.errors import ConfigError, error_fields
from app.llm.openai_compat import OpenAIAdapter
from app.llm.tls import is_tls_failure, ssl_context
from app.logs import install_redaction

TIMEOUT_S = 10.0
CONNECT_TIMEOUT_S = 5.0
PING = [{"role": "user", "content": "ping"}]

KINDS = (
    "ok",
    "no_key",
    "bad_url",
    "insecure_http",
    "key_rejected",
    "not_found",
    "model_not_found",
    "not_an_api",
    "redirect",
    "billing",
    "rate_limited",
    "server_error",
    "error",
    "cannot_connect",
    "timeout",
    "tls",
)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    kind: str  # one of KINDS
    message: str  # plain words for the agent
    models: tuple[str, ...] = ()  # what GET /models listed, when it was asked


def _fail(kind: str, message: str) -> Verdict:
    return Verdict(False, kind, message)


async def check_connection(
    base_url: str,
    api_key: str | None,
    adapter: str = "openai",
    *,
    model: str = "",
    needs_key: bool = True,
    timeout_s: float = TIMEOUT_S,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Verdict:
    """Ask the provider at ``base_url`` one small question; never raises for network trouble."""
    try:
        base = check_base_url(base_url.strip())
    except ConfigError as err:
        kind = "insecure_http" if base_url.strip().startswith("http://") else "bad_url"
        return _fail(kind, err.user_message)
    if needs_key and not api_key:
        return _fail("no_key", "Enter the API key first: this provider needs one.")
    install_redaction()  # a key travels below: no log record may carry it
    timeout = httpx.Timeout(timeout_s, connect=min(CONNECT_TIMEOUT_S, timeout_s))
    async with httpx.AsyncClient(
        transport=transport, timeout=timeout, follow_redirects=False, verify=ssl_context()
    ) as http:
        try:
            if adapter == "anthropic":
                return await _one_token(http, AnthropicAdapter(), base, api_key, model)
            return await _list_models(http, base, api_key)
        except httpx.TimeoutException:
            return _fail(
                "timeout", f"The provider at {base} did not answer within {timeout_s:g} s."
            )
        except httpx.TransportError as err:
            return _transport_verdict(err, base)


async def _list_models(http: httpx.AsyncClient, base: str, key: str | None) -> Verdict:
    headers = OpenAIAdapter().headers(key) if key else {}
    headers["Accept"] = "application/json"
    response = await http.get(f"{base}/models", headers=headers)
    if not response.is_success:
        return _status_verdict(response, base, "")
    try:
        data: Any = orjson.loads(response.content)
        models = tuple(str(item["id"]) for item in data["data"])
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return _fail(
            "not_an_api",
            f"Something answered at {base}, but not an OpenAI-compatible API. "
            "Check the base URL (it usually ends in /v1).",
        )
    count = f"{len(models)} model{'' if len(models) == 1 else 's'}"
    who = "The key works and the provider" if key else "The server"
    return Verdict(True, "ok", f"Connected. {who} offers {count}.", models)


async def _one_token(
    http: httpx.AsyncClient, adapter: Adapter, base: str, key: str | None, model: str
) -> Verdict:
    if not model:
        return _fail("error", "Enter a model for the reply step first: the test asks it one word.")
    body = adapter.body(ChatRequest(model, PING, temperature=None, max_tokens=1))
    headers = {**adapter.headers(key or ""), "Content-Type": "application/json"}
    request = http.build_request(
        "POST", adapter.url(base), content=orjson.dumps(body), headers=headers
    )
    response = await http.send(request, stream=True)
    try:
        if not response.is_success:
            await response.aread()
            return _status_verdict(response, base, model)
    finally:
        await response.aclose()  # the one token itself is not needed
    return Verdict(True, "ok", f"Connected. The key works and {model} answered.")


def _status_verdict(response: httpx.Response, base: str, model: str) -> Verdict:
    status = response.status_code
    detail, code = error_fields(response.content)
    said = f" The provider said: {detail}" if detail and len(detail) < 300 else ""
    if status in (401, 403):
        what = "rejected the API key" if status == 401 else "refused this API key access"
        return _fail(
            "key_rejected",
            f"The provider {what}. Check the key, and that it belongs to this provider.{said}",
        )
    if status == 404:
        if model and (code == "model_not_found" or model in detail or "model" in detail.lower()):
            return _fail("model_not_found", f"The provider does not know the model {model}.{said}")
        return _fail(
            "not_found",
            f"Nothing answers at {response.request.url}: check the base "
            "URL (for most providers it ends in /v1).",
        )
    if 300 <= status < 400:
        where = response.headers.get("location", "another address")
        return _fail("redirect", f"The provider sent us to {where}; use that as the base URL.")
    if status == 402:
        return _fail("billing", f"The key works, but the account is out of credits.{said}")
    if status == 429:
        return _fail(
            "rate_limited",
            f"The key works, but the provider is rate-limiting it right "
            f"now. Try again in a minute.{said}",
        )
    if status >= 500:
        return _fail(
            "server_error", f"The provider had a problem (HTTP {status}). Try again later.{said}"
        )
    return _fail("error", f"The provider refused the test request (HTTP {status}).{said}")


def _transport_verdict(err: httpx.TransportError, base: str) -> Verdict:
    if is_tls_failure(err):
        return _fail(
            "tls",
            f"The secure connection to {base} failed (TLS): the server's "
            "certificate was not accepted, or it does not speak https.",
        )
    return _fail(
        "cannot_connect",
        f"Could not connect to {base}. Check the address, your "
        "network, and that the server is running.",
    )
