"""The four steps, declared as data. The runner knows no step by name beyond these declarations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.paths import resource_path


@dataclass(frozen=True)
class StepSpec:
    name: str  # stable id: "intent", "retrieval", "reasoning", "reply"
    title: str  # shown in the step panel header
    prompt: str  # system prompt file in resources/prompts/
    output: Literal["json", "text"]
    result_key: str  # where the step's answer goes in the run context for later steps
    context_keys: tuple[str, ...] = ()  # what the step's CONTEXT block carries
    grounded: bool = False  # the JSON answer is a look-up plan the store carries out

    def system_prompt(self) -> str:
        return resource_path("prompts", self.prompt).read_text(encoding="utf-8")


STEPS: tuple[StepSpec, ...] = (
    StepSpec("intent", "Intent", "intent.md", "json", "intent"),
    StepSpec("retrieval", "Retrieval", "retrieval.md", "json", "plan", ("intent",), grounded=True),
    StepSpec(
        "reasoning",
        "Reasoning",
        "reasoning.md",
        "text",
        "resolution",
        ("intent", "customer", "orders", "policies"),
    ),
    StepSpec(
        "reply",
        "Reply",
        "reply.md",
        "text",
        "draft",
        ("customer", "resolution", "agent_name", "language"),
    ),
)
