"""The pure accumulator: chat events in, the finished answer out."""

from __future__ import annotations

import pytest

from app.llm.accumulate import Accumulator, ToolCall
from app.llm.chat import (
    Finish,
    ReasoningChunk,
    TextChunk,
    ToolCallChunk,
    UsageReport,
    Waiting,
)
from app.llm.errors import StreamError
from tests.llm.streams import accumulate


def test_empty_answer() -> None:
    answer = Accumulator()
    assert (answer.text, answer.reasoning, answer.reasoning_details) == ("", "", [])
    assert answer.usage is None
    assert answer.finish_reason is None
    assert answer.tool_calls() == []


def test_text_and_reasoning_are_joined_and_details_collected() -> None:
    signed = {"type": "thinking", "thinking": "ab", "signature": "sig"}
    redacted = {"type": "redacted_thinking", "data": "xyz"}
    answer = accumulate(
        [
            ReasoningChunk("a"),
            ReasoningChunk("b"),
            ReasoningChunk("", (signed,)),
            ReasoningChunk("", (redacted,)),
            TextChunk("Hel"),
            TextChunk(""),
            TextChunk("lo"),
            Finish("stop"),
        ]
    )
    assert answer.text == "Hello"
    assert answer.reasoning == "ab"
    assert answer.reasoning_details == [signed, redacted]
    assert answer.finish_reason == "stop"


def test_tool_calls_are_assembled_by_index_in_index_order() -> None:
    answer = accumulate(
        [
            ToolCallChunk(1, "call_b", "track_parcel"),
            ToolCallChunk(0, "call_a", "get_order", '{"order'),
            ToolCallChunk(1, arguments='{"tracking": "1Z"}'),
            ToolCallChunk(0, arguments='_id": "A-1"}'),
            ToolCallChunk(2, "call_c", "list_carriers"),
        ]
    )
    assert answer.tool_calls() == [
        ToolCall("call_a", "get_order", {"order_id": "A-1"}),
        ToolCall("call_b", "track_parcel", {"tracking": "1Z"}),
        ToolCall("call_c", "list_carriers", {}),  # no arguments at all: {}
    ]


def test_first_id_and_name_win_and_extra_is_merged() -> None:
    answer = accumulate(
        [
            ToolCallChunk(0, "call_a", "get_order", "{}", {"google": {"thought_signature": "s"}}),
            ToolCallChunk(0, "other", "other_name", "", {"vendor": 1}),
        ]
    )
    (call,) = answer.tool_calls()
    assert (call.id, call.name) == ("call_a", "get_order")
    assert call.extra == {"google": {"thought_signature": "s"}, "vendor": 1}


def test_call_without_id_gets_a_stable_one() -> None:
    (call,) = accumulate([ToolCallChunk(3, None, "f", " {} ")]).tool_calls()
    assert call.id == "call_3"
    assert call.arguments == {}


@pytest.mark.parametrize(
    "pieces",
    [
        ['{"order_id": "A-1"}', '{"tracking": "1Z"}'],  # two calls merged under one index
        ['{"order_id": "A-'],  # cut mid-arguments
        ["not json"],
    ],
    ids=["merged", "incomplete", "garbage"],
)
def test_malformed_arguments_are_a_stream_error(pieces: list[str]) -> None:
    events = [ToolCallChunk(0, "c", "get_order")] + [ToolCallChunk(0, arguments=p) for p in pieces]
    with pytest.raises(StreamError) as caught:
        accumulate(list(events)).tool_calls()
    assert "get_order" in caught.value.user_message


@pytest.mark.parametrize(
    "events",
    [
        [ToolCallChunk(0, "c", "f", "[1, 2]")],  # JSON, but not an object
        [ToolCallChunk(0, "c", None, "{}")],  # never named
    ],
    ids=["not-an-object", "no-name"],
)
def test_incomplete_tool_call_is_a_stream_error(events: list[ToolCallChunk]) -> None:
    with pytest.raises(StreamError, match="incomplete tool call"):
        accumulate(list(events)).tool_calls()


def test_last_usage_wins_and_waiting_is_ignored() -> None:
    answer = accumulate(
        [
            Waiting("retry", 1.0, 1, "The provider failed."),
            UsageReport(100, 1, 80),
            TextChunk("x"),
            UsageReport(100, 42, 80, 7),
        ]
    )
    assert answer.usage == UsageReport(100, 42, 80, 7)
    assert answer.text == "x"
