"""The simulator's HTTP API: an OpenAI-compatible Starlette app.

``GET /v1/models``, ``GET /v1/models/{id}`` and ``POST /v1/chat/completions``, with OpenAI's
bearer auth and error bodies. Every response carries ``x-stepwise-simulated: true`` so a client, a
proxy log or a curious user can tell it is not a real provider.
"""

from __future__ import annotations

import asyncio
import hmac
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.llm.tokens import count_message_tokens, encoding_for_model, get_encoding
from app.sim import wire
from app.sim.content import Completion, generate, pieces
from app.sim.control import STATUS_FAULTS, Fault, FaultQueue, SimConfig, parse_fault_header
from app.sim.delivery import Delivery, Piece, Plan
from app.sim.ticket import detect_step, plain_messages

FAULT_HEADER = "x-stepwise-fault"
MAX_RECORDED = 1000  # request bodies kept for inspection; a long demo must not grow without end


class SimState:
    """What the app shares with the server around it and with the Simulator's owner."""

    def __init__(self, config: SimConfig, faults: FaultQueue, record: bool = True) -> None:
        self.config = config
        self.faults = faults
        self.requests: list[dict[str, Any]] = []
        self._record = record
        self._lock = threading.Lock()
        # Both are replaced by the server for each run, inside its own event loop.
        self.stopping = asyncio.Event()
        self.cut: Callable[[Scope], bool] = lambda scope: False

    def record(self, body: dict[str, Any]) -> None:
        if not self._record:
            return
        with self._lock:
            self.requests.append(body)
            del self.requests[:-MAX_RECORDED]


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
    api = _Api(state)
    routes = [
        Route("/v1/models", api.models, methods=["GET"]),
        Route("/v1/models/{model_id}", api.model, methods=["GET"]),
        Route("/v1/chat/completions", api.chat, methods=["POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: api.http_error})
    return LabelSimulated(app)


class _Api:
    def __init__(self, state: SimState) -> None:
        self.state = state

    async def http_error(self, request: Request, exc: Exception) -> Response:
        # Unknown paths and methods answer in OpenAI's shape too, not Starlette's plain text.
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        message = f"Invalid URL ({request.method} {request.url.path})"
        headers = getattr(exc, "headers", None)
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
        if not self._authorized(request):
            return _invalid_key()
        body = await _json_object(request)
        if isinstance(body, Response):
            return body
        self.state.record(body)
        problem = _invalid(body)
        if problem is not None:
            return problem
        try:
            fault = self._fault(request, body)
        except ValueError as err:
            return wire.error_response(400, f"Invalid X-Stepwise-Fault header: {err}")
        if fault is not None and fault.kind in STATUS_FAULTS:
            return wire.fault_response(fault, body["model"])
        plan = make_plan(body, generate(body), self.state.config, fault)
        return Delivery(
            plan,
            stream=body.get("stream") is True,
            stopping=self.state.stopping,
            cut=self.state.cut,
        )

    def _fault(self, request: Request, body: dict[str, Any]) -> Fault | None:
        """A fault the request asks for in its header, else the first queued one meant for it."""
        header = request.headers.get(FAULT_HEADER)
        if header:
            return parse_fault_header(header)
        return self.state.faults.take(detect_step(plain_messages(body.get("messages"))))


async def _json_object(request: Request) -> dict[str, Any] | Response:
    """The request body as a JSON object, or the 400 OpenAI sends for anything else."""
    try:
        body = await request.json()
    except ValueError:
        return wire.error_response(
            400,
            "We could not parse the JSON body of your request. (HINT: This likely means you "
            "aren't using your HTTP library correctly.)",
        )
    if not isinstance(body, dict):
        return wire.error_response(400, "The request body must be a JSON object.")
    return body


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


def make_plan(
    body: dict[str, Any], answer: Completion, config: SimConfig, fault: Fault | None
) -> Plan:
    """Cut the answer to ``max_tokens``, count usage, and set the pace for ``body["model"]``."""
    model = body["model"]  # echoed back as sent, as providers do
    sim = wire.sim_model(model) or "sim-writer"
    reasoning_model = sim in wire.REASONING_MODELS
    budget = _max_tokens(body)
    thinking = _fit(answer.reasoning if reasoning_model else "", budget, model)
    text = _fit(answer.text, None if budget is None else budget - thinking.tokens, model)
    speed = wire.MODELS[sim]
    options = body.get("stream_options")
    return Plan(
        model=model,
        reasoning=_pieces(thinking.text, model),
        content=_pieces(text.text, model),
        finish_reason="length" if thinking.cut or text.cut else "stop",
        usage=wire.Usage(
            count_message_tokens(plain_messages(body["messages"]), model),
            thinking.tokens + text.tokens,
            thinking.tokens,
        ),
        include_usage=isinstance(options, dict) and options.get("include_usage") is True,
        fault=fault,
        ttft_s=max(config.ttft_ms, 0.0) / 1000 / speed,
        token_s=0.0 if config.tokens_per_s <= 0 else 1 / (config.tokens_per_s * speed),
        reasoning_model=reasoning_model,
    )


def _max_tokens(body: dict[str, Any]) -> int | None:
    value = body.get("max_completion_tokens", body.get("max_tokens"))
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _pieces(text: str, model: str) -> tuple[Piece, ...]:
    # Word-sized pieces stream like a real provider's deltas; their token counts set the pace, so
    # tokens_per_s holds for tokens, not for pieces.
    encoding = get_encoding(encoding_for_model(model))
    return tuple(Piece(p, len(encoding.encode(p, disallowed_special=()))) for p in pieces(text))


class _Fitted(NamedTuple):
    text: str
    tokens: int
    cut: bool


def _fit(text: str, budget: int | None, model: str) -> _Fitted:
    """``text`` cut to ``budget`` tokens (None: no limit), with its token count."""
    encoding = get_encoding(encoding_for_model(model))
    tokens = encoding.encode(text, disallowed_special=())
    if budget is None or len(tokens) <= budget:
        return _Fitted(text, len(tokens), False)
    kept = tokens[: max(budget, 0)]
    return _Fitted(encoding.decode(kept), len(kept), True)
