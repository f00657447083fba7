"""Anthropic's native Messages API: the request body, and its event sequence → typed chat events.

PROTOCOLS.md A3. Every event carries ``event: <name>`` and JSON data whose ``type`` is the same
name: ``message_start``, then content blocks (``content_block_start`` / ``_delta`` / ``_stop``),
``message_delta`` (stop reason, cumulative usage) and ``message_stop``. ``ping`` may come at any
point and unknown events are ignored (the versioning policy allows new ones); an ``error`` event
(e.g. ``overloaded_error``) raises the typed error it stands for.

The API version is pinned: ``2023-06-01`` is the version whose request shape we build (it accepts
``temperature``, which ``2026-10-21`` removed). Move both together, never one without the other.
"""

from __future__ import annotations

import json
from typing import Any

from app.llm import jsonfast
from app.llm.chat import (
    ChatEvent,
    ChatRequest,
    Finish,
    ReasoningChunk,
    TextChunk,
    ToolCallChunk,
    UsageReport,
)
from app.llm.errors import StreamError, inband_error
from app.llm.sse import ServerSentEvent

API_VERSION = "2023-06-01"
# Thinking budgets for ChatRequest.reasoning_effort; the API needs at least 1,024 and less than
# max_tokens, and forbids a temperature alongside thinking.
THINKING_BUDGETS = {"low": 1024, "medium": 4096, "high": 16000}
# Anthropic stop reasons → the OpenAI vocabulary the rest of the app reads; others pass as they are.
STOP_REASONS = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}


class AnthropicAdapter:
    name = "anthropic"

    def url(self, base_url: str) -> str:
        return f"{base_url}/messages"

    def headers(self, key: str) -> dict[str, str]:
        return {
            "x-api-key": key,
            "anthropic-version": API_VERSION,
            "Accept": "text/event-stream",
        }

    def body(self, request: ChatRequest) -> dict[str, Any]:
        system = [m for m in request.messages if m.get("role") == "system"]
        body: dict[str, Any] = {
            "model": request.model,
            "max_tokens": request.max_tokens,
            "messages": [_message(m) for m in request.messages if m.get("role") != "system"],
            "stream": True,
        }
        if system:
            body["system"] = "\n\n".join(str(m.get("content") or "") for m in system)
        budget = THINKING_BUDGETS.get(request.reasoning_effort or "")
        if budget and budget < request.max_tokens:
            body["thinking"] = {"type": "enabled", "budget_tokens": budget}
        elif request.temperature is not None:
            body["temperature"] = request.temperature
        if request.tools:
            body["tools"] = [_tool(t) for t in request.tools]
        body.update(request.extra)
        return body

    def parser(self) -> AnthropicStreamParser:
        return AnthropicStreamParser()


def _message(message: dict[str, Any]) -> dict[str, Any]:
    """An OpenAI-shaped message → Anthropic's: tool results are user blocks, calls are blocks."""
    role = message.get("role")
    if role == "tool":
        block = {
            "type": "tool_result",
            "tool_use_id": message.get("tool_call_id"),
            "content": message.get("content") or "",
        }
        return {"role": "user", "content": [block]}
    calls = message.get("tool_calls")
    # Thinking blocks (with their signatures) from an earlier turn go back first, unchanged, as
    # Anthropic requires when a tool loop continues; they travel as ``reasoning_details``.
    thinking = [
        d
        for d in message.get("reasoning_details") or ()
        if isinstance(d, dict) and d.get("type") in ("thinking", "redacted_thinking")
    ]
    if role == "assistant" and (calls or thinking):
        blocks: list[dict[str, Any]] = list(thinking)
        if message.get("content"):
            blocks.append({"type": "text", "text": message["content"]})
        for call in calls or ():
            function = call.get("function") or {}
            arguments = function.get("arguments") or "{}"
            blocks.append(
                {
                    "type": "tool_use",
                    "id": call.get("id"),
                    "name": function.get("name"),
                    "input": json.loads(arguments) if isinstance(arguments, str) else arguments,
                }
            )
        return {"role": "assistant", "content": blocks}
    return {"role": role, "content": message.get("content") or ""}


def _tool(tool: dict[str, Any]) -> dict[str, Any]:
    function = tool.get("function") or tool
    return {
        "name": function.get("name"),
        "description": function.get("description", ""),
        "input_schema": function.get("parameters") or {"type": "object", "properties": {}},
    }


