"""One step's model call: stream it, fall back to the route's second model when the first fails
in a way retrying could not fix, and give an invalid JSON answer one chance to be corrected.

Everything the supervisor will want to see is kept on the ``StepOutcome``: the exact messages
sent, the raw answer, thinking, usage, the model that answered, retries, the fallback, the repair.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.config import StepRoute
from app.llm.accumulate import Accumulator
from app.llm.chat import ChatRequest, ReasoningChunk, TextChunk, Waiting
from app.llm.client import LLMClient
from app.llm.errors import LLMError
from app.llm.tokens import count_message_tokens, count_tokens
from app.pipeline.budget import Budget
from app.pipeline.events import (
    PipelineEvent,
    ReasoningDelta,
    StepFallback,
    StepRepair,
    StepWaiting,
    TextDelta,
)
from app.pipeline.steps import StepSpec
from app.pipeline.validate import NOT_JSON

REPAIR_PREFIX = "REPAIR:"

log = logging.getLogger("stepwise.pipeline")


class StepFailure(Exception):
    """A step could not produce its output; carries the plain-language reason."""


@dataclass
class StepOutcome:
    """What one step produced, filled in while its events are yielded."""

    spec: StepSpec
    route: StepRoute
    status: str = "queued"  # done | failed | skipped | cached | kept | cancelled | not run
    answer: Accumulator = field(default_factory=Accumulator)
    model: str = ""
    messages: list[dict[str, str]] = field(default_factory=list)
    budget: Budget | None = None
    data: dict[str, Any] | None = None  # the parsed answer, or what the code made of it
    ttft_s: float | None = None
    started: float = field(default_factory=time.monotonic)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    duration_s: float | None = None
    retries: int = 0
    fallback_used: bool = False
    repaired: bool = False
    error: str | None = None
    skipped_reason: str | None = None
    kept_from: str | None = None
    response_schema: dict[str, Any] | None = None  # sent where the provider enforces it
    input_tokens: int = 0
    output_tokens: int = 0
    tokens_estimated: bool = False
    cost_usd: float | None = None

    @property
    def text(self) -> str:
        return self.answer.text


async def call_step(
    run_id: str,
    outcome: StepOutcome,
    client: Callable[[str], LLMClient],
    check: Callable[[str], tuple[Any, str | None]] | None,
) -> AsyncIterator[PipelineEvent]:
    """Stream the step's answer; ``check`` parses a JSON answer (None for text steps)."""
    spec = outcome.spec
    async for event in _with_fallback(run_id, outcome, client):
        yield event
    if check is None:
        return
    data, problem = check(outcome.text)
    if problem is None:
        outcome.data = data
        return
    yield StepRepair(run_id, spec.name, problem)
    outcome.repaired = True
    first = outcome.text
    outcome.messages = [
        *outcome.messages,
        {"role": "assistant", "content": first},
        {
            "role": "user",
            "content": f"{REPAIR_PREFIX} That answer was not valid: {problem}. Answer again "
            "with the corrected JSON object only, following the rules above.",
        },
    ]
    outcome.answer = Accumulator()
    yield TextDelta(run_id, spec.name, "\n\n— corrected answer —\n")
    async for event in _stream(run_id, outcome, client(spec.name), outcome.model):
        yield event
    data, problem = check(outcome.text)
    if problem is not None:
        # The parser's or the schema's words helped the model; the agent gets plain ones, and
        # the supervisor has the raw answer in the run record.
        log.warning("Step %s is still invalid after a correction: %s", spec.name, problem)
        if problem.startswith(NOT_JSON):
            raise StepFailure(
                "The model's answer was not valid JSON, even after one correction. Retry, or "
                "choose another model for this step in Settings."
            )
        raise StepFailure(
            "The model's answer was not in the form this step needs, even after one correction. "
            "Retry, or choose another model for this step in Settings."
        )
    outcome.data = data


async def _with_fallback(
    run_id: str, outcome: StepOutcome, client: Callable[[str], LLMClient]
) -> AsyncIterator[PipelineEvent]:
    route, name = outcome.route, outcome.spec.name
    models = [route.model]
    if route.fallback_model and route.fallback_model != route.model:
        models.append(route.fallback_model)
    for number, model in enumerate(models):
        outcome.model = model
        try:
            async for event in _stream(run_id, outcome, client(name), model):
                yield event
            return
        except LLMError as err:
            # Only before any text reached the agent, and only for failures another model can
            # help with: a rejected key or a bad request would fail the same way.
            last = number == len(models) - 1
            if last or not err.retryable or outcome.answer.text_parts:
                raise
            outcome.fallback_used = True
            outcome.answer = Accumulator()  # the fallback's answer starts afresh
            yield StepFallback(run_id, name, model, models[number + 1], err.summary)


async def _stream(
    run_id: str, outcome: StepOutcome, client: LLMClient, model: str
) -> AsyncIterator[PipelineEvent]:
    route, spec = outcome.route, outcome.spec
    request = ChatRequest(
        model,
        outcome.messages,
        route.temperature,
        route.max_tokens,
        json_output=spec.output == "json",
        json_schema=outcome.response_schema,
    )
    async with client.stream(request) as events:
        async for event in events:
            outcome.answer.add(event)
            if isinstance(event, TextChunk | ReasoningChunk) and outcome.ttft_s is None:
                outcome.ttft_s = time.monotonic() - outcome.started
            if isinstance(event, TextChunk):
                yield TextDelta(run_id, spec.name, event.text)
            elif isinstance(event, ReasoningChunk) and event.text:
                yield ReasoningDelta(run_id, spec.name, event.text)
            elif isinstance(event, Waiting):
                outcome.retries += event.reason == "retry"
                yield StepWaiting(run_id, spec.name, event.reason, event.seconds, event.describe())
    await _count_usage(outcome, model)


async def _count_usage(outcome: StepOutcome, model: str) -> None:
    """Add this call's tokens: the provider's figures, or counted here when it sent none."""
    usage = outcome.answer.usage
    if usage is not None:
        outcome.input_tokens += usage.input_tokens
        outcome.output_tokens += usage.output_tokens
        return
    # Off the event loop: the tokenizer can take a second to load the first time.
    prompt, output = await asyncio.gather(
        asyncio.to_thread(count_message_tokens, outcome.messages, model),
        asyncio.to_thread(count_tokens, outcome.answer.reasoning + outcome.text, model),
    )
    outcome.input_tokens += prompt
    outcome.output_tokens += output
    outcome.tokens_estimated = True
