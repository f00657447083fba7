"""``POST /v1/messages``: Anthropic's Messages API over the same answers (PROTOCOLS.md A3).

The request is checked as Anthropic checks it: the key (``x-api-key``, or a bearer token as the
anthropic SDK 2.x sends it; the simulator's one key either way), a required
``anthropic-version``, then the body (``anthropic_checks``). The conversation (top-level
``system`` plus ``messages``) becomes the plain message list the generator reads, so both APIs
give the same text, reasoning, pace, faults and rate limits for the same conversation. Every
response carries a ``request-id``.
"""

from __future__ import annotations

import hmac
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.sim import intake, wire_anthropic
from app.sim.anthropic_checks import invalid
from app.sim.content import generate
from app.sim.control import Fault
from app.sim.delivery import Delivery
from app.sim.limits import anthropic_headers
from app.sim.plan import make_plan, prompt_tokens
from app.sim.state import SimState
from app.sim.ticket import flatten, plain_messages
from app.sim.wire_anthropic import invalid_request

MESSAGES_PATH = "/v1/messages"
VERSION_HEADER = "anthropic-version"
_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # dated versions: 2023-06-01, 2026-10-21 (A3)


def conversation(body: dict[str, Any]) -> list[dict[str, str]]:
    """The request as plain chat messages: ``system`` first, as a system message."""
    system = flatten(body.get("system"))
    lead = [{"role": "system", "content": system}] if system else []
    return lead + plain_messages(body["messages"])


def _given_key(request: Request) -> str | None:
    """The key from ``x-api-key`` (A3), else from ``Authorization: Bearer``.

    The anthropic SDK 2.14 sends ``api_key`` as a bearer token (``anthropic/_client.py:
    _api_key_auth``), so the API must take both for the official SDK to work at all.
    """
    key = request.headers.get("x-api-key")
    if key is None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        key = token if scheme.lower() == "bearer" else None
    return None if key is None else key.strip()


class AnthropicApi:
    def __init__(self, state: SimState) -> None:
        self.state = state

    async def messages(self, request: Request) -> Response:
        return await intake.handle(self.state, request, self._messages)

    async def _messages(self, request: Request, parsed: Any) -> Response:
        response = await self._checked(request, parsed)
        response.headers["request-id"] = wire_anthropic.request_id()
        return response

    async def _checked(self, request: Request, parsed: Any) -> Response:
        """Checks in the order Anthropic makes them; then the answer."""
        problem = self._rejected(request)
        if problem is not None:
            return problem
        if not isinstance(parsed, dict):
            return invalid_request("The request body is not a valid JSON object.")
        self.state.record(parsed)
        problem = invalid(parsed, request.headers[VERSION_HEADER])
        if problem is not None:
            return problem
        messages = conversation(parsed)
        prompt = prompt_tokens(messages, parsed["model"])
        if prompt > wire_anthropic.CONTEXT_LIMIT:
            return wire_anthropic.context_error(prompt)
        try:
            asked = intake.header_fault(request)
        except ValueError as err:
            return invalid_request(f"Invalid X-Stepwise-Fault header: {err}")
        return self._answer(parsed, messages, prompt, asked)

    def _rejected(self, request: Request) -> Response | None:
        """The 401 for a missing or wrong key, the 400 for a missing or malformed version."""
        expected, given = self.state.config.api_key, _given_key(request)
        if expected is not None and given is None:
            return wire_anthropic.error_response(
                "authentication_error", "x-api-key header is required"
            )
        if expected is not None and not hmac.compare_digest(given or "", expected):
            return wire_anthropic.error_response("authentication_error", "invalid x-api-key")
        version = request.headers.get(VERSION_HEADER)
        if not version:
            return invalid_request(f"{VERSION_HEADER}: header is required")
        if not _VERSION.match(version):
            return invalid_request(f"{VERSION_HEADER}: {version!r} is not a valid version")
        return None

    def _answer(
        self, body: dict[str, Any], messages: list[dict[str, str]], prompt: int, asked: Fault | None
    ) -> Response:
        cost = prompt + body["max_tokens"]  # counted at arrival, like OpenAI's TPM (A5)
        admission, fault = intake.decide(self.state, asked, messages, cost)
        limits = anthropic_headers(admission)
        if admission is not None and not admission.admitted:
            return wire_anthropic.rate_limited(admission, limits)
        stream = body.get("stream") is True
        response: Response
        if fault is not None and intake.answers_with_status(fault, stream):
            response = wire_anthropic.fault_response(fault, prompt)
        else:
            # The generator and the planner read the plain chat shape; max_tokens cuts the same.
            chat = {"model": body["model"], "messages": messages, "max_tokens": body["max_tokens"]}
            answer, fault = intake.apply_content_fault(generate(chat), fault)
            response = Delivery(
                make_plan(chat, answer, self.state.config, fault, prompt),
                wire_anthropic.Events(body["model"], prompt),
                stream=stream,
                stopping=self.state.stopping,
                cut=self.state.cut,
            )
        response.headers.update(limits)
        return response
