"""The pipeline's steps, declared as data: the runner knows no step by name.

A step says what it sends (its prompt in resources/prompts/, the context keys it quotes), what it
waits for (``needs``: steps whose output its prompt uses; ``joins``: steps whose output its result
uses, so its model call can start earlier), what it answers (JSON checked against a schema in
resources/schemas/, or text) and what code runs on the answer (``grounded``: the JSON is a look-up
plan the store carries out; ``checks``: the answer is checked against policy limits). ``skip_rule``
names a router rule that may skip it. A fifth step is one more declaration here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Literal

from app.paths import resource_path


@cache
def taxonomy() -> dict[str, str]:
    """Intent label → what it means, from resources/taxonomy.json (editable)."""
    data = json.loads(resource_path("taxonomy.json").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data["intents"].items()}


@cache
def _prompt(name: str) -> str:
    """A prompt file's text, read once (edits to prompts take effect at the next start)."""
    text = resource_path("prompts", name).read_text(encoding="utf-8")
    if "{intent_labels}" in text:  # the editable taxonomy, resources/taxonomy.json
        text = text.replace("{intent_labels}", ", ".join(taxonomy()))
    return text


@dataclass(frozen=True)
class StepSpec:
    name: str  # stable id, also the route's key in Settings
    title: str  # shown in the step panel header
    prompt: str  # system prompt file in resources/prompts/
    output: Literal["json", "text"]
    result_key: str  # where the step's answer goes in the run context for later steps
    context_keys: tuple[str, ...] = ()  # what the step's CONTEXT block carries
    needs: tuple[str, ...] = ()  # steps that must finish before the call starts
    joins: tuple[str, ...] = ()  # steps that must finish before the answer is used
    schema: str | None = None  # JSON schema file in resources/schemas/
    grounded: bool = False  # the JSON answer is a look-up plan the store carries out
    checks: bool = False  # the answer's Proposal block is checked against policy limits
    skip_rule: str | None = None  # a rule in app.pipeline.router that may skip the step

    def system_prompt(self) -> str:
        return _prompt(self.prompt)

    @property
    def waits_for(self) -> tuple[str, ...]:
        return self.needs + self.joins


STEPS: tuple[StepSpec, ...] = (
    StepSpec("intent", "Intent", "intent.md", "json", "intent", schema="intent.json"),
    # The planner reads the ticket alone, so it runs while intent does; the look-ups then use
    # intent's entities too, once intent is done.
    StepSpec(
        "retrieval",
        "Retrieval",
        "retrieval.md",
        "json",
        "plan",
        joins=("intent",),
        schema="retrieval.json",
        grounded=True,
    ),
    StepSpec(
        "reasoning",
        "Reasoning",
        "reasoning.md",
        "text",
        "resolution",
        ("intent", "customer", "orders", "policies"),
        needs=("intent", "retrieval"),
        checks=True,
        skip_rule="simple_status",
    ),
    StepSpec(
        "reply",
        "Reply",
        "reply.md",
        "text",
        "draft",
        ("customer", "orders", "resolution", "agent_name", "signature", "language", "instruction"),
        needs=("intent", "retrieval", "reasoning"),
    ),
)
