"""Runs the declared steps on one ticket and yields typed events as they happen.

Each step is a task that starts as soon as what it ``needs`` is done, so steps that do not depend
on each other run at the same time (the retrieval planner alongside intent); their events are
merged into one stream in the order they happen. A failing step yields ``StepFailed`` with plain
words and the text streamed so far; the steps that needed it are not run. Closing the stream
cancels every step still running. Every run is recorded, whole, whatever its end: the record is
written when the stream closes, just after ``RunFinished`` (or on an early close).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from app.config import Settings
from app.llm.client import LLMClient
from app.llm.errors import LLMError
from app.pipeline import policy, router
from app.pipeline.cache import StepCache, cache_key, normalise
from app.pipeline.call import StepFailure, StepOutcome, call_step
from app.pipeline.costs import Price, PriceTable
from app.pipeline.events import (
    PipelineEvent,
    PolicyFlag,
    RunFinished,
    StepBudget,
    StepFailed,
    StepFinished,
    StepSkipped,
    StepStarted,
    TextDelta,
    Usage,
)
from app.pipeline.messages import build_messages
from app.pipeline.records import run_fields, step_record
from app.pipeline.retrieval import Named, covers, look_up_named, retrieve
from app.pipeline.steps import STEPS, StepSpec
from app.pipeline.validate import check_answer, schema
from app.store import Store, StoreError
from app.store.models import Ticket

log = logging.getLogger("stepwise.pipeline")


@dataclass(frozen=True)
class Rerun:
    """Run again from ``from_step``: the steps declared before it are kept from ``run_id``."""

    run_id: str
    from_step: str
    models: dict[str, str] = field(default_factory=dict)  # step → model for this run only
    # The agent's words for the re-run step ("shorter", "in Spanish"): quoted in its CONTEXT
    # block under "instruction", as the agent's, never the customer's.
    instruction: str = ""


@dataclass
class _Run:
    id: str
    ticket: Ticket
    context: dict[str, Any]
    outcomes: dict[str, StepOutcome]
    done: dict[str, asyncio.Event]
    queue: asyncio.Queue[PipelineEvent | None]
    use_cache: bool
    named: asyncio.Task[Named] = field(init=False)  # what the ticket names, looked up meanwhile
    flags: list[PolicyFlag] = field(default_factory=list)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    @property
    def day(self) -> date:
        return date.fromisoformat(self.ticket.received_at[:10])


class Runner:
    def __init__(
        self,
        store: Store,
        client: Callable[[str], LLMClient],
        settings: Settings,
        *,
        cache: StepCache | None = None,
        prices: PriceTable | None = None,
        steps: tuple[StepSpec, ...] = STEPS,
    ) -> None:
        self.store = store
        self.client = client  # step name → its provider's client; a bad URL fails in the step
        self.settings = settings
        self.cache = cache or StepCache(settings.cache_ttl_s)
        self.prices = prices or PriceTable(
            {m: Price(p["input"], p["output"]) for m, p in settings.prices.items()}
        )
        self.steps = steps
        self._running: dict[tuple[str, str], asyncio.Task[None]] = {}  # (run id, step) → task

    def cancel_step(self, run_id: str, step: str) -> bool:
        """Stop one step of a running run; the steps that need it are not run. False if that
        step is not running (already finished, or no such run)."""
        task = self._running.get((run_id, step))
        if task is None or task.done():
            return False
        task.cancel()
        return True

    async def run(
        self, ticket: Ticket, *, rerun: Rerun | None = None, use_cache: bool = True
    ) -> AsyncIterator[PipelineEvent]:
        run = _Run(
            id=uuid.uuid4().hex[:12],
            ticket=ticket,
            context={
                "agent_name": self.settings.agent_name,
                "signature": self.settings.signature.strip() or None,
                "instruction": rerun.instruction.strip() or None if rerun else None,
            },
            outcomes={spec.name: self._outcome(spec, rerun) for spec in self.steps},
            done={spec.name: asyncio.Event() for spec in self.steps},
            queue=asyncio.Queue(),
            use_cache=use_cache,
        )
        kept = self._kept(rerun)
        tasks = [asyncio.create_task(self._step(run, spec, kept)) for spec in self.steps]
        # What the ticket names is looked up while the first calls are on their way, not
        # before they are sent.
        run.named = asyncio.create_task(self._look_up_named(ticket))
        self._running.update({(run.id, s.name): t for s, t in zip(self.steps, tasks, strict=True)})
        status = "cancelled"
        try:
            remaining = len(tasks)
            while remaining:
                event = await run.queue.get()
                if event is None:
                    remaining -= 1
                else:
                    yield event
            statuses = {o.status for o in run.outcomes.values()}
            status = next((s for s in ("cancelled", "failed") if s in statuses), "ok")
            # The agent sees the end at once; the record is written as the stream closes
            # (~3 ms of durable SQLite write that would otherwise delay the draft).
            yield self._finished(run, status)
        finally:
            waiting = [*tasks, run.named]
            for task in waiting:
                task.cancel()
            await asyncio.gather(*waiting, return_exceptions=True)
            for spec in self.steps:
                self._running.pop((run.id, spec.name), None)
            self._save(run, status, rerun)

    async def _look_up_named(self, ticket: Ticket) -> Named:
        return look_up_named(self.store, ticket)

    # --- one step ---

    def _outcome(self, spec: StepSpec, rerun: Rerun | None) -> StepOutcome:
        route = self.settings.routes[spec.name]
        if rerun and spec.name in rerun.models:
            route = replace(route, model=rerun.models[spec.name], fallback_model="")
        return StepOutcome(spec, route, model=route.model)

    def _kept(self, rerun: Rerun | None) -> dict[str, dict[str, Any]]:
        if rerun is None:
            return {}
        names = [spec.name for spec in self.steps]
        before = set(names[: names.index(rerun.from_step)])
        recorded = self.store.step_outputs(rerun.run_id)
        # A step that failed, was stopped or never ran in that run is run afresh, not kept.
        usable = ("done", "cached", "kept", "skipped")
        return {
            name: recorded[name]
            for name in before
            if name in recorded and recorded[name].get("status") in usable
        }

    async def _step(self, run: _Run, spec: StepSpec, kept: dict[str, dict[str, Any]]) -> None:
        outcome = run.outcomes[spec.name]
        try:
            if spec.name in kept:
                await self._keep(run, spec, kept[spec.name])
            elif await self._ready(run, spec):
                await self._execute(run, spec)
        except asyncio.CancelledError:
            if outcome.status != "running":
                raise  # the whole run is closing: nothing to report
            outcome.status = "cancelled"
            outcome.duration_s = time.monotonic() - outcome.started
            # One step stopped by the agent: say so in its panel; the others go on.
            run.queue.put_nowait(
                StepFailed(
                    run.id,
                    spec.name,
                    "Stopped. The text so far is kept.",
                    "StepCancelled",
                    outcome.text,
                )
            )
        except (LLMError, StepFailure, StoreError) as err:
            message = getattr(err, "user_message", None) or str(err)
            outcome.status, outcome.error = "failed", message
            outcome.duration_s = time.monotonic() - outcome.started
            await run.queue.put(
                StepFailed(run.id, spec.name, message, type(err).__name__, outcome.text)
            )
        finally:
            run.done[spec.name].set()
            run.queue.put_nowait(None)

    async def _ready(self, run: _Run, spec: StepSpec) -> bool:
        """Wait for what the step needs; False (and the step is not run) if any of it failed."""
        for name in spec.needs:
            await run.done[name].wait()
        missing = [
            n for n in spec.needs if run.outcomes[n].status in ("failed", "not run", "cancelled")
        ]
        if missing:
            outcome = run.outcomes[spec.name]
            outcome.status = "not run"
            outcome.skipped_reason = f"Not run: the {missing[0]} step did not finish."
            await run.queue.put(StepSkipped(run.id, spec.name, outcome.skipped_reason))
            return False
        return True

    async def _execute(self, run: _Run, spec: StepSpec) -> None:
        outcome = run.outcomes[spec.name]
        reason = router.skip_reason(spec.skip_rule, run.context, self.settings.skip_simple)
        if reason is not None:
            outcome.status, outcome.skipped_reason = "skipped", reason
            await run.queue.put(StepSkipped(run.id, spec.name, reason))
            return
        outcome.status = "running"
        outcome.started = time.monotonic()
        await run.queue.put(StepStarted(run.id, spec.name, spec.title, outcome.model))
        if spec.grounded and outcome.model.lower() in ("", "none"):
            # No planner model configured: look up what the ticket and intent name, nothing more.
            outcome.data, cached = {}, None
        else:
            cached = await self._call(run, spec, outcome)
        early = None
        if spec.grounded and not all(run.done[name].is_set() for name in spec.joins):
            # Look up what the plan names while the joined steps still run; after them, only
            # what they add is looked up (usually nothing), off the critical path.
            early = retrieve(self.store, run.ticket, {}, outcome.data or {}, await run.named)
        for name in spec.joins:
            await run.done[name].wait()
        await self._absorb(run, spec, outcome, early)
        await self._finish(run, outcome, cached=cached is not None)

    async def _call(self, run: _Run, spec: StepSpec, outcome: StepOutcome) -> dict[str, Any] | None:
        """The step's model call (or its cached answer, which is returned)."""
        outcome.messages, outcome.budget = build_messages(
            spec,
            run.ticket,
            run.context,
            model=outcome.model,
            max_tokens=outcome.route.max_tokens,
        )
        budget = outcome.budget
        await run.queue.put(
            StepBudget(run.id, spec.name, budget.prompt_tokens, budget.limit, budget.pruned)
        )
        key = self._cache_key(run, outcome)
        cached = self.cache.get(key) if run.use_cache else None
        if cached is not None:
            self._from_cache(outcome, cached)
            await run.queue.put(TextDelta(run.id, spec.name, outcome.text))
        else:
            check = None
            if spec.output == "json":
                check = self._checker(spec, run)
                if spec.schema and self.settings.provider_for(spec.name).json_schema:
                    # Not strict: OpenAI's strict mode wants every key required and no extras.
                    body = {"name": spec.name, "schema": schema(spec.schema), "strict": False}
                    outcome.response_schema = body
            async for event in call_step(run.id, outcome, self.client, check):
                await run.queue.put(event)
            self.cache.put(key, self._to_cache(outcome))
        return cached

    def _checker(self, spec: StepSpec, run: _Run) -> Callable[[str], tuple[Any, str | None]]:
        return lambda text: check_answer(text, spec.schema, run.day)

    async def _keep(self, run: _Run, spec: StepSpec, recorded: dict[str, Any]) -> None:
        """A re-run keeps this step's recorded answer; the context is rebuilt from it."""
        outcome = run.outcomes[spec.name]
        outcome.kept_from = recorded.get("run_id")
        outcome.model = recorded.get("model") or outcome.model
        if recorded.get("status") == "skipped":
            outcome.status = "skipped"
            outcome.skipped_reason = recorded.get("skipped_reason") or "Skipped in the kept run."
            await run.queue.put(StepSkipped(run.id, spec.name, outcome.skipped_reason))
            return
        await run.queue.put(StepStarted(run.id, spec.name, spec.title, outcome.model))
        outcome.answer.text_parts.append(recorded.get("raw_output") or "")
        outcome.data = recorded.get("parsed_json")
        await run.queue.put(TextDelta(run.id, spec.name, outcome.text))
        self._restore(run, spec, outcome)
        await self._finish(run, outcome, kept=True)

    # --- what the code does with an answer ---

    async def _absorb(
        self,
        run: _Run,
        spec: StepSpec,
        outcome: StepOutcome,
        early: dict[str, Any] | None = None,
    ) -> None:
        if spec.grounded:
            plan, intent = outcome.data or {}, run.context.get("intent") or {}
            facts = early if early is not None and covers(early, intent, plan) else None
            facts = facts or retrieve(self.store, run.ticket, intent, plan, await run.named)
            outcome.data = {"plan": plan, **facts}
        self._restore(run, spec, outcome)
        if spec.checks:
            proposal = policy.parse_proposal(outcome.text)
            flags = policy.check(proposal, run.context, self.store, run.day)
            for flag in flags:
                event = PolicyFlag(run.id, spec.name, flag.rule, flag.message, flag.policy_id)
                run.flags.append(event)
                await run.queue.put(event)
            outcome.data = {"proposal": proposal, "flags": [f.__dict__ for f in flags]}

    def _restore(self, run: _Run, spec: StepSpec, outcome: StepOutcome) -> None:
        """Put the step's result where later steps read it."""
        data = outcome.data or {}
        if spec.output == "text":
            run.context[spec.result_key] = outcome.text
        elif spec.grounded:
            run.context[spec.result_key] = data.get("plan") or {}
            run.context.update({k: v for k, v in data.items() if k != "plan"})
        else:
            run.context[spec.result_key] = data
            if isinstance(data.get("language"), str):
                run.context.setdefault("language", data["language"])

    async def _finish(
        self, run: _Run, outcome: StepOutcome, *, cached: bool = False, kept: bool = False
    ) -> None:
        outcome.status = "kept" if kept else "cached" if cached else "done"
        outcome.duration_s = time.monotonic() - outcome.started
        if cached or kept or not outcome.messages:  # nothing was spent on a model here
            outcome.cost_usd = 0.0
        else:
            outcome.cost_usd = self.prices.cost(
                outcome.model, outcome.input_tokens, outcome.output_tokens
            )
        usage = Usage(outcome.input_tokens, outcome.output_tokens, outcome.tokens_estimated)
        await run.queue.put(
            StepFinished(
                run.id,
                outcome.spec.name,
                outcome.text,
                usage,
                outcome.duration_s,
                outcome.ttft_s,
                outcome.data,
                model=outcome.model,
                cost_usd=outcome.cost_usd,
                cached=cached,
                kept=kept,
            )
        )

    # --- cache ---

    def _cache_key(self, run: _Run, outcome: StepOutcome) -> str:
        route = outcome.route
        provider = self.settings.provider_for(outcome.spec.name)
        return cache_key(
            normalise(run.ticket.subject + "\n" + run.ticket.body),
            outcome.spec.name,
            outcome.messages[0]["content"],
            [outcome.model, route.temperature, route.max_tokens, provider.base_url],
            [run.context.get(k) for k in outcome.spec.context_keys],
        )

    @staticmethod
    def _to_cache(outcome: StepOutcome) -> dict[str, Any]:
        return {
            "text": outcome.text,
            "reasoning": outcome.answer.reasoning,
            "data": outcome.data,
            "tokens": (outcome.input_tokens, outcome.output_tokens, outcome.tokens_estimated),
        }

    @staticmethod
    def _from_cache(outcome: StepOutcome, cached: dict[str, Any]) -> None:
        outcome.answer.text_parts.append(cached["text"])
        outcome.answer.reasoning_parts.append(cached["reasoning"])
        outcome.data = cached["data"]
        outcome.input_tokens, outcome.output_tokens, outcome.tokens_estimated = cached["tokens"]

    # --- the end ---

    def _finished(self, run: _Run, status: str) -> RunFinished:
        outcomes = list(run.outcomes.values())
        costs = [o.cost_usd for o in outcomes if o.status in ("done", "cached", "kept")]
        return RunFinished(
            run.id,
            run.ticket.id,
            status == "ok",
            str(run.context.get("draft", "")) if status == "ok" else "",
            tuple(o.spec.name for o in outcomes if o.status == "failed"),
            status=status,
            needs_approval=bool(run.flags),
            flags=tuple(run.flags),
            cost_usd=None if None in costs else sum(c for c in costs if c is not None),
            cost_estimated=any(o.tokens_estimated for o in outcomes),
        )

    def _save(self, run: _Run, status: str, rerun: Rerun | None) -> None:
        finished = self._finished(run, status)
        try:
            self.store.record_run(
                run.id,
                run.ticket.id,
                run.started_at,
                datetime.now(UTC).isoformat(),
                finished.ok,
                finished.draft,
                [step_record(o, status) for o in run.outcomes.values()],
                **run_fields(finished, self.settings, rerun),
            )
        except StoreError:
            log.exception("Could not record run %s", run.id)
