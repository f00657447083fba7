"""Runs the declared steps on one ticket and yields typed events as they happen.

Step by step: intent (JSON) → retrieval (a model plans look-ups, the store answers) → reasoning →
reply. A failing step yields ``StepFailed`` with plain words and the text streamed so far, and the
run ends there; the run is recorded in the store either way.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.config import Settings
from app.llm.accumulate import Accumulator
from app.llm.chat import ChatRequest, ReasoningChunk, TextChunk, UsageReport, Waiting
from app.llm.client import LLMClient
from app.llm.errors import LLMError
from app.llm.tokens import count_message_tokens, count_tokens
from app.pipeline.events import (
    PipelineEvent,
    ReasoningDelta,
    RunFinished,
    StepFailed,
    StepFinished,
    StepStarted,
    StepWaiting,
    TextDelta,
    Usage,
)
from app.pipeline.messages import build_messages, parse_json_output
from app.pipeline.retrieval import retrieve
from app.pipeline.steps import STEPS, StepSpec
from app.store import Store, StoreError
from app.store.models import Ticket

log = logging.getLogger("stepwise.pipeline")


class StepFailure(Exception):
    """A step could not produce its output; carries the plain-language reason."""


@dataclass
class StepOutcome:
    """What one LLM call produced, filled in while its events are yielded."""

    answer: Accumulator = field(default_factory=Accumulator)
    ttft_s: float | None = None
    started: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        return self.answer.text

    @property
    def reasoning(self) -> str:
        return self.answer.reasoning

    @property
    def usage(self) -> UsageReport | None:
        return self.answer.usage


class Runner:
    def __init__(
        self, store: Store, client: Callable[[str], LLMClient], settings: Settings
    ) -> None:
        self.store = store
        self.client = client  # step name → its provider's client; a bad URL fails in the step
        self.settings = settings
        self.steps: dict[str, StepSpec] = {spec.name: spec for spec in STEPS}

    async def run(self, ticket: Ticket) -> AsyncIterator[PipelineEvent]:
        run_id = uuid.uuid4().hex[:12]
        started_at = _now()
        context: dict[str, Any] = {"agent_name": self.settings.agent_name}
        records: list[dict[str, Any]] = []
        failed: list[str] = []
        for spec in STEPS:
            outcome = StepOutcome()
            model = self.settings.routes[spec.name].model
            yield StepStarted(run_id, spec.name, spec.title, model)
            try:
                messages = build_messages(spec, ticket, context)
                async for event in self._call(run_id, spec, messages, outcome):
                    yield event
                data = self._absorb(spec, ticket, outcome, context)
            except (LLMError, StepFailure, StoreError) as err:
                message = getattr(err, "user_message", None) or str(err)
                yield StepFailed(run_id, spec.name, message, type(err).__name__, outcome.text)
                records.append(_record(spec.name, model, outcome, error=message))
                failed.append(spec.name)
                break
            usage = await self._usage(messages, outcome, model)
            finished = StepFinished(
                run_id,
                spec.name,
                outcome.text,
                usage,
                time.monotonic() - outcome.started,
                outcome.ttft_s,
                data,
            )
            records.append(_record(spec.name, model, outcome, finished=finished))
            yield finished
        draft = "" if failed else context.get("draft", "")
        self._save(run_id, ticket.id, started_at, not failed, draft, records)
        yield RunFinished(run_id, ticket.id, not failed, draft, tuple(failed))

    async def _call(
        self, run_id: str, spec: StepSpec, messages: list[dict[str, str]], outcome: StepOutcome
    ) -> AsyncIterator[PipelineEvent]:
        route = self.settings.routes[spec.name]
        request = ChatRequest(
            route.model, messages, route.temperature, route.max_tokens, spec.output == "json"
        )
        async with self.client(spec.name).stream(request) as events:
            async for event in events:
                outcome.answer.add(event)
                if isinstance(event, TextChunk | ReasoningChunk) and outcome.ttft_s is None:
                    outcome.ttft_s = time.monotonic() - outcome.started
                if isinstance(event, TextChunk):
                    yield TextDelta(run_id, spec.name, event.text)
                elif isinstance(event, ReasoningChunk) and event.text:
                    yield ReasoningDelta(run_id, spec.name, event.text)
                elif isinstance(event, Waiting):
                    yield StepWaiting(
                        run_id, spec.name, event.reason, event.seconds, event.describe()
                    )

    def _absorb(
        self, spec: StepSpec, ticket: Ticket, outcome: StepOutcome, context: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Turn a step's answer into context for the next steps; returns the panel's data."""
        if spec.output == "text":
            context[spec.result_key] = outcome.text
            return None
        try:
            parsed = parse_json_output(outcome.text)
        except ValueError as err:
            raise StepFailure(f"The model's answer was not valid JSON ({err}).") from err
        context[spec.result_key] = parsed
        if isinstance(parsed.get("language"), str):
            context.setdefault("language", parsed["language"])
        if not spec.grounded:
            return parsed
        facts = retrieve(self.store, ticket, context.get("intent") or {}, parsed)
        context.update(facts)
        return {"plan": parsed, **facts}

    async def _usage(
        self, messages: list[dict[str, str]], outcome: StepOutcome, model: str
    ) -> Usage:
        if outcome.usage is not None:
            return Usage(outcome.usage.input_tokens, outcome.usage.output_tokens)
        # The provider sent no usage: count locally, off the event loop (the tokenizer can take
        # a second to load the first time).
        prompt, output = await asyncio.gather(
            asyncio.to_thread(count_message_tokens, messages, model),
            asyncio.to_thread(count_tokens, outcome.reasoning + outcome.text, model),
        )
        return Usage(prompt, output, estimated=True)

    def _save(
        self,
        run_id: str,
        ticket_id: str,
        started_at: str,
        ok: bool,
        draft: str,
        steps: list[dict[str, Any]],
    ) -> None:
        try:
            self.store.record_run(run_id, ticket_id, started_at, _now(), ok, draft, steps)
        except StoreError:
            log.exception("Could not record run %s", run_id)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _record(
    step: str,
    model: str,
    outcome: StepOutcome,
    *,
    finished: StepFinished | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """One run_steps row: a finished step, or (no ``finished``) a failed one."""
    usage = finished.usage if finished else Usage()
    duration = finished.duration_s if finished else time.monotonic() - outcome.started
    return {
        "step": step,
        "model": model,
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "tokens_estimated": usage.estimated,
        "duration_s": duration,
        "ttft_s": outcome.ttft_s,
        "status": "done" if finished else "failed",
        "output_text": outcome.text,
        "error": error,
    }
