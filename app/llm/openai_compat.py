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

import orjson

from app.llm.chat import (
    ChatEvent,
    ChatRequest,
    Finish,
    ReasoningChunk,
    TextChunk,
    ToolCallChunk,
    UsageReport,
)
from app.llm.chunk_template import ContentTemplate
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
            body["response_format"] = {"type": "json_schema", "json_schema": request.json_schema}
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
        self._template: ContentTemplate | None = None  # the usual content chunk's text
        self._tries = 8  # chunks to learn it from; a provider whose chunks never fit is parsed
        self._last_tool: int | None = None

    def complete(self) -> bool:
        return self._finished or self.ended

    def feed(self, event: ServerSentEvent) -> list[ChatEvent]:
        out: list[ChatEvent] = []
        self.feed_into([event], out)
        return out

    def feed_into(self, events: list[ServerSentEvent], out: list[ChatEvent]) -> None:
        # The hot path: at 3,000 tokens/s this loop runs per token, so the usual chunk (one
        # choice whose delta is only content) is handled inline and its text merged with the
        # pieces next to it; anything else takes the general path.
        texts: list[str] = []
        loads = orjson.loads
        template = self._template
        if template is not None:
            prefix, suffix, size = template.prefix, template.suffix, template.size
            start, stop = len(prefix), -len(suffix)
        try:
            for number, event in enumerate(events):
                data = event.data
                if (
                    template is not None
                    and len(data) >= size
                    and data.startswith(prefix)
                    and data.endswith(suffix)
                ):  # ContentTemplate.content, inline
                    piece = data[start:stop]
                    if piece.isprintable() and '"' not in piece and "\\" not in piece:
                        if piece:
                            texts.append(piece)
                        continue
                try:
                    chunk = loads(data)
                except orjson.JSONDecodeError:
                    if data.startswith(DONE):  # openai-python's test (PROTOCOLS.md A2)
                        self.ended = True
                        return
                    chunk = _parse(data)  # the standard library's second opinion
                if type(chunk) is not dict:
                    raise StreamError(
                        "The provider sent an unexpected chunk; the stream was stopped."
                    )
                choices = chunk.get("choices")
                if (
                    choices
                    and len(choices) == 1
                    and chunk.get("usage") is None
                    and not chunk.get("error")
                    and type(choices[0]) is dict
                ):
                    choice = choices[0]
                    delta = choice.get("delta")
                    if (
                        delta
                        and len(delta) == 1
                        and "content" in delta
                        and choice.get("finish_reason") is None
                    ):
                        if delta["content"]:
                            texts.append(delta["content"])
                        if template is None and self._tries:
                            self._tries -= 1
                            self._template = ContentTemplate.learn(data, chunk)
                            if self._template is not None:  # the rest of this read matches it
                                if texts:
                                    out.append(TextChunk("".join(texts)))
                                    texts = []
                                self.feed_into(events[number + 1 :], out)
                                return
                        continue
                if texts:
                    out.append(TextChunk("".join(texts)))
                    texts = []
                self._chunk(chunk, out)
        finally:
            if texts:
                out.append(TextChunk("".join(texts)))

    def _chunk(self, chunk: dict[str, Any], out: list[ChatEvent]) -> None:
        if chunk.get("error"):  # an error after the 200: before choices (PROTOCOLS.md A2)
            raise inband_error(chunk["error"])
        for choice in chunk.get("choices") or ():  # null or missing choices count as empty
            if type(choice) is not dict:
                continue
            delta = choice.get("delta")
            if delta:
                self._delta(delta, out)
            reason = choice.get("finish_reason")
            if reason == "error":  # OpenRouter's mid-stream failure, here without its details
                raise StreamError("The provider stopped the answer with an error.")
            if reason:
                self._finished = True
                out.append(Finish(str(reason)))
        usage = chunk.get("usage")
        if usage is None and "x_groq" in chunk:
            usage = (chunk["x_groq"] or {}).get("usage")
        if type(usage) is dict:
            out.append(_usage(usage))

    def _delta(self, delta: dict[str, Any], events: list[ChatEvent]) -> None:
        reasoning = delta.get("reasoning_content") or delta.get("reasoning")
        details = delta.get("reasoning_details")
        if reasoning or details:
            events.append(_reasoning(reasoning, details))
        content = delta.get("content") or delta.get("refusal")
        if content:
            events.append(TextChunk(content))
        calls = delta.get("tool_calls")
        if calls:
            events.extend(self._tool_call(call) for call in calls if type(call) is dict)

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
            arguments=_arguments(function.get("arguments")),
            extra=call.get("extra_content"),
        )


def _parse(data: str) -> Any:
    try:
        return json.loads(data)  # lenient where orjson is strict: NaN, integers past 64 bits
    except ValueError as err:
        raise StreamError("The provider sent a malformed chunk; the stream was stopped.") from err


def _arguments(value: Any) -> str:
    """A piece of a call's arguments: a string, or (some gateways) the whole object at once."""
    if value is None or isinstance(value, str):
        return value or ""
    return json.dumps(value, ensure_ascii=False)


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
