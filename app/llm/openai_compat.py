"""OpenAI-compatible chat.completions: the request body, and chunks → typed chat events.

One parser reads the shapes of OpenAI, DeepSeek, OpenRouter, vLLM, Ollama, llama.cpp and Gemini's
OpenAI endpoint (PROTOCOLS.md A2):

* every chunk is checked for a top-level ``error`` before its ``choices`` (an error after the 200);
* reasoning arrives as ``reasoning_content`` (DeepSeek, older vLLM, llama.cpp) or ``reasoning``
  (OpenRouter, vLLM, Ollama); OpenRouter's ``reasoning_details`` are kept verbatim to send back;
* tool-call pieces are keyed by ``index``; Gemini's endpoint may omit it, so a piece without one
  belongs to the call with its ``id``, or continues the latest call;
* usage comes in a final chunk with ``choices: []`` (or null, or attached to the last content
  chunk); Groq nests it in ``x_groq``.
"""

from __future__ import annotations

import json
from typing import Any

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

DONE = "[DONE]"


class OpenAIAdapter:
    name = "openai"

    def url(self, base_url: str) -> str:
        return f"{base_url}/chat/completions"

    def headers(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}", "Accept": "text/event-stream"}

    def body(self, request: ChatRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": request.model,
            "messages": request.messages,
            "max_tokens": request.max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if request.temperature is not None:
            body["temperature"] = request.temperature
        if request.json_schema is not None:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"strict": True, **request.json_schema},
            }
        elif request.json_output:
            body["response_format"] = {"type": "json_object"}
        if request.tools:
            body["tools"] = list(request.tools)
        if request.reasoning_effort:
            body["reasoning_effort"] = request.reasoning_effort
        body.update(request.extra)
        return body

    def parser(self) -> OpenAIStreamParser:
        return OpenAIStreamParser()


class OpenAIStreamParser:
    def __init__(self) -> None:
        self.ended = False
        self._finished = False
        self._tool_ids: dict[str, int] = {}  # tool call id → index, for pieces without one
        self._last_tool: int | None = None

    def complete(self) -> bool:
        return self._finished or self.ended

    def feed(self, event: ServerSentEvent) -> list[ChatEvent]:
        data = event.data
        if data.startswith(DONE):  # openai-python's own test (PROTOCOLS.md A2)
            self.ended = True
            return []
        try:
            chunk = json.loads(data)
        except ValueError as err:
            raise StreamError(
                "The provider sent a malformed chunk; the stream was stopped."
            ) from err
        if not isinstance(chunk, dict):
            raise StreamError("The provider sent an unexpected chunk; the stream was stopped.")
        error = chunk.get("error")
        if error:
            raise inband_error(error)
        events: list[ChatEvent] = []
        for choice in chunk.get("choices") or ():  # null or missing choices count as empty
            if isinstance(choice, dict):
                self._choice(choice, events)
        usage = chunk.get("usage") or (chunk.get("x_groq") or {}).get("usage")
        if isinstance(usage, dict):
            events.append(_usage(usage))
        return events

    def _choice(self, choice: dict[str, Any], events: list[ChatEvent]) -> None:
        delta = choice.get("delta")
        if delta:
            reasoning = delta.get("reasoning_content") or delta.get("reasoning")
            details = delta.get("reasoning_details")
            if reasoning or details:
                events.append(_reasoning(reasoning, details))
            content = delta.get("content") or delta.get("refusal")
            if content:
                events.append(TextChunk(content))
            calls = delta.get("tool_calls")
            if calls:
                events.extend(self._tool_call(call) for call in calls if isinstance(call, dict))
        reason = choice.get("finish_reason")
        if reason:
            self._finished = True
            events.append(Finish(str(reason)))

    def _tool_call(self, call: dict[str, Any]) -> ToolCallChunk:
        # A gateway's continuation piece may carry ``"id": ""`` (AstrBot#6661): that is no id.
        index, call_id = call.get("index"), call.get("id") or None
        if not isinstance(index, int):
            if call_id is not None and call_id in self._tool_ids:
                index = self._tool_ids[call_id]
            elif call_id is not None or self._last_tool is None:
                index = max(self._tool_ids.values(), default=-1) + 1  # a new call
            else:
                index = self._last_tool  # Gemini: an argument piece with neither index nor id
        if call_id is not None:
            self._tool_ids.setdefault(call_id, index)
        self._last_tool = index
        function = call.get("function") or {}
        return ToolCallChunk(
            index=index,
            id=call_id,
            name=function.get("name"),
            arguments=function.get("arguments") or "",
            extra=call.get("extra_content"),
        )


def _reasoning(text: Any, details: Any) -> ReasoningChunk:
    items = tuple(d for d in details if isinstance(d, dict)) if isinstance(details, list) else ()
    if not text:  # only reasoning_details: their text and summaries are the readable part
        text = "".join(str(d.get("text") or d.get("summary") or "") for d in items)
    return ReasoningChunk(str(text), items)


def _usage(usage: dict[str, Any]) -> UsageReport:
    prompt_details = usage.get("prompt_tokens_details") or {}
    completion_details = usage.get("completion_tokens_details") or {}
    return UsageReport(
        int(usage.get("prompt_tokens") or 0),
        int(usage.get("completion_tokens") or 0),
        int(prompt_details.get("cached_tokens") or 0),
        int(completion_details.get("reasoning_tokens") or 0),
    )
