"""OpenAI-compatible chat.completions: the request body and chunk → typed stream events.

Pure and synchronous, so it is tested without a network (STYLE habit 3). Reasoning arrives under
several names depending on the provider (PROTOCOLS.md A2): ``reasoning_content`` (DeepSeek, older
vLLM, llama.cpp), ``reasoning`` (OpenRouter, vLLM, Ollama); both are read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.llm.errors import StreamError


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[dict[str, str]]
    temperature: float = 0.2
    max_tokens: int = 800
    json_output: bool = False


@dataclass(frozen=True)
class TextChunk:
    text: str


@dataclass(frozen=True)
class ReasoningChunk:
    text: str


@dataclass(frozen=True)
class UsageReport:
    input_tokens: int
    output_tokens: int


@dataclass(frozen=True)
class Finish:
    reason: str  # "stop", "length", … unknown values are kept as they are


ChatEvent = TextChunk | ReasoningChunk | UsageReport | Finish

DONE = "[DONE]"


def request_body(request: ChatRequest) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": request.model,
        "messages": request.messages,
        "temperature": request.temperature,
        "max_tokens": request.max_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if request.json_output:
        body["response_format"] = {"type": "json_object"}
    return body


def parse_chunk(data: str) -> list[ChatEvent]:
    """One SSE ``data`` payload (not ``[DONE]``) → the events it carries."""
    try:
        chunk = json.loads(data)
    except ValueError as err:
        raise StreamError("The provider sent a malformed chunk; the stream was stopped.") from err
    if not isinstance(chunk, dict):
        raise StreamError("The provider sent an unexpected chunk; the stream was stopped.")
    error = chunk.get("error")
    if error:  # an error after the 200: check before choices (PROTOCOLS.md A2)
        message = error.get("message") if isinstance(error, dict) else str(error)
        raise StreamError(f"The provider stopped with an error: {message or 'unknown error'}")
    events: list[ChatEvent] = []
    for choice in chunk.get("choices") or ():  # null or missing choices count as empty
        events.extend(_choice_events(choice))
    usage = chunk.get("usage")
    if isinstance(usage, dict):
        events.append(
            UsageReport(
                int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
            )
        )
    return events


def _choice_events(choice: dict[str, Any]) -> list[ChatEvent]:
    events: list[ChatEvent] = []
    delta = choice.get("delta") or {}
    reasoning = delta.get("reasoning_content") or delta.get("reasoning")
    if reasoning:
        events.append(ReasoningChunk(str(reasoning)))
    content = delta.get("content")
    if content:
        events.append(TextChunk(str(content)))
    reason = choice.get("finish_reason")
    if reason:
        events.append(Finish(str(reason)))
    return events
