from __future__ import annotations

import pytest

from app.llm.errors import StreamError
from app.llm.openai_compat import (
    ChatRequest,
    Finish,
    ReasoningChunk,
    TextChunk,
    UsageReport,
    parse_chunk,
    request_body,
)


def test_request_body_asks_for_usage_and_json() -> None:
    body = request_body(ChatRequest("m", [{"role": "user", "content": "hi"}], json_output=True))
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["response_format"] == {"type": "json_object"}


def test_content_reasoning_finish_and_usage() -> None:
    assert parse_chunk('{"choices":[{"delta":{"role":"assistant","content":""}}]}') == []
    assert parse_chunk('{"choices":[{"delta":{"reasoning_content":"think"}}]}') == [
        ReasoningChunk("think")
    ]
    assert parse_chunk('{"choices":[{"delta":{"reasoning":"r","content":"x"}}]}') == [
        ReasoningChunk("r"),
        TextChunk("x"),
    ]
    assert parse_chunk('{"choices":[{"delta":{},"finish_reason":"stop"}]}') == [Finish("stop")]
    usage = '{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":5}}'
    assert parse_chunk(usage) == [UsageReport(12, 5)]
    assert parse_chunk('{"choices":null,"usage":null}') == []


@pytest.mark.parametrize(
    "data",
    ['{"choices": [{"delta": {"content": "oops', "[1, 2]", '{"error": {"message": "boom"}}'],
)
def test_malformed_or_in_band_error_raises_stream_error(data: str) -> None:
    with pytest.raises(StreamError) as caught:
        parse_chunk(data)
    assert caught.value.user_message
