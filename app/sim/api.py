"""The simulator's HTTP API: Starlette routes for OpenAI's API and Anthropic's.

``GET /v1/models``, ``GET /v1/models/{id}`` and ``POST /v1/chat/completions`` with OpenAI's
bearer auth and error bodies (PROTOCOLS.md A2, A6); ``POST /v1/messages`` speaks Anthropic's
Messages API (A3, ``api_anthropic``). Every response carries ``x-stepwise-simulated: true`` so a
client, a proxy log or a curious user can tell it is not a real provider.
"""

from __future__ import annotations

import hmac
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.sim import intake, wire, wire_anthropic
from app.sim.api_anthropic import MESSAGES_PATH, AnthropicApi
from app.sim.content import generate
from app.sim.control import Fault
from app.sim.delivery import Delivery
from app.sim.limits import openai_headers
from app.sim.plan import make_plan, max_tokens, prompt_tokens
from app.sim.state import SimState
from app.sim.ticket import plain_messages


class LabelSimulated:
    """ASGI middleware that marks every response as simulated."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def labelled(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (b"x-stepwise-simulated", b"true")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, labelled)


def build_app(state: SimState) -> ASGIApp:
    api, anthropic = _Api(state), AnthropicApi(state)
    routes = [
        Route("/v1/models", api.models, methods=["GET"]),
        Route("/v1/models/{model_id}", api.model, methods=["GET"]),
        Route("/v1/chat/completions", api.chat, methods=["POST"]),
        Route(MESSAGES_PATH, anthropic.messages, methods=["POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: api.http_error})
    return LabelSimulated(app)


class _Api:
    def __init__(self, state: SimState) -> None:
        self.state = state

    async def http_error(self, request: Request, exc: Exception) -> Response:
        # Unknown paths and methods answer in the provider's shape too, not Starlette's text.
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        message = f"Invalid URL ({request.method} {request.url.path})"
        headers = getattr(exc, "headers", None)
        if request.url.path == MESSAGES_PATH:
            error_type = "not_found_error" if status == 404 else "invalid_request_error"
            response = wire_anthropic.error_response(error_type, message, headers)
            response.status_code = status
            response.headers["request-id"] = wire_anthropic.request_id()
            return response
        return wire.error_response(status, message, headers=headers)

    def _authorized(self, request: Request) -> bool:
        expected = self.state.config.api_key
        if expected is None:
            return True
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), expected)

    async def models(self, request: Request) -> Response:
        if not self._authorized(request):
            return _invalid_key()
        return JSONResponse(wire.models_list())

    async def model(self, request: Request) -> Response:
        if not self._authorized(request):
            return _invalid_key()
        name = request.path_params["model_id"]
        if wire.sim_model(name) is None:
            return _unknown_model(name)
        return JSONResponse(wire.model_object(name))

    async def chat(self, request: Request) -> Response:
        return await intake.handle(self.state, request, self._chat)

    async def _chat(self, request: Request, parsed: Any) -> Response:
        """Checks in the order OpenAI makes them; then the answer."""
        if not self._authorized(request):
            return _invalid_key()
        if not isinstance(parsed, dict):
            return _not_an_object(parsed)
        self.state.record(parsed)
        problem = _invalid(parsed)
        if problem is not None:
            return problem
        messages = plain_messages(parsed["messages"])
        prompt = prompt_tokens(messages, parsed["model"])
        if prompt > wire.CONTEXT_LIMIT:
            return wire.context_error(prompt)
        try:
            asked = intake.header_fault(request)
        except ValueError as err:
            return wire.error_response(400, f"Invalid X-Stepwise-Fault header: {err}")
        return self._answer(parsed, messages, prompt, asked)

    def _answer(
        self, body: dict[str, Any], messages: list[dict[str, str]], prompt: int, asked: Fault | None
    ) -> Response:
        cost = prompt + (max_tokens(body) or 0)  # what OpenAI counts against TPM (A5)
        admission, fault = intake.decide(self.state, asked, messages, cost)
        limits = openai_headers(admission)
        if admission is not None and not admission.admitted:
            return wire.rate_limited(admission, body["model"], cost, limits)
        stream = body.get("stream") is True
        response: Response
        if fault is not None and intake.answers_with_status(fault, stream):
            response = wire.fault_response(fault, body["model"], prompt)
        else:
            options = body.get("stream_options")
            include_usage = isinstance(options, dict) and options.get("include_usage") is True
            answer, fault = intake.apply_content_fault(generate(body), fault)
            response = Delivery(
                make_plan(body, answer, self.state.config, fault, prompt),
                wire.Chunks(body["model"], include_usage),
                stream=stream,
                stopping=self.state.stopping,
                cut=self.state.cut,
            )
        response.headers.update(limits)
        return response


def _not_an_object(parsed: Any) -> JSONResponse:
    """The 400 OpenAI sends for a body that is not a JSON object."""
    if parsed is intake.NOT_JSON:
        return wire.error_response(
            400,
            "We could not parse the JSON body of your request. (HINT: This likely means you "
            "aren't using your HTTP library correctly.)",
        )
    return wire.error_response(400, "The request body must be a JSON object.")


def _invalid_key() -> Response:
    return wire.error_response(401, wire.INVALID_KEY, code="invalid_api_key")


def _unknown_model(name: str) -> Response:
    message = f"The model `{name}` does not exist or you do not have access to it."
    return wire.error_response(404, message, code="model_not_found")


def _invalid(body: dict[str, Any]) -> Response | None:
    """The 400/404 OpenAI answers for a request it cannot run, or None."""
    model, messages = body.get("model"), body.get("messages")
    if not isinstance(model, str) or not model:
        return wire.error_response(400, "you must provide a model parameter")
    if messages is None:
        return wire.error_response(
            400,
            "Missing required parameter: 'messages'.",
            code="missing_required_parameter",
            param="messages",
        )
    if not isinstance(messages, list) or not messages:
        return wire.error_response(
            400,
            "Invalid 'messages': expected a non-empty array of message objects.",
            code="invalid_value",
            param="messages",
        )
    if not all(isinstance(m, dict) and isinstance(m.get("role"), str) for m in messages):
        return wire.error_response(
            400, "Each message needs a string 'role'.", code="invalid_value", param="messages"
        )
    return None if wire.sim_model(model) else _unknown_model(model)
