"""The SSE decoder against the WHATWG rules, fed whole and split at every byte."""

from __future__ import annotations

import pytest

from app.llm.sse import ServerSentEvent, SSEDecoder


def decode_all(raw: bytes, *, split: int | None = None) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    size = split or len(raw) or 1
    events: list[ServerSentEvent] = []
    for start in range(0, len(raw), size):
        events += decoder.decode(raw[start : start + size])
    return events + decoder.flush()


@pytest.mark.parametrize("split", [None, 1, 2, 3])
def test_line_endings_and_split_points(split: int | None) -> None:
    raw = b"data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\n\n"
    assert [e.data for e in decode_all(raw, split=split)] == ["a", "b", "c", "d"]


@pytest.mark.parametrize("split", [None, 1])
def test_bom_dropped_once_and_utf8_split(split: int | None) -> None:
    raw = "\ufeffdata: h\u00e9llo \u4f60\u597d\n\ndata: \ufeffkept\n\n".encode()
    events = decode_all(raw, split=split)
    assert [e.data for e in events] == ["h\u00e9llo \u4f60\u597d", "\ufeffkept"]


def test_unicode_line_separators_are_data() -> None:
    payload = '{"t": "a\u2028b\u0085c\x0cd"}'
    assert decode_all(f"data: {payload}\n\n".encode())[0].data == payload


def test_invalid_utf8_becomes_replacement_character() -> None:
    assert decode_all(b"data: \xff\n\n")[0].data == "\ufffd"


def test_fields_comments_and_dispatch_rules() -> None:
    raw = (
        b": keep-alive\n"
        b"event: ping\n\n"  # no data: not dispatched
        b"id: 1\n\n"  # id only: not dispatched, but the id persists
        b"data\n\n"  # a bare data line dispatches an empty event
        b"Data: ignored\nunknown: x\ndata:  two spaces\nevent: delta\nretry: 15\n\n"
        b"id: a\x00b\nretry: soon\ndata: 1\ndata: 2\n\n"
        b"id\ndata: last\n\n"
    )
    events = decode_all(raw)
    assert events == [
        ServerSentEvent("message", "", "1", None),
        ServerSentEvent("delta", " two spaces", "1", 15),
        ServerSentEvent("message", "1\n2", "1", 15),
        ServerSentEvent("message", "last", "", 15),
    ]


def test_unterminated_event_is_discarded_at_end() -> None:
    decoder = SSEDecoder()
    assert decoder.decode(b"data: complete\n\ndata: cut off\n") == [
        ServerSentEvent(data="complete")
    ]
    assert decoder.flush() == []
    assert decode_all(b"data: no newline at all") == []
