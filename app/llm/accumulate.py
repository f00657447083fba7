"""A pure accumulator: chat events in, the finished answer out (text, reasoning, tool calls, usage).

Text pieces are kept in lists and joined once at the end, not re-concatenated per token. Tool-call
arguments are concatenated as strings and parsed as JSON only when the stream ends
(PROTOCOLS.md A2); arguments that do not parse are a stream error, never silently merged JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.llm.chat import (
    ChatEvent,
    Finish,
    ReasoningChunk,
    TextChunk,
    ToolCallChunk,
    UsageReport,
)
from app.llm.errors import StreamError


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]
    extra: dict[str, Any] | None = None  # echoed back with the call (Gemini thought signatures)


@dataclass
class _PartialCall:
    id: str | None = None
    name: str | None = None
    arguments: list[str] = field(default_factory=list)
    extra: dict[str, Any] | None = None


class Accumulator:
    def __init__(self) -> None:
        self.text_parts: list[str] = []
        self.reasoning_parts: list[str] = []
        self.reasoning_details: list[dict[str, Any]] = []
        self.usage: UsageReport | None = None
        self.finish_reason: str | None = None
        self._calls: dict[int, _PartialCall] = {}

    def add(self, event: ChatEvent) -> None:
        if isinstance(event, TextChunk):
            self.text_parts.append(event.text)
        elif isinstance(event, ReasoningChunk):
            self.reasoning_parts.append(event.text)
            self.reasoning_details.extend(event.details)
        elif isinstance(event, ToolCallChunk):
            call = self._calls.setdefault(event.index, _PartialCall())
            call.id = call.id or event.id
            call.name = call.name or event.name
            call.arguments.append(event.arguments)
            if event.extra:
                call.extra = {**(call.extra or {}), **event.extra}
        elif isinstance(event, UsageReport):
            self.usage = event
        elif isinstance(event, Finish):
            self.finish_reason = event.reason

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    @property
    def reasoning(self) -> str:
        return "".join(self.reasoning_parts)

    def tool_calls(self) -> list[ToolCall]:
        """The calls in index order; raises StreamError if a call's arguments are not JSON."""
        calls: list[ToolCall] = []
        for index in sorted(self._calls):
            partial = self._calls[index]
            raw = "".join(partial.arguments).strip()
            try:
                arguments = json.loads(raw) if raw else {}
            except ValueError as err:
                raise StreamError(
                    f"The model's call to {partial.name or 'a tool'} had malformed arguments."
                ) from err
            if not isinstance(arguments, dict) or not partial.name:
                raise StreamError("The model sent an incomplete tool call.")
            calls.append(
                ToolCall(partial.id or f"call_{index}", partial.name, arguments, partial.extra)
            )
        return calls
