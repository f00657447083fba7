"""Anthropic's Messages stream (PROTOCOLS.md A3) → typed chat events, and the request we send.

Every stream comes from ``tests/llm/streams.py`` through the real SSE decoder; no network, no
event loop.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.llm.anthropic import API_VERSION, AnthropicAdapter, AnthropicStreamParser
from app.llm.chat import (
    ChatRequest,
    Finish,
    ReasoningChunk,
    TextChunk,
    ToolCallChunk,
    UsageReport,
)
from app.llm.errors import (
    AuthError,
    ContextOverflow,
    Overloaded,
    RateLimited,
    StreamError,
)
from app.llm.sse import ServerSentEvent
from tests.llm import streams
from tests.llm.streams import accumulate, read

USER = {"role": "user", "content": "Where is my order?"}


def parser() -> AnthropicStreamParser:
    return AnthropicAdapter().parser()


def event(name: str, **data: object) -> ServerSentEvent:
    return ServerSentEvent(event=name, data=json.dumps({"type": name, **data}))


# --- The stream ----------------------------------------------------------------------------------


def test_full_event_sequence() -> None:
    p = parser()
    events = read(p, streams.ANTHROPIC_FULL)
    thinking_block = {
        "type": "thinking",
        "thinking": "The order is late; look it up.",
        "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3h",
    }
    assert events == [
        # message_start: input counts cache reads too, as OpenAI's prompt_tokens do.
        UsageReport(input_tokens=2212, output_tokens=1, cached_tokens=1800),
        ReasoningChunk("The order is late;"),
        ReasoningChunk(" look it up."),
        ReasoningChunk("", (thinking_block,)),  # at content_block_stop, with its signature
        TextChunk("Let me check"),
        TextChunk(" that order."),  # the citations_delta between gave nothing
        ToolCallChunk(0, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_order"),
        ToolCallChunk(0, arguments=""),
        ToolCallChunk(0, arguments='{"order_id": "A-'),
        ToolCallChunk(0, arguments='1042"}'),
        ToolCallChunk(1, "toolu_01Ua2b3c4d5e6f7g8h9i0jK", "list_carriers"),
        UsageReport(2212, 96, 1800),  # cumulative, not an increment
        Finish("tool_calls"),
    ]
    assert p.ended
    assert p.complete()

    answer = accumulate(events)
    assert answer.reasoning == "The order is late; look it up."
    assert answer.reasoning_details == [thinking_block]
    assert answer.text == "Let me check that order."
    calls = answer.tool_calls()
    assert [(c.id, c.name, c.arguments) for c in calls] == [
        ("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_order", {"order_id": "A-1042"}),
        ("toolu_01Ua2b3c4d5e6f7g8h9i0jK", "list_carriers", {}),  # no input pieces: {}
    ]
    assert answer.usage == UsageReport(2212, 96, 1800)


def test_redacted_thinking_and_unknown_events() -> None:
    p = parser()
    events = read(p, streams.ANTHROPIC_REDACTED)
    redacted = {
        "type": "redacted_thinking",
        "data": "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP",
    }
    assert events == [
        UsageReport(90, 1),
        ReasoningChunk("", (redacted,)),
        TextChunk("Done."),
        UsageReport(90, 22),  # only output_tokens: the input from message_start stays
        Finish("stop"),
    ]
    assert p.complete()


def test_server_tool_input_is_not_a_tool_call() -> None:
    # Before the fix, the server_tool_use block's input pieces went to tool call 0, which had
    # no name: "The model sent an incomplete tool call."
    events = read(parser(), streams.ANTHROPIC_SERVER_TOOL)
    assert not [e for e in events if isinstance(e, ToolCallChunk)]
    answer = accumulate(events)
    assert answer.tool_calls() == []
    assert answer.text == "Deliveries are delayed."
    assert answer.usage == UsageReport(10682, 510, 0)


def test_unknown_event_types_and_ping_are_ignored() -> None:
    p = parser()
    assert p.feed(event("ping")) == []
    assert p.feed(event("content_block_pause", index=0)) == []
    assert p.feed(ServerSentEvent(event="message", data='{"type": "telemetry"}')) == []
    assert not p.ended


def test_unknown_block_and_delta_types_are_ignored() -> None:
    p = parser()
    assert p.feed(event("content_block_start", index=0, content_block={"type": "container"})) == []
    assert p.feed(event("content_block_delta", index=0, delta={"type": "future_delta"})) == []
    assert p.feed(event("content_block_stop", index=0)) == []


@pytest.mark.parametrize(
    ("stop_reason", "reason"),
    [
        ("end_turn", "stop"),
        ("stop_sequence", "stop"),
        ("max_tokens", "length"),
        ("model_context_window_exceeded", "length"),
        ("tool_use", "tool_calls"),
        ("refusal", "content_filter"),
        ("pause_turn", "pause_turn"),
        ("some_future_reason", "some_future_reason"),
    ],
)
def test_stop_reasons_map_to_openai_words_unknown_kept(stop_reason: str, reason: str) -> None:
    delta = event("message_delta", delta={"stop_reason": stop_reason}, usage={"output_tokens": 5})
    assert parser().feed(delta) == [UsageReport(0, 5), Finish(reason)]


def test_message_delta_with_null_counts_keeps_the_input_from_message_start() -> None:
    # MessageDeltaUsage's input and cache counts are nullable (anthropic SDK types).
    p = parser()
    start_usage = {"input_tokens": 50, "cache_read_input_tokens": 2400, "output_tokens": 1}
    p.feed(event("message_start", message={"usage": start_usage}))
    usage = {"input_tokens": None, "cache_read_input_tokens": None, "output_tokens": 40}
    assert p.feed(event("message_delta", delta={"stop_reason": "end_turn"}, usage=usage)) == [
        UsageReport(2450, 40, 2400),
        Finish("stop"),
    ]


def test_stream_cut_before_message_stop_is_not_complete() -> None:
    p = parser()
    assert read(p, streams.ANTHROPIC_CUT) == [UsageReport(30, 1), TextChunk("We will")]
    assert not p.ended
    assert not p.complete()


def test_message_delta_alone_is_not_complete() -> None:
    p = parser()
    p.feed(event("message_delta", delta={"stop_reason": "end_turn"}, usage={"output_tokens": 3}))
    assert not p.complete()
    p.feed(event("message_stop"))
    assert p.ended
    assert p.complete()


def test_delta_for_an_unknown_block_is_a_stream_error() -> None:
    p = parser()
    delta = {"type": "input_json_delta", "partial_json": "{}"}
    with pytest.raises(StreamError):
        p.feed(event("content_block_delta", index=7, delta=delta))


def test_block_start_without_index_is_a_stream_error() -> None:
    with pytest.raises(StreamError):
        parser().feed(event("content_block_start", content_block={"type": "text", "text": ""}))


@pytest.mark.parametrize("data", ["{not json", "[]"], ids=["malformed", "array"])
def test_malformed_event_is_a_stream_error(data: str) -> None:
    with pytest.raises(StreamError):
        parser().feed(ServerSentEvent(event="content_block_delta", data=data))


# --- Errors inside the stream --------------------------------------------------------------------


def test_overloaded_error_event_is_overloaded_529_in_stream() -> None:
    p = parser()
    sse = streams.decode(streams.ANTHROPIC_OVERLOADED)
    assert p.feed(sse[0]) == [UsageReport(12, 1)]
    assert p.feed(sse[1]) == []  # ping
    with pytest.raises(Overloaded) as caught:
        p.feed(sse[2])
    assert caught.value.status == 529
    assert caught.value.in_stream
    assert caught.value.retryable
    assert caught.value.code == "overloaded_error"


@pytest.mark.parametrize(
    ("error", "cls", "status"),
    [
        ({"type": "rate_limit_error", "message": "Number of requests..."}, RateLimited, 429),
        (
            {
                "type": "invalid_request_error",
                "message": "prompt is too long: 210512 tokens > 200000 maximum",
            },
            ContextOverflow,
            400,
        ),
        ({"type": "authentication_error", "message": "invalid x-api-key"}, AuthError, 401),
    ],
    ids=["rate-limit", "prompt-too-long", "auth"],
)
def test_error_events_raise_their_typed_error(
    error: dict[str, str], cls: type[Exception], status: int
) -> None:
    with pytest.raises(cls) as caught:
        parser().feed(event("error", error=error))
    assert getattr(caught.value, "status", None) == status
    assert getattr(caught.value, "in_stream", None) is True


def test_error_event_of_unknown_type_is_a_stream_error() -> None:
    with pytest.raises(StreamError):
        parser().feed(event("error", error={"type": "brand_new_error", "message": "?"}))


# --- Request ------------------------------------------------------------------------------------


def test_body_lifts_system_messages_and_sets_max_tokens_and_temperature() -> None:
    messages = [
        {"role": "system", "content": "You are a support assistant."},
        {"role": "system", "content": "Answer in English."},
        USER,
    ]
    adapter = AnthropicAdapter()
    body = adapter.body(ChatRequest("claude-sonnet-4-5", messages, max_tokens=1024))
    assert body == {
        "model": "claude-sonnet-4-5",
        "max_tokens": 1024,
        "messages": [USER],
        "stream": True,
        "system": "You are a support assistant.\n\nAnswer in English.",
        "temperature": 0.2,
    }
    assert adapter.url("https://api.anthropic.com/v1") == "https://api.anthropic.com/v1/messages"


def test_body_without_system_or_temperature() -> None:
    body = AnthropicAdapter().body(ChatRequest("m", [USER], temperature=None))
    assert "system" not in body
    assert "temperature" not in body
    assert "thinking" not in body


def test_thinking_budget_replaces_temperature_when_it_fits() -> None:
    body = AnthropicAdapter().body(
        ChatRequest("m", [USER], max_tokens=8000, reasoning_effort="medium")
    )
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 4096}
    assert "temperature" not in body  # the API forbids a temperature alongside thinking


@pytest.mark.parametrize(
    ("effort", "max_tokens"),
    [("low", 800), ("medium", 4096), ("high", 16000), ("extreme", 50000)],
)
def test_no_thinking_when_the_budget_does_not_fit_or_is_unknown(
    effort: str, max_tokens: int
) -> None:
    body = AnthropicAdapter().body(
        ChatRequest("m", [USER], max_tokens=max_tokens, reasoning_effort=effort)
    )
    assert "thinking" not in body
    assert body["temperature"] == 0.2


def test_openai_tools_become_input_schema_tools() -> None:
    schema = {"type": "object", "properties": {"order_id": {"type": "string"}}}
    tools = (
        {
            "type": "function",
            "function": {"name": "get_order", "description": "Look up", "parameters": schema},
        },
        {"type": "function", "function": {"name": "list_carriers"}},
    )
    body = AnthropicAdapter().body(ChatRequest("m", [USER], tools=tools, extra={"top_k": 5}))
    assert body["tools"] == [
        {"name": "get_order", "description": "Look up", "input_schema": schema},
        {
            "name": "list_carriers",
            "description": "",
            "input_schema": {"type": "object", "properties": {}},
        },
    ]
    assert body["top_k"] == 5


def test_tool_round_trip_messages_become_blocks() -> None:
    messages: list[dict[str, Any]] = [
        USER,
        {
            "role": "assistant",
            "content": "Checking.",
            "tool_calls": [
                {
                    "id": "toolu_1",
                    "type": "function",
                    "function": {"name": "get_order", "arguments": '{"order_id": "A-1042"}'},
                },
                {
                    "id": "toolu_2",
                    "type": "function",
                    "function": {"name": "list_carriers", "arguments": ""},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "toolu_1", "content": '{"status": "shipped"}'},
        {"role": "tool", "tool_call_id": "toolu_2", "content": None},
    ]
    body = AnthropicAdapter().body(ChatRequest("m", messages))
    assert body["messages"] == [
        USER,
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Checking."},
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "get_order",
                    "input": {"order_id": "A-1042"},
                },
                {"type": "tool_use", "id": "toolu_2", "name": "list_carriers", "input": {}},
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_1",
                    "content": '{"status": "shipped"}',
                }
            ],
        },
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "toolu_2", "content": ""}],
        },
    ]


def test_assistant_tool_calls_without_text_have_no_text_block() -> None:
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "t", "function": {"name": "f", "arguments": "{}"}}],
    }
    body = AnthropicAdapter().body(ChatRequest("m", [USER, message]))
    assert body["messages"][1]["content"] == [
        {"type": "tool_use", "id": "t", "name": "f", "input": {}}
    ]


def test_headers_api_key_and_pinned_version_without_authorization() -> None:
    headers = AnthropicAdapter().headers("sk-ant-test")
    assert headers["x-api-key"] == "sk-ant-test"
    assert headers["anthropic-version"] == API_VERSION == "2023-06-01"
    assert headers["Accept"] == "text/event-stream"
    assert not any(name.lower() == "authorization" for name in headers)


def test_thinking_blocks_go_back_first_in_a_continued_tool_loop() -> None:
    thinking = {"type": "thinking", "thinking": "Check the order.", "signature": "sig=="}
    assistant = {
        "role": "assistant",
        "content": None,
        "reasoning_details": [thinking, {"type": "reasoning.text", "text": "not Anthropic's"}],
        "tool_calls": [
            {"id": "t1", "type": "function", "function": {"name": "lookup", "arguments": "{}"}}
        ],
    }
    user = {"role": "user", "content": "Where is my order?"}
    body = AnthropicAdapter().body(ChatRequest("claude", [user, assistant]))
    blocks = body["messages"][1]["content"]
    assert blocks[0] == thinking
    assert [b["type"] for b in blocks] == ["thinking", "tool_use"]
