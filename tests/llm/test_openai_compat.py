"""OpenAI-compatible streams (PROTOCOLS.md A2) → typed chat events, and the request we send.

Every stream comes from ``tests/llm/streams.py`` through the real SSE decoder; no network, no
event loop.
"""

from __future__ import annotations

import json

import pytest

from app.llm.chat import (
    ChatRequest,
    Finish,
    ReasoningChunk,
    TextChunk,
    ToolCallChunk,
    UsageReport,
)
from app.llm.errors import (
    ContextOverflow,
    RateLimited,
    ServerError,
    StreamError,
)
from app.llm.openai_compat import OpenAIAdapter, OpenAIStreamParser
from app.llm.sse import ServerSentEvent
from tests.llm import streams
from tests.llm.streams import accumulate, read

MESSAGES = [{"role": "user", "content": "Where is my order?"}]


def parser() -> OpenAIStreamParser:
    return OpenAIAdapter().parser()


def chunk(data: object) -> ServerSentEvent:
    return ServerSentEvent(data=json.dumps(data))


# --- OpenAI --------------------------------------------------------------------------------------


def test_openai_text_stream_gives_text_finish_and_usage_then_ends() -> None:
    p = parser()
    assert read(p, streams.OPENAI_TEXT) == [
        TextChunk("Your refund"),
        TextChunk(" is on its way."),
        Finish("stop"),
        UsageReport(input_tokens=1480, output_tokens=8, cached_tokens=1280),
    ]
    assert p.ended
    assert p.complete()


def test_openai_length_finish_and_reasoning_tokens() -> None:
    events = read(parser(), streams.OPENAI_LENGTH)
    assert events == [
        TextChunk("The order"),
        Finish("length"),
        UsageReport(310, 200, cached_tokens=0, reasoning_tokens=192),
    ]


def test_openai_refusal_streams_as_text() -> None:
    events = read(parser(), streams.OPENAI_REFUSAL)
    assert events == [
        TextChunk("I'm sorry,"),
        TextChunk(" I can't help with that."),
        Finish("stop"),
    ]


def test_openai_parallel_tool_calls_with_interleaved_indexes() -> None:
    events = read(parser(), streams.OPENAI_PARALLEL_TOOLS)
    assert events[:6] == [
        ToolCallChunk(0, "call_order", "get_order", ""),
        ToolCallChunk(1, "call_ship", "track_parcel", ""),
        ToolCallChunk(0, arguments='{"order_id"'),
        ToolCallChunk(1, arguments='{"tracking": '),
        ToolCallChunk(0, arguments=': "A-1042"}'),
        ToolCallChunk(1, arguments='"1Z999"}'),
    ]
    assert events[6:] == [Finish("tool_calls"), UsageReport(402, 41)]
    calls = accumulate(events).tool_calls()
    assert [(c.id, c.name, c.arguments) for c in calls] == [
        ("call_order", "get_order", {"order_id": "A-1042"}),
        ("call_ship", "track_parcel", {"tracking": "1Z999"}),
    ]


def test_finish_reason_without_done_is_complete() -> None:
    p = parser()
    assert read(p, streams.OPENAI_FINISHED_WITHOUT_DONE) == [TextChunk("Done."), Finish("stop")]
    assert not p.ended
    assert p.complete()


def test_stream_cut_without_finish_or_done_is_not_complete() -> None:
    p = parser()
    # The last chunk had no closing blank line, so the decoder dropped it.
    assert read(p, streams.OPENAI_CUT) == [TextChunk("We will")]
    assert not p.ended
    assert not p.complete()


def test_done_alone_ends_the_stream() -> None:
    p = parser()
    assert p.feed(ServerSentEvent(data="[DONE]")) == []
    assert p.ended
    assert p.complete()


@pytest.mark.parametrize(
    "reason",
    [
        "stop",
        "length",
        "tool_calls",
        "content_filter",
        "function_call",
        "insufficient_system_resource",  # DeepSeek
        "some_future_reason",
    ],
)
def test_finish_reasons_are_kept_verbatim(reason: str) -> None:
    p = parser()
    event = chunk({"choices": [{"index": 0, "delta": {}, "finish_reason": reason}]})
    assert p.feed(event) == [Finish(reason)]
    assert p.complete()


