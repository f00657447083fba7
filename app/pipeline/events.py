"""Typed events the pipeline emits while it runs a ticket.

The core reports progress only through these (an async iterator of ``PipelineEvent``); the Qt
bridge in ``ui/`` turns them into signals and ``stepwise draft --json`` prints them as JSON lines.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Usage:
    """Token counts of one step. ``estimated`` is True when counted locally with tiktoken
    because the provider sent no usage."""

    input_tokens: int = 0
    output_tokens: int = 0
    estimated: bool = False


@dataclass(frozen=True)
class StepStarted:
    run_id: str
    step: str
    title: str
    model: str


@dataclass(frozen=True)
class TextDelta:
    """A piece of the step's visible output, in stream order."""

    run_id: str
    step: str
    text: str


@dataclass(frozen=True)
class ReasoningDelta:
    """A piece of the model's thinking (``reasoning_content`` and friends), shown apart."""

    run_id: str
    step: str
    text: str


@dataclass(frozen=True)
class StepWaiting:
    """The step's request is held back: a rate-limit budget, or a retry after a failure."""

    run_id: str
    step: str
    reason: str  # "budget" | "retry"
    seconds: float
    message: str  # plain words, e.g. "The provider is rate-limiting us. Retrying in 4 s"


@dataclass(frozen=True)
class StepFinished:
    run_id: str
    step: str
    text: str
    usage: Usage
    duration_s: float
    ttft_s: float | None
    # Structured output: the parsed intent JSON, or the retrieved records with provenance.
    data: dict[str, Any] | None = None


@dataclass(frozen=True)
class StepFailed:
    run_id: str
    step: str
    message: str  # plain words for the agent, never a traceback
    kind: str  # the error class, e.g. "AuthError", "StreamError"
    partial_text: str = ""  # what was streamed before the failure; it is kept


@dataclass(frozen=True)
class RunFinished:
    run_id: str
    ticket_id: str
    ok: bool
    draft: str = ""
    failed_steps: tuple[str, ...] = field(default_factory=tuple)


PipelineEvent = (
    StepStarted | StepWaiting | TextDelta | ReasoningDelta | StepFinished | StepFailed | RunFinished
)

_EVENT_NAMES: dict[type[Any], str] = {
    StepStarted: "step_started",
    StepWaiting: "step_waiting",
    TextDelta: "text_delta",
    ReasoningDelta: "reasoning_delta",
    StepFinished: "step_finished",
    StepFailed: "step_failed",
    RunFinished: "run_finished",
}


def event_to_json(event: PipelineEvent) -> dict[str, Any]:
    """A JSON-ready dict with an ``event`` name first, for ``stepwise draft --json``."""
    return {"event": _EVENT_NAMES[type(event)], **dataclasses.asdict(event)}
