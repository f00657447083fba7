"""What a run leaves for the supervisor: the run row and one row per step, as the store takes them.

Everything the agent did not see is here too: the exact messages sent, the raw and parsed
answers, thinking, route, retries, fallback, repair, cache hits, budget, cost. Never a key: routes
carry the provider's name and URL only.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from app.config import Settings
from app.pipeline.call import StepOutcome
from app.pipeline.events import RunFinished

if TYPE_CHECKING:
    from app.pipeline.runner import Rerun


def run_fields(finished: RunFinished, settings: Settings, rerun: Rerun | None) -> dict[str, Any]:
    """The run row beyond its id, ticket, times, ok and draft (``Store.record_run`` keywords)."""
    return {
        "status": finished.status,
        "needs_approval": finished.needs_approval,
        "flags_json": [
            {"rule": f.rule, "message": f.message, "step": f.step, "policy_id": f.policy_id}
            for f in finished.flags
        ],
        "cost_usd": finished.cost_usd,
        "cost_estimated": finished.cost_estimated,
        "rerun_of": rerun.run_id if rerun else None,
        "from_step": rerun.from_step if rerun else None,
        "config_json": {
            "routes": {name: asdict(route) for name, route in settings.routes.items()},
            "providers": {
                name: {"base_url": p.base_url, "adapter": p.adapter}
                for name, p in settings.providers.items()
            },
            "skip_simple": settings.skip_simple,
        },
        "agent_name": settings.agent_name,
    }


def step_record(outcome: StepOutcome, run_status: str) -> dict[str, Any]:
    status, reason = outcome.status, outcome.skipped_reason
    if status in ("queued", "not run"):  # never started: the run ended, or a step it needs failed
        status = "skipped"
        reason = reason or "Not run: the run was stopped before this step started."
    elif status == "running":
        status = "cancelled" if run_status == "cancelled" else "failed"
    return {
        "step": outcome.spec.name,
        "status": status,
        "model": outcome.model,
        "route_json": asdict(outcome.route) | {"model": outcome.model},
        "started_at": outcome.started_at,
        "input_tokens": outcome.input_tokens,
        "output_tokens": outcome.output_tokens,
        "tokens_estimated": outcome.tokens_estimated,
        "cost_usd": outcome.cost_usd,
        "duration_s": outcome.duration_s,
        "ttft_s": outcome.ttft_s,
        "messages_json": outcome.messages,
        "output_text": outcome.text,
        "raw_output": outcome.text,
        "parsed_json": outcome.data,
        "reasoning_text": outcome.answer.reasoning,
        "retries": outcome.retries,
        "fallback_used": outcome.fallback_used,
        "repaired": outcome.repaired,
        "cache_hit": outcome.status == "cached",
        "kept_from": outcome.kept_from,
        "skipped_reason": reason,
        "prompt_tokens": outcome.budget.prompt_tokens if outcome.budget else None,
        "pruned_messages": outcome.budget.pruned if outcome.budget else 0,
        "error": outcome.error,
    }