def test_role_chunk_and_null_or_empty_content_give_nothing() -> None:
    p = parser()
    for delta in (
        {"role": "assistant", "content": "", "refusal": None},
        {"content": None},
        {"content": ""},
        {},
    ):
        assert p.feed(chunk({"choices": [{"index": 0, "delta": delta}]})) == []
    assert p.feed(chunk({"choices": [], "usage": None})) == []
    assert not p.complete()


# --- DeepSeek, OpenRouter, vLLM, Ollama, Groq ----------------------------------------------------


def test_deepseek_reasoner_reasoning_then_content_through_keep_alives() -> None:
    events = read(parser(), streams.DEEPSEEK_REASONER)
    assert events == [
        ReasoningChunk("The customer"),
        ReasoningChunk(" wants a refund."),
        TextChunk("Refund"),
        TextChunk(" approved."),
        Finish("stop"),
        UsageReport(64, 120, cached_tokens=0, reasoning_tokens=98),
    ]
    answer = accumulate(events)
    assert answer.reasoning == "The customer wants a refund."
    assert answer.text == "Refund approved."


def test_openrouter_reasoning_details_are_kept_verbatim() -> None:
    p = parser()
    events = read(p, streams.OPENROUTER_CLAUDE_REASONING)
    fmt = {"type": "reasoning.text", "format": "anthropic-claude-v1", "index": 0}
    signed = {"signature": "ErUBCkYIBRgCIkDk0bOR", **fmt}
    assert events == [
        ReasoningChunk("Check the", ({"text": "Check the", **fmt},)),
        ReasoningChunk(" order date.", ({"text": " order date.", **fmt},)),
        ReasoningChunk("", (signed,)),
        TextChunk("It shipped"),
        TextChunk(" today."),
        Finish("stop"),  # usage rides on the last content chunk
        UsageReport(220, 35, cached_tokens=0, reasoning_tokens=20),
    ]
    assert p.ended
    answer = accumulate(events)
    assert answer.reasoning == "Check the order date."
    assert answer.reasoning_details[-1] == signed


def test_openrouter_summary_and_encrypted_details() -> None:
    events = read(parser(), streams.OPENROUTER_OPENAI_REASONING)
    summary, encrypted = (event for event in events if isinstance(event, ReasoningChunk))
    # No plain "reasoning" field: the summary is the readable part; encrypted data has none.
    assert summary.text == "**Checking the policy**"
    assert summary.details[0]["type"] == "reasoning.summary"
    assert encrypted == ReasoningChunk(
        "",
        (
            {
                "type": "reasoning.encrypted",
                "data": "gAAAAABoq1xYZ",
                "id": "rs_68a1",
                "format": "openai-responses-v1",
                "index": 1,
            },
        ),
    )
    assert events[-1] == Finish("stop")


def test_openrouter_midstream_error_raises_the_typed_error() -> None:
    p = parser()
    sse = streams.decode(streams.OPENROUTER_MIDSTREAM_ERROR)
    assert p.feed(sse[0]) == [TextChunk("Let me")]
    with pytest.raises(ServerError) as caught:
        p.feed(sse[1])  # checked for "error" before its finish_reason "error"
    assert caught.value.status == 502
    assert caught.value.in_stream
    assert caught.value.retryable
    assert "Provider returned error" in caught.value.user_message


def test_openrouter_midstream_error_with_a_string_code() -> None:
    # OpenRouter's errors page shows {"code": "server_error", ...} on the error chunk.
    event = chunk(
        {
            "error": {"code": "server_error", "message": "Provider disconnected unexpectedly"},
            "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}],
        }
    )
    with pytest.raises(ServerError) as caught:
        parser().feed(event)
    assert caught.value.status == 500
    assert caught.value.in_stream


@pytest.mark.parametrize(
    "stream", [streams.VLLM_REASONING, streams.OLLAMA_REASONING], ids=["vllm", "ollama"]
)
def test_reasoning_field_and_usage_chunk_without_choices(stream: str) -> None:
    p = parser()
    events = read(p, stream)
    assert isinstance(events[0], ReasoningChunk)
    assert [type(e).__name__ for e in events[1:]] == ["TextChunk", "Finish", "UsageReport"]
    assert events[-2:] == [
        Finish("stop"),
        UsageReport(18, 9) if stream is streams.VLLM_REASONING else UsageReport(11, 7),
    ]
    assert p.ended


