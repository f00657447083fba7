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
class StepBudget:
    """The prompt as counted before sending: tokens, the model's limit, what was cut to fit."""

    run_id: str
    step: str
    prompt_tokens: int
    limit: int
    pruned: int = 0  # ticket paragraphs left out to fit (a notice in the prompt says so)


@dataclass(frozen=True)
class StepSkipped:
    """The router skipped the step (or a step it needs failed); ``reason`` in plain words."""

    run_id: str
    step: str
    reason: str


@dataclass(frozen=True)
class StepFallback:
    """The step's model failed with an error a retry could not fix; its fallback model runs."""

    run_id: str
    step: str
    from_model: str
    to_model: str
    reason: str


@dataclass(frozen=True)
class StepRepair:
    """The step's JSON answer was invalid; the model is asked once to correct it."""

    run_id: str
    step: str
    problem: str


@dataclass(frozen=True)
class PolicyFlag:
    """A proposal broke a numeric policy limit: the run needs a supervisor's approval."""

    run_id: str
    step: str
    rule: str  # e.g. "refund_agent_cap_usd"
    message: str  # plain words, with the figures
    policy_id: str  # the article the limit comes from


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
    model: str = ""  # the model that answered (the fallback, if it was used)
    cost_usd: float | None = None  # None: no price known for the model
    cached: bool = False  # reused from an identical recent run (no call made)
    kept: bool = False  # kept from the run this one re-runs (no call made)


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
    status: str = "ok"  # "ok" | "failed" | "cancelled"
    needs_approval: bool = False
    flags: tuple[PolicyFlag, ...] = ()
    cost_usd: float | None = None
    cost_estimated: bool = False  # some usage was counted locally, not reported by the provider


PipelineEvent = (
    StepStarted
    | StepBudget
    | StepWaiting
    | StepFallback
    | StepRepair
    | TextDelta
    | ReasoningDelta
    | StepSkipped
    | PolicyFlag
    | StepFinished
    | StepFailed
    | RunFinished
)

_EVENT_NAMES: dict[type[Any], str] = {
    StepStarted: "step_started",
    StepWaiting: "step_waiting",
    StepBudget: "step_budget",
    StepSkipped: "step_skipped",
    StepFallback: "step_fallback",
    StepRepair: "step_repair",
    PolicyFlag: "policy_flag",
    TextDelta: "text_delta",
    ReasoningDelta: "reasoning_delta",
    StepFinished: "step_finished",
    StepFailed: "step_failed",
    RunFinished: "run_finished",
}


def event_to_json(event: PipelineEvent) -> dict[str, Any]:
    """A JSON-ready dict with an ``event`` name first, for ``stepwise draft --json``."""
    return {"event": _EVENT_NAMES[type(event)], **dataclasses.asdict(event)}