class AnthropicStreamParser:
    def __init__(self) -> None:
        self.ended = False
        self._blocks: dict[int, dict[str, Any]] = {}  # block index → the block being built
        self._tool_index: dict[int, int] = {}  # block index → tool call ordinal
        self._input_tokens = 0
        self._cached_tokens = 0

    def complete(self) -> bool:
        return self.ended

    def feed_into(self, events: list[ServerSentEvent], out: list[ChatEvent]) -> None:
        for event in events:
            out += self.feed(event)
            if self.ended:
                return

    def feed(self, event: ServerSentEvent) -> list[ChatEvent]:
        try:
            data = jsonfast.loads(event.data)
        except ValueError as err:
            raise StreamError(
                "The provider sent a malformed event; the stream was stopped."
            ) from err
        if not isinstance(data, dict):
            raise StreamError("The provider sent an unexpected event; the stream was stopped.")
        kind = data.get("type") or event.event
        if kind == "content_block_delta":
            return self._delta(data)
        if kind == "content_block_start":
            return self._block_start(data)
        if kind == "content_block_stop":
            return self._block_stop(data)
        if kind == "message_start":
            return self._usage((data.get("message") or {}).get("usage"))
        if kind == "message_delta":
            events = self._usage(data.get("usage"))
            reason = (data.get("delta") or {}).get("stop_reason")
            if reason:
                events.append(Finish(STOP_REASONS.get(reason, str(reason))))
            return events
        if kind == "message_stop":
            self.ended = True
        elif kind == "error":
            raise inband_error(data.get("error"))
        return []  # ping, and event types newer than this code

    def _block_start(self, data: dict[str, Any]) -> list[ChatEvent]:
        index, block = data.get("index"), data.get("content_block")
        if not isinstance(index, int) or not isinstance(block, dict):
            raise StreamError("The provider sent a content block without an index.")
        self._blocks[index] = dict(block)
        kind = block.get("type")
        if kind == "tool_use":
            self._tool_index[index] = ordinal = len(self._tool_index)
            return [ToolCallChunk(ordinal, block.get("id"), block.get("name"))]
        if kind == "redacted_thinking":
            return [ReasoningChunk("", (dict(block),))]
        if kind == "text" and block.get("text"):
            return [TextChunk(str(block["text"]))]
        if kind == "thinking" and block.get("thinking"):
            return [ReasoningChunk(str(block["thinking"]))]
        return []

    def _delta(self, data: dict[str, Any]) -> list[ChatEvent]:
        delta = data.get("delta") or {}
        kind = delta.get("type")
        if kind == "text_delta":
            return [TextChunk(delta.get("text") or "")]
        block = self._blocks.get(data.get("index"))  # type: ignore[arg-type]
        if block is None:
            raise StreamError("The provider sent a delta for a block it never started.")
        if kind == "thinking_delta":
            text = delta.get("thinking") or ""
            block["thinking"] = block.get("thinking", "") + text
            return [ReasoningChunk(text)]
        if kind == "signature_delta":
            block["signature"] = block.get("signature", "") + (delta.get("signature") or "")
        elif kind == "input_json_delta":
            ordinal = self._tool_index.get(data["index"])
            if ordinal is not None:  # not a server_tool_use block: the provider runs those
                return [ToolCallChunk(ordinal, arguments=delta.get("partial_json") or "")]
        return []  # citations_delta and newer kinds

    def _block_stop(self, data: dict[str, Any]) -> list[ChatEvent]:
        block = self._blocks.get(data.get("index"))  # type: ignore[arg-type]
        if block is not None and block.get("type") == "thinking":
            # The whole block with its signature, to send back unchanged in a later turn.
            return [ReasoningChunk("", (block,))]
        return []

    def _usage(self, usage: Any) -> list[ChatEvent]:
        """Anthropic's usage counts are cumulative; input arrives in message_start."""
        if not isinstance(usage, dict):
            return []
        cached = usage.get("cache_read_input_tokens")
        if usage.get("input_tokens") is not None:  # message_delta's may be null (A3)
            self._input_tokens = (
                int(usage.get("input_tokens") or 0)
                + int(cached or 0)
                + int(usage.get("cache_creation_input_tokens") or 0)
            )
        if cached is not None:
            self._cached_tokens = int(cached)
        return [
            UsageReport(
                self._input_tokens, int(usage.get("output_tokens") or 0), self._cached_tokens
            )
        ]