def test_older_vllm_reasoning_content_is_read_too() -> None:
    event = chunk({"choices": [{"index": 0, "delta": {"reasoning_content": "old name"}}]})
    assert parser().feed(event) == [ReasoningChunk("old name")]


def test_groq_usage_in_x_groq() -> None:
    events = read(parser(), streams.GROQ_TEXT)
    assert events == [TextChunk("Hello"), Finish("stop"), UsageReport(48, 9)]


# --- Gemini's OpenAI endpoint and gateways -------------------------------------------------------


def test_gemini_two_calls_without_index_are_separate_and_keep_signatures() -> None:
    events = read(parser(), streams.GEMINI_TWO_CALLS)
    signature = {"google": {"thought_signature": "CiQB0e2Kb9x"}}
    assert events[:2] == [
        ToolCallChunk(0, "function-call-11", "get_order", '{"order_id":"A-1042"}', signature),
        ToolCallChunk(1, "function-call-12", "track_parcel", '{"tracking":"1Z999"}'),
    ]
    answer = accumulate(events)
    assert answer.finish_reason == "stop"  # although tools were called (python-genai#2868)
    calls = answer.tool_calls()
    assert [(c.id, c.name, c.arguments, c.extra) for c in calls] == [
        ("function-call-11", "get_order", {"order_id": "A-1042"}, signature),
        ("function-call-12", "track_parcel", {"tracking": "1Z999"}, None),
    ]
    assert answer.usage == UsageReport(96, 38, reasoning_tokens=56)


def test_gemini_indexless_pieces_continue_the_latest_call() -> None:
    events = read(parser(), streams.GEMINI_SPLIT_CALL)
    assert [e.index for e in events if isinstance(e, ToolCallChunk)] == [0, 0, 0]
    (call,) = accumulate(events).tool_calls()
    assert call.id == "function-call-21"
    assert call.name == "search_kb"
    assert call.arguments == {"query": "refund policy"}
    assert call.extra == {"google": {"thought_signature": "EqQDCqEDAdHtim"}}


def test_gateway_empty_id_continues_the_latest_call() -> None:
    # Before the fix, "id": "" opened a second, nameless call: "incomplete tool call".
    events = read(parser(), streams.GATEWAY_EMPTY_ID_CALL)
    (call,) = accumulate(events).tool_calls()
    assert (call.id, call.name, call.arguments) == (
        "call_mem",
        "memory_save",
        {"content": "prefers email"},
    )


def test_indexless_piece_with_a_known_id_goes_to_that_call() -> None:
    p = parser()
    first = {"id": "a", "function": {"name": "f", "arguments": "{"}}
    second = {"id": "b", "function": {"name": "g", "arguments": "{}"}}
    again = {"id": "a", "function": {"arguments": "}"}}
    events = [
        e
        for call in (first, second, again)
        for e in p.feed(chunk({"choices": [{"delta": {"tool_calls": [call]}}]}))
    ]
    assert [(e.index, e.id) for e in events if isinstance(e, ToolCallChunk)] == [
        (0, "a"),
        (1, "b"),
        (0, "a"),
    ]
    assert [c.name for c in accumulate(events).tool_calls()] == ["f", "g"]


# --- Errors and malformed chunks -----------------------------------------------------------------


def test_inband_openai_error_is_a_server_error_in_stream() -> None:
    p = parser()
    sse = streams.decode(streams.OPENAI_INBAND_ERROR)
    assert p.feed(sse[0]) == [TextChunk("Hello")]
    with pytest.raises(ServerError) as caught:
        p.feed(sse[1])
    assert caught.value.in_stream
    assert caught.value.status == 500
    assert "The server had an error" in caught.value.user_message


def test_inband_rate_limit_error_is_rate_limited() -> None:
    # OpenAI's rate-limit errors carry type "tokens" and code "rate_limit_exceeded".
    error = {
        "message": "Rate limit reached for gpt-4o on tokens per min (TPM).",
        "type": "tokens",
        "param": None,
        "code": "rate_limit_exceeded",
    }
    with pytest.raises(RateLimited) as caught:
        parser().feed(chunk({"error": error}))
    assert caught.value.in_stream


def test_inband_context_error_is_context_overflow() -> None:
    error = {
        "message": "This model's maximum context length is 128000 tokens.",
        "type": "invalid_request_error",
        "code": "context_length_exceeded",
    }
    with pytest.raises(ContextOverflow):
        parser().feed(chunk({"error": error}))


