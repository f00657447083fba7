"""The SSE decoder against WHATWG HTML "interpreting an event stream" (PROTOCOLS.md A1).

Only the public interface is used: ``SSEDecoder().decode(chunk) -> list[ServerSentEvent]`` for each
network read, then ``.flush()`` at the end of the stream. ``ServerSentEvent.id`` is the last event
id in force at dispatch, ``.retry`` the last valid reconnection delay seen (ms) or None.

This file alone must give app/llm/sse.py 100% branch coverage (tests/llm/test_sse_coverage.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pytest

from app.llm.sse import ServerSentEvent, SSEDecoder

BOM = b"\xef\xbb\xbf"


def feed(chunks: Iterable[bytes]) -> list[ServerSentEvent]:
    """Decode a stream delivered as ``chunks``, then end it."""
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events += decoder.decode(chunk)
    return events + decoder.flush()


def parse(raw: bytes) -> list[ServerSentEvent]:
    """Decode a stream delivered in one read."""
    return feed([raw])


def pieces(raw: bytes, size: int) -> list[bytes]:
    return [raw[start : start + size] for start in range(0, len(raw), size)]


def data_of(events: list[ServerSentEvent]) -> list[str]:
    return [event.data for event in events]


def msg(
    data: str, *, event: str = "message", id: str = "", retry: int | None = None
) -> ServerSentEvent:
    return ServerSentEvent(event=event, data=data, id=id, retry=retry)


# --- Encoding: BOM ------------------------------------------------------------------------------


def test_leading_bom_is_dropped() -> None:
    assert parse(BOM + b"data: x\n\n") == [msg("x")]


@pytest.mark.parametrize("cut", [1, 2, 3], ids=["after-byte-1", "after-byte-2", "after-byte-3"])
def test_leading_bom_split_across_two_chunks_is_dropped(cut: int) -> None:
    raw = BOM + b"data: x\n\n"
    assert feed([raw[:cut], raw[cut:]]) == [msg("x")]


def test_leading_bom_fed_byte_by_byte_is_dropped() -> None:
    assert feed(pieces(BOM + b"data: x\n\n", 1)) == [msg("x")]


def test_leading_bom_after_an_empty_first_chunk_is_dropped() -> None:
    # An empty read carries no bytes: the BOM is still the first thing in the stream.
    assert feed([b"", BOM + b"data: x\n\n"]) == [msg("x")]


def test_bom_is_dropped_only_once() -> None:
    # The second BOM belongs to the first line: its field name is "\ufeffdata", an unknown field.
    raw = BOM + BOM + b"data: lost\n\ndata: kept\n\n"
    assert parse(raw) == [msg("kept")]
    assert feed(pieces(raw, 1)) == [msg("kept")]


def test_bom_after_the_start_of_the_stream_is_not_dropped() -> None:
    # After a blank first line the BOM is no longer at the start: "\ufeffdata" is unknown.
    assert parse(b"\n" + BOM + b"data: lost\n\ndata: kept\n\n") == [msg("kept")]
    assert feed([b"data: a\n\n", BOM + b"data: lost\n\n"]) == [msg("a")]


def test_bom_inside_data_is_data() -> None:
    assert parse(b"data: " + BOM + b"x\n\n") == [msg("\ufeffx")]
    assert parse(BOM + b"data: " + BOM + b"x\n\n") == [msg("\ufeffx")]


def test_stream_of_only_a_bom_has_no_events() -> None:
    assert parse(BOM) == []
    assert feed(pieces(BOM, 1)) == []


# --- Encoding: UTF-8 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "char",
    ["\u00e9", "\u20ac", "\u4f60", "\U0001f642"],
    ids=["2-byte", "3-byte-euro", "3-byte-cjk", "4-byte"],
)
def test_multibyte_character_split_across_chunks(char: str) -> None:
    encoded = char.encode()
    prefix, suffix = b"data: <", b">\n\n"
    for cut in range(1, len(encoded)):
        chunks = [prefix + encoded[:cut], encoded[cut:] + suffix]
        assert feed(chunks) == [msg(f"<{char}>")], cut
    assert feed(pieces(prefix + encoded + suffix, 1)) == [msg(f"<{char}>")]


def test_multibyte_character_split_over_three_chunks() -> None:
    assert feed([b"data: \xf0\x9f", b"\x99", b"\x82\n\n"]) == [msg("\U0001f642")]


@pytest.mark.parametrize(
    ("raw", "data"),
    [
        (b"data: \xff\n\n", "\ufffd"),
        (b"data: a\xc3(b\n\n", "a\ufffd(b"),
        (b"data: \xe2\x82\n\n", "\ufffd"),  # a truncated 3-byte sequence is one U+FFFD
        (b"data: \x80x\n\n", "\ufffdx"),
    ],
    ids=["ff", "bad-continuation", "truncated-before-lf", "lone-continuation"],
)
def test_invalid_utf8_becomes_replacement_character(raw: bytes, data: str) -> None:
    assert parse(raw) == [msg(data)]
    assert feed(pieces(raw, 1)) == [msg(data)]


def test_invalid_utf8_split_across_chunks_becomes_replacement_character() -> None:
    assert feed([b"data: \xe2", b"\x82", b"x\n\n"]) == [msg("\ufffdx")]


def test_truncated_character_at_end_of_stream_is_not_an_error() -> None:
    decoder = SSEDecoder()
    assert decoder.decode(b"data: x\n\n\xe2\x82") == [msg("x")]
    assert decoder.flush() == []


def test_invalid_utf8_in_field_name_makes_an_unknown_field() -> None:
    assert parse(b"dat\xff: x\n\ndata: y\n\n") == [msg("y")]


# --- Line ends ----------------------------------------------------------------------------------


def test_lf_line_ends() -> None:
    assert parse(b"data: a\ndata: b\n\ndata: c\n\n") == [msg("a\nb"), msg("c")]


def test_crlf_line_ends() -> None:
    assert parse(b"data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n") == [msg("a\nb"), msg("c")]


def test_cr_line_ends() -> None:
    assert parse(b"data: a\rdata: b\r\rdata: c\r\r") == [msg("a\nb"), msg("c")]


def test_mixed_line_ends() -> None:
    raw = b"data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\n\rdata: e\n\r"
    assert parse(raw) == [msg("a\nb\nc"), msg("d"), msg("e")]


def test_lf_then_cr_is_two_line_ends() -> None:
    # "\n\r" is LF (ending the data line) then a lone CR (a blank line): the event dispatches.
    assert parse(b"data: a\n\rdata: b\n\n") == [msg("a"), msg("b")]


def test_crlf_split_across_chunks_is_one_line_end() -> None:
    # CR at the end of one read, LF at the start of the next: one line end, not two.
    assert feed([b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]) == [msg("a\nb")]


def test_crlf_split_across_chunks_before_a_blank_line() -> None:
    assert feed([b"data: a\r", b"\n\r\n"]) == [msg("a")]
    assert feed([b"data: a\r\n\r", b"\ndata: b\r\n\r\n"]) == [msg("a"), msg("b")]


def test_crlf_split_by_an_empty_chunk_is_one_line_end() -> None:
    # An empty read between the CR and the LF changes nothing: they still form one line end.
    assert feed([b"data: a\r", b"", b"\ndata: b\r\n\r\n"]) == [msg("a\nb")]


def test_crlf_split_by_several_empty_chunks_is_one_line_end() -> None:
    assert feed([b"data: a\r", b"", b"", b"\n\r", b"", b"\ndata: b\n\n"]) == [msg("a"), msg("b")]


def test_lone_cr_at_end_of_chunk_followed_by_non_lf() -> None:
    assert feed([b"data: a\r", b"data: b\r\r"]) == [msg("a\nb")]
    assert feed([b"data: a\r\r", b"data: b\n\n"]) == [msg("a"), msg("b")]


def test_lone_cr_at_end_of_chunk_followed_by_multibyte_character() -> None:
    assert feed([b"data: a\r", "data: \u00e9\r\r".encode()]) == [msg("a\n\u00e9")]
    assert feed([b"data: a\r", b"\xc3", b"\xa9: x\r", b"\r"]) == [msg("a")]


def test_cr_ending_a_blank_line_dispatches_without_waiting_for_the_next_chunk() -> None:
    decoder = SSEDecoder()
    assert decoder.decode(b"data: a\r\r") == [msg("a")]
    assert decoder.decode(b"\ndata: b\n\n") == [msg("b")]  # the LF after that CR is swallowed
    assert decoder.flush() == []


def test_cr_cr_is_two_line_ends_also_across_chunks() -> None:
    assert feed([b"data: a\r", b"\r", b"data: b\r", b"\r"]) == [msg("a"), msg("b")]


def test_final_cr_at_end_of_stream_ends_the_blank_line() -> None:
    assert parse(b"data: a\n\r") == [msg("a")]
    assert parse(b"data: a\r\r") == [msg("a")]


@pytest.mark.parametrize(
    "char",
    ["\u2028", "\u2029", "\u0085", "\x0c", "\x0b", "\x1c", "\x1d", "\x1e"],
    ids=["U+2028", "U+2029", "U+0085", "form-feed", "vertical-tab", "x1c", "x1d", "x1e"],
)
def test_unicode_and_control_line_breaks_are_ordinary_data(char: str) -> None:
    # str.splitlines() would cut here; SSE only ends lines at CR, LF and CRLF.
    payload = '{"text": "a' + char + 'b"}'
    raw = f"data: {payload}\n\n".encode()
    for events in (parse(raw), feed(pieces(raw, 1))):
        assert events == [msg(payload)]
        assert json.loads(events[0].data, strict=False) == {"text": f"a{char}b"}


def test_all_unicode_line_breaks_in_one_json_payload() -> None:
    text = "x\u2028\u2029\u0085\x0c\x0b\x1c\x1d\x1ey"
    payload = json.dumps({"choices": [{"delta": {"content": text}}]}, ensure_ascii=False)
    assert "\u2028" in payload  # raw, as many non-Python servers send it
    raw = f"data: {payload}\r\n\r\n".encode()
    events = feed(pieces(raw, 2))
    assert data_of(events) == [payload]
    assert json.loads(events[0].data)["choices"][0]["delta"]["content"] == text


# --- Comments -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment",
    [b": keep-alive", b": OPENROUTER PROCESSING", b":", b":no-space", b"::data: x"],
    ids=["deepseek-keep-alive", "openrouter-processing", "bare-colon", "no-space", "colons"],
)
def test_comment_is_ignored(comment: bytes) -> None:
    assert parse(comment + b"\ndata: x\n\n") == [msg("x")]
    assert parse(b"data: a\n" + comment + b"\ndata: b\n\n") == [msg("a\nb")]


def test_comment_only_block_is_not_dispatched() -> None:
    assert parse(b": keep-alive\n\n: keep-alive\r\n\r\n: OPENROUTER PROCESSING\r\r") == []


def test_comment_does_not_dispatch_or_reset_the_event_being_built() -> None:
    assert parse(b"event: e\ndata: a\n: ping\nid: 3\n\n") == [msg("a", event="e", id="3")]


# --- Fields -------------------------------------------------------------------------------------


def test_data_without_colon_appends_an_empty_line() -> None:
    assert parse(b"data\n\n") == [msg("")]
    assert parse(b"data: a\ndata\n\n") == [msg("a\n")]
    assert parse(b"data\ndata\n\n") == [msg("\n")]
    assert parse(b"data\ndata: a\n\n") == [msg("\na")]


def test_event_without_colon_sets_an_empty_type() -> None:
    assert parse(b"event: x\nevent\ndata: d\n\n") == [msg("d")]


def test_empty_event_value_means_message() -> None:
    assert parse(b"event:\ndata: d\n\nevent: \ndata: e\n\n") == [msg("d"), msg("e")]


def test_event_type_is_used() -> None:
    raw = b"event: content_block_delta\ndata: {}\n\n"
    assert parse(raw) == [msg("{}", event="content_block_delta")]


def test_event_type_is_reset_after_dispatch() -> None:
    assert parse(b"event: a\ndata: 1\n\ndata: 2\n\n") == [msg("1", event="a"), msg("2")]


def test_event_type_of_an_undispatched_block_does_not_leak() -> None:
    assert parse(b"event: ping\n\ndata: x\n\n") == [msg("x")]


@pytest.mark.parametrize(
    ("line", "value"),
    [
        (b"data:  x", " x"),
        (b"data:x", "x"),
        (b"data: x", "x"),
        (b"data:   ", "  "),
        (b"data: ", ""),
        (b"data:\tx", "\tx"),
        (b"data: x ", "x "),
    ],
    ids=["two-spaces", "no-space", "one-space", "three-spaces", "space-only", "tab", "trailing"],
)
def test_exactly_one_leading_space_is_removed(line: bytes, value: str) -> None:
    assert parse(line + b"\n\n") == [msg(value)]


def test_leading_space_removal_applies_to_every_field() -> None:
    raw = b"event:  e\nid:  7\nretry:5\ndata:  d\n\n"
    assert parse(raw) == [msg(" d", event=" e", id=" 7", retry=5)]


@pytest.mark.parametrize(
    "line",
    [b"Data: x", b"DATA: x", b"data : x", b" data: x", b"dat: x", b"datas: x"],
    ids=["Data", "DATA", "space-before-colon", "leading-space", "dat", "datas"],
)
def test_field_names_are_exact_and_case_sensitive(line: bytes) -> None:
    assert parse(line + b"\n\n") == []
    assert parse(line + b"\ndata: y\n\n") == [msg("y")]


def test_case_variants_of_event_id_and_retry_are_ignored() -> None:
    raw = b"Event: e\nID: 1\nRetry: 5\nEVENT: f\ndata: x\n\n"
    assert parse(raw) == [msg("x")]


@pytest.mark.parametrize(
    "line", [b"foo: bar", b"baz", b"x-custom:1", b"\xff: y"], ids=["foo", "bare", "x", "invalid"]
)
def test_unknown_fields_are_ignored(line: bytes) -> None:
    assert parse(b"data: a\n" + line + b"\ndata: b\n\n") == [msg("a\nb")]
    assert parse(line + b"\n\n") == []


def test_multiple_data_lines_are_joined_with_lf() -> None:
    assert parse(b"data: one\ndata: two\r\ndata: three\r\n\r\n") == [msg("one\ntwo\nthree")]


def test_only_one_trailing_lf_is_removed_from_data() -> None:
    assert parse(b"data: a\ndata:\ndata:\n\n") == [msg("a\n\n")]


def test_empty_data_field_dispatches_an_event_with_empty_data() -> None:
    assert parse(b"data:\n\n") == [msg("")]
    assert parse(b"data: \n\n") == [msg("")]


@pytest.mark.parametrize(
    "block",
    [b"event: ping\n\n", b"id: 1\n\n", b"retry: 5\n\n", b"event: a\nid: 2\nretry: 3\n\n", b"\n"],
    ids=["event-only", "id-only", "retry-only", "event-id-retry", "blank-line"],
)
def test_block_without_data_is_not_dispatched(block: bytes) -> None:
    assert parse(block) == []
    assert parse(block * 3) == []


def test_field_value_keeps_further_colons() -> None:
    raw = b'event: a:b\nid: urn:x:1\ndata: {"k": "v:w", "t": "12:30"}\ndata::\n\n'
    assert parse(raw) == [msg('{"k": "v:w", "t": "12:30"}\n:', event="a:b", id="urn:x:1")]


def test_data_keeps_nul_and_other_controls() -> None:
    assert parse(b"data: a\x00b\x07c\td\n\n") == [msg("a\x00b\x07c\td")]


def test_done_sentinel_is_ordinary_data() -> None:
    raw = b"data: [DONE]\n\ndata: after\n\n"
    assert parse(raw) == [msg("[DONE]"), msg("after")]


# --- id -----------------------------------------------------------------------------------------


def test_id_is_attached_to_the_event() -> None:
    assert parse(b"id: 42\ndata: x\n\n") == [msg("x", id="42")]


def test_id_persists_across_later_events() -> None:
    raw = b"id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\ndata: d\n\n"
    assert parse(raw) == [msg("a", id="1"), msg("b", id="1"), msg("c", id="2"), msg("d", id="2")]


def test_id_from_a_block_without_data_persists() -> None:
    assert parse(b"id: 7\n\ndata: x\n\n") == [msg("x", id="7")]


def test_id_later_in_the_same_block_wins() -> None:
    assert parse(b"id: 1\ndata: x\nid: 2\n\n") == [msg("x", id="2")]


@pytest.mark.parametrize("reset", [b"id:", b"id: ", b"id"], ids=["colon", "colon-space", "bare"])
def test_empty_id_resets_the_last_event_id(reset: bytes) -> None:
    raw = b"id: 1\ndata: a\n\n" + reset + b"\ndata: b\n\ndata: c\n\n"
    assert parse(raw) == [msg("a", id="1"), msg("b"), msg("c")]


def test_id_containing_nul_is_ignored() -> None:
    raw = b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\nid: \x00\ndata: c\n\n"
    assert parse(raw) == [msg("a", id="1"), msg("b", id="1"), msg("c", id="1")]


def test_id_containing_nul_does_not_reset_to_empty() -> None:
    assert parse(b"id: 5\nid:\x00\ndata: x\n\n") == [msg("x", id="5")]


# --- retry --------------------------------------------------------------------------------------


def test_numeric_retry_is_kept() -> None:
    assert parse(b"retry: 3000\ndata: x\n\n") == [msg("x", retry=3000)]


def test_retry_zero_is_kept() -> None:
    assert parse(b"retry: 10\nretry: 0\ndata: x\n\n") == [msg("x", retry=0)]


def test_retry_with_leading_zeros_is_decimal() -> None:
    assert parse(b"retry: 0010\ndata: x\n\n") == [msg("x", retry=10)]


def test_retry_persists_across_events_and_blocks_without_data() -> None:
    raw = b"data: a\n\nretry: 5\n\ndata: b\n\ndata: c\n\nretry: 6\ndata: d\n\n"
    assert parse(raw) == [msg("a"), msg("b", retry=5), msg("c", retry=5), msg("d", retry=6)]


@pytest.mark.parametrize(
    "value",
    [b"soon", b"-5", b"+5", b"5 ", b" 5", b"1.5", b"5e3", b"0x10", b"1_000", "\u0663".encode(),
     "\u00b2".encode(), "\uff15".encode()],
    ids=["word", "negative", "plus", "trailing-space", "extra-leading-space", "decimal-point",
         "exponent", "hex", "underscore", "arabic-indic-digit", "superscript-two", "fullwidth-5"],
)  # fmt: skip
def test_invalid_retry_is_ignored(value: bytes) -> None:
    assert parse(b"retry: " + value + b"\ndata: x\n\n") == [msg("x")]
    assert parse(b"retry: 7\nretry: " + value + b"\ndata: x\n\n") == [msg("x", retry=7)]


# --- End of stream ------------------------------------------------------------------------------


def test_empty_stream_has_no_events() -> None:
    assert SSEDecoder().flush() == []
    assert feed([b""]) == []


def test_empty_chunks_are_harmless() -> None:
    assert feed([b"", b"data: a", b"", b"\n", b"", b"\n", b""]) == [msg("a")]


def test_unterminated_event_is_discarded_at_end_of_stream() -> None:
    decoder = SSEDecoder()
    assert decoder.decode(b"data: complete\n\ndata: cut off\n") == [msg("complete")]
    assert decoder.flush() == []


def test_last_line_without_line_end_is_discarded() -> None:
    assert parse(b"data: no line end at all") == []
    assert parse(b"data: a\n\ndata: b") == [msg("a")]


def test_unterminated_id_retry_or_event_line_at_end_dispatches_nothing() -> None:
    for tail in (b"id: 7", b"retry: 9", b"event: e", b"data", b":", b"\xe2\x82"):
        decoder = SSEDecoder()
        assert decoder.decode(b"data: a\n\ndata: b\n" + tail) == [msg("a")], tail
        assert decoder.flush() == [], tail


def test_flush_after_a_complete_stream_returns_nothing() -> None:
    decoder = SSEDecoder()
    assert decoder.decode(b"data: a\n\n") == [msg("a")]
    assert decoder.flush() == []


def test_events_come_from_the_read_that_completes_them() -> None:
    decoder = SSEDecoder()
    assert decoder.decode(b"data: a\n") == []
    assert decoder.decode(b"\ndata: b\n\ndata: c") == [msg("a"), msg("b")]
    assert decoder.decode(b"\n") == []
    assert decoder.decode(b"\ndata: d\r\n\r\n") == [msg("c"), msg("d")]
    assert decoder.flush() == []


# --- Every split point of a realistic stream ----------------------------------------------------


def _chunk(content: str | None, *, finish: str | None = None, role: bool = False) -> str:
    delta: dict[str, object] = {"content": content}
    if role:
        delta = {"role": "assistant", "content": content}
    return json.dumps(
        {
            "id": "chatcmpl-9x",
            "object": "chat.completion.chunk",
            "created": 1767225600,
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
            "usage": None,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


USAGE = json.dumps(
    {
        "id": "chatcmpl-9x",
        "object": "chat.completion.chunk",
        "choices": [],
        "usage": {"prompt_tokens": 12, "completion_tokens": 5, "total_tokens": 17},
    },
    separators=(",", ":"),
)
# The usage chunk is sent as two data lines (CRLF between them): SSE joins them with LF.
_CUT = USAGE.index('"usage"')
USAGE_LINES = [USAGE[:_CUT], USAGE[_CUT:]]
USAGE_DATA = "\n".join(USAGE_LINES)
CHUNKS = [
    _chunk("", role=True),
    _chunk("H\u00e9llo, \u4e16\u754c \U0001f642"),
    _chunk(" line\u2028sep\u0085next\x0cpage"),
    _chunk("!", finish="stop"),
]
SAMPLE = (
    BOM
    + b": OPENROUTER PROCESSING\r\n\r\n"
    + f"data: {CHUNKS[0]}\r\n\r\n".encode()
    + f"data: {CHUNKS[1]}\n\n".encode()
    + b": keep-alive\n\n"
    + f"retry: 1500\rid: evt-3\rdata: {CHUNKS[2]}\r\r".encode()
    + f"data: {CHUNKS[3]}\r\n\r\n".encode()
    + f"data: {USAGE_LINES[0]}\r\ndata: {USAGE_LINES[1]}\n\n".encode()
    + b"data: [DONE]\r\n\r\n"
)
SAMPLE_EVENTS = [
    msg(CHUNKS[0]),
    msg(CHUNKS[1]),
    msg(CHUNKS[2], id="evt-3", retry=1500),
    msg(CHUNKS[3], id="evt-3", retry=1500),
    msg(USAGE_DATA, id="evt-3", retry=1500),
    msg("[DONE]", id="evt-3", retry=1500),
]


def test_sample_stream_fed_whole() -> None:
    events = parse(SAMPLE)
    assert events == SAMPLE_EVENTS
    assert json.loads(events[4].data) == json.loads(USAGE)
    contents = [json.loads(e.data)["choices"][0]["delta"]["content"] for e in events[1:4]]
    assert (
        "".join(contents) == "H\u00e9llo, \u4e16\u754c \U0001f642 line\u2028sep\u0085next\x0cpage!"
    )


def test_sample_stream_split_in_two_at_every_byte_offset() -> None:
    whole = parse(SAMPLE)
    for offset in range(len(SAMPLE) + 1):
        assert feed([SAMPLE[:offset], SAMPLE[offset:]]) == whole, offset


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_sample_stream_in_fixed_size_pieces(size: int) -> None:
    assert feed(pieces(SAMPLE, size)) == parse(SAMPLE) == SAMPLE_EVENTS


def test_sample_stream_split_in_three_around_every_cr() -> None:
    # Both cuts next to each line-end byte: CR | LF, and CR | empty | LF.
    whole = parse(SAMPLE)
    for offset, byte in enumerate(SAMPLE):
        if byte == 0x0D:
            cut = offset + 1
            assert feed([SAMPLE[:cut], SAMPLE[cut:]]) == whole, offset
            assert feed([SAMPLE[:cut], b"", SAMPLE[cut:]]) == whole, offset


def test_a_long_event_spread_over_many_reads_is_worked_through_as_it_grows() -> None:
    # Over 64 KiB of data lines (and keep-alive comments) before the blank line: the decoder
    # processes complete lines as they come instead of holding the text back.
    decoder = SSEDecoder()
    line = "data: " + "x" * 1000 + "\n: keep-alive\n"
    events: list[ServerSentEvent] = []
    for _ in range(100):
        events += decoder.decode(line.encode())
    assert events == []
    events += decoder.decode(b"data: end\n\n")
    assert len(events) == 1
    assert events[0].data == "\n".join(["x" * 1000] * 100 + ["end"])
