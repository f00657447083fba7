"""What a chat call takes and what its stream yields, the same for every provider adapter.

Adapters (``openai_compat``, ``anthropic``) turn their provider's chunks into these events; the
client adds ``Waiting`` when it holds a request back (a client-side budget or a retry). The
classes use slots: at 3,000 tokens/s the stream creates one object per delta.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[dict[str, Any]]  # OpenAI shape; the Anthropic adapter lifts "system" out
    temperature: float | None = 0.2  # None: the provider's default (and not sent)
    max_tokens: int = 800
    json_output: bool = False  # ask for a JSON object where the provider supports it
    json_schema: dict[str, Any] | None = None  # {"name": ..., "schema": {...}}: stricter still
    tools: tuple[dict[str, Any], ...] = ()  # OpenAI function tools: {"type": "function", ...}
    reasoning_effort: str | None = None  # "low" | "medium" | "high" where supported
    extra: dict[str, Any] = field(default_factory=dict)  # provider-specific body fields


@dataclass(frozen=True, slots=True)
class TextChunk:
    text: str


@dataclass(frozen=True, slots=True)
class ReasoningChunk:
    text: str
    # Provider items to send back unchanged in a later turn: OpenRouter ``reasoning_details``,
    # Anthropic thinking signatures and redacted thinking. Empty for plain text deltas.
    details: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class ToolCallChunk:
    """A piece of one tool call. ``index`` is already resolved by the adapter (Gemini's endpoint
    may omit it); ``arguments`` pieces are concatenated and parsed only when the stream ends."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""
    extra: dict[str, Any] | None = None  # e.g. Gemini's extra_content.google.thought_signature


@dataclass(frozen=True, slots=True)
class UsageReport:
    """Token totals so far. Later reports replace earlier ones (Anthropic's are cumulative)."""

    input_tokens: int
    output_tokens: int
    cached_tokens: int = 0
    reasoning_tokens: int = 0


@dataclass(frozen=True, slots=True)
class Finish:
    reason: str  # "stop", "length", "tool_calls", "end_turn", … unknown values are kept


WaitReason = Literal["budget", "retry"]


@dataclass(frozen=True, slots=True)
class Waiting:
    """The client holds the request back before sending it; cancel the task to give up.

    ``budget``: our own requests/tokens-per-minute budget (or the provider's last rate-limit
    headers) says wait. ``retry``: the last attempt failed with ``error`` and is tried again.
    """

    reason: WaitReason
    seconds: float
    attempt: int = 0  # attempts already made (0 while waiting for budget)
    error: str | None = None  # the failed attempt's user message, for ``retry``

    def describe(self) -> str:
        seconds = max(1, round(self.seconds))
        if self.reason == "budget":
            return f"Waiting for the rate limit, sending in {seconds} s"
        return f"{self.error or 'The provider failed'} Retrying in {seconds} s"


ChatEvent = TextChunk | ReasoningChunk | ToolCallChunk | UsageReport | Finish | Waiting