@pytest.mark.parametrize(
    "data",
    [
        '{"error": {"message": "boom", "type": "weird_error"}}',
        '{"error": {"message": "boom"}}',
        '{"error": "upstream went away"}',
        '{"choices": [{"delta": {"content": "oops',
        "[1, 2]",
        '"just a string"',
        "",
    ],
    ids=["unknown-type", "no-type", "string-error", "malformed", "array", "string", "empty"],
)
def test_unknown_errors_and_malformed_chunks_are_stream_errors(data: str) -> None:
    with pytest.raises(StreamError) as caught:
        parser().feed(ServerSentEvent(data=data))
    assert caught.value.user_message


def test_falsy_error_key_is_not_an_error() -> None:
    event = chunk({"error": None, "choices": [{"delta": {"content": "ok"}}]})
    assert parser().feed(event) == [TextChunk("ok")]


# --- Request ------------------------------------------------------------------------------------


def test_body_streams_with_usage_and_default_fields() -> None:
    adapter = OpenAIAdapter()
    body = adapter.body(ChatRequest("gpt-4o", MESSAGES))
    assert body == {
        "model": "gpt-4o",
        "messages": MESSAGES,
        "max_tokens": 800,
        "stream": True,
        "stream_options": {"include_usage": True},
        "temperature": 0.2,
    }
    assert adapter.url("https://api.openai.com/v1") == "https://api.openai.com/v1/chat/completions"


def test_body_omits_temperature_when_none() -> None:
    body = OpenAIAdapter().body(ChatRequest("o4-mini", MESSAGES, temperature=None))
    assert "temperature" not in body


def test_body_json_object_and_json_schema() -> None:
    adapter = OpenAIAdapter()
    plain = adapter.body(ChatRequest("m", MESSAGES, json_output=True))
    assert plain["response_format"] == {"type": "json_object"}
    schema = {"name": "reply", "schema": {"type": "object"}, "strict": False}
    shaped = adapter.body(ChatRequest("m", MESSAGES, json_output=True, json_schema=schema))
    assert shaped["response_format"] == {"type": "json_schema", "json_schema": schema}


def test_body_tools_reasoning_effort_and_extra() -> None:
    tool = {"type": "function", "function": {"name": "get_order", "parameters": {}}}
    request = ChatRequest(
        "m",
        MESSAGES,
        tools=(tool,),
        reasoning_effort="low",
        extra={"parallel_tool_calls": False, "max_tokens": 50},
    )
    body = OpenAIAdapter().body(request)
    assert body["tools"] == [tool]
    assert body["reasoning_effort"] == "low"
    assert body["parallel_tool_calls"] is False
    assert body["max_tokens"] == 50  # extra wins over our defaults
    assert "tools" not in OpenAIAdapter().body(ChatRequest("m", MESSAGES))
    assert "reasoning_effort" not in OpenAIAdapter().body(ChatRequest("m", MESSAGES))


def test_headers_bearer_and_event_stream() -> None:
    assert OpenAIAdapter().headers("sk-test") == {
        "Authorization": "Bearer sk-test",
        "Accept": "text/event-stream",
    }


def test_arguments_sent_as_an_object_are_kept_as_json_text() -> None:
    call = {"index": 0, "id": "c1", "function": {"name": "lookup", "arguments": {"id": 4521}}}
    events = parser().feed(chunk({"choices": [{"index": 0, "delta": {"tool_calls": [call]}}]}))
    assert events == [ToolCallChunk(0, "c1", "lookup", '{"id": 4521}')]


def test_finish_reason_error_without_details_is_a_stream_error() -> None:
    failing = {"choices": [{"index": 0, "delta": {}, "finish_reason": "error"}]}
    with pytest.raises(StreamError, match="stopped the answer with an error"):
        parser().feed(chunk(failing))


def test_text_pieces_of_one_read_are_handed_on_together() -> None:
    pieces = [{"choices": [{"index": 0, "delta": {"content": w}}]} for w in ("Your", " order")]
    done = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    out: list[object] = []
    parser().feed_into([chunk(p) for p in [*pieces, done]], out)  # type: ignore[arg-type]
    assert out == [TextChunk("Your order"), Finish("stop")]
