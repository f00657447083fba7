"""Differential test: SSEDecoder, fed random streams in random pieces, against a plain reference.

tests/llm/sse_reference.py reads a whole stream the obvious way (decode with replacement, drop one
BOM, split on CRLF/CR/LF, process fields, discard the unterminated tail). The streams are built
from fragments chosen to hit the awkward cases together: bare field names, NUL in ids, invalid
retry values, every line end, multi-byte and truncated UTF-8, Unicode "line breaks" that are not
SSE line ends, stray BOMs and random bytes. Seeds are fixed, so a failure always reproduces; the
assertion message carries the stream and its chunks.
"""

from __future__ import annotations

import random

import pytest

from app.llm.sse import ServerSentEvent, SSEDecoder
from tests.llm.sse_reference import reference_events

BOM = b"\xef\xbb\xbf"

# Line starts: fields, bare names, unknown and mis-cased names, comments.
LINE_STARTS: list[bytes] = [
    b"data",
    b"data:",
    b"data: ",
    b"data: x",
    b"data:  y",
    b"data:[DONE]",
    b'data: {"k":"a:b"}',
    b"Data: z",
    b"Event: E",
    b"ID: 9",
    b"Retry: 3",
    b"event: e",
    b"event",
    b"event:",
    b"id: 1",
    b"id: 22",
    b"id",
    b"id:",
    b"id:\x00",
    b"id: a\x00b",
    b"retry: 5",
    b"retry: 120",
    b"retry:x",
    b"retry: -1",
    b"retry: 7 ",
    "retry: \u0663".encode(),  # an Arabic-Indic digit: str.isdigit() but not ASCII
    b"foo: bar",
    b": c",
    b": keep-alive",
    b":",
    b"",
]
# Line ends, alone and in runs (a run makes blank lines, which dispatch).
LINE_ENDS: list[bytes] = [b"\r", b"\n", b"\r\n", b"\n\n", b"\r\r", b"\r\n\r\n", b"\n\r"]
# Things inside a line: characters that are not SSE line ends, multi-byte, truncated and invalid
# UTF-8, stray BOMs, and more field-like text.
INSIDE: list[bytes] = [
    b" ",
    b"x",
    b":",
    b"data",
    "\u2028".encode(),
    "\u2029".encode(),
    "\u0085".encode(),
    b"\x0b\x0c",
    b"\x1c\x1d\x1e",
    "\u00e9".encode(),
    "\u20ac".encode(),
    "\U0001f642".encode(),
    b"\xc3",
    b"\xe2\x82",
    b"\xf0\x9f\x99",
    b"\xff",
    b"\x80",
    b"\xed\xa0\x80",
    b"\x00",
    BOM,
]


def random_stream(rng: random.Random) -> bytes:
    """Mostly well-formed lines, with junk inside them, missing line ends and random bytes."""
    parts: list[bytes] = []
    if rng.random() < 0.2:
        parts.append(BOM)
    for _ in range(rng.randint(0, 12)):
        parts.append(rng.choice(LINE_STARTS))
        while rng.random() < 0.3:
            parts.append(rng.choice(INSIDE))
        if rng.random() < 0.05:
            parts.append(rng.randbytes(rng.randint(1, 3)))
        if rng.random() < 0.9:
            parts.append(rng.choice(LINE_ENDS))
    return b"".join(parts)


def random_chunks(rng: random.Random, raw: bytes, *, empty_reads: bool) -> list[bytes]:
    chunks: list[bytes] = []
    start = 0
    while start < len(raw):
        if empty_reads and rng.random() < 0.25:
            chunks.append(b"")
        size = rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 7, 11, 64))
        chunks.append(raw[start : start + size])
        start += size
    if empty_reads and rng.random() < 0.25:
        chunks.append(b"")
    return chunks


def decode_chunks(chunks: list[bytes]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events += decoder.decode(chunk)
    return events + decoder.flush()


@pytest.mark.parametrize(
    ("seed", "streams", "empty_reads"),
    [(20260101, 4000, False), (20260102, 1000, True)],
    ids=["random-pieces", "random-pieces-with-empty-reads"],
)
def test_decoder_matches_reference_on_random_streams(
    seed: int, streams: int, empty_reads: bool
) -> None:
    rng = random.Random(seed)
    for _ in range(streams):
        raw = random_stream(rng)
        expected = reference_events(raw)
        assert decode_chunks([raw]) == expected, f"stream={raw!r}"
        chunks = random_chunks(rng, raw, empty_reads=empty_reads)
        assert decode_chunks(chunks) == expected, f"chunks={chunks!r}"


def test_random_streams_do_reach_the_interesting_cases() -> None:
    """Guards the generator: the differential test is only as good as what it produces."""
    rng = random.Random(20260101)
    events = [e for _ in range(2500) for e in reference_events(random_stream(rng))]
    assert len(events) > 2000
    assert any(e.data == "" for e in events)
    assert any("\n" in e.data for e in events)
    assert any("\u2028" in e.data for e in events)
    assert any("\ufffd" in e.data for e in events)
    assert any(e.event == "e" for e in events)
    assert any(e.id == "1" for e in events) and any(e.id == "" for e in events)
    assert any(e.retry == 5 for e in events) and any(e.retry is None for e in events)


# The examples in the WHATWG HTML standard ("interpreting an event stream"), with the events the
# standard says they produce: they check the reference itself as well as the decoder.
SPEC_EXAMPLES = [
    (
        b"data: YHOO\ndata: +2\ndata: 10\n\n",
        [ServerSentEvent(data="YHOO\n+2\n10")],
    ),
    (
        b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\n"
        b"data:  third event\n",
        [ServerSentEvent(data="first event", id="1"), ServerSentEvent(data="second event")],
    ),
    (
        b"data\n\ndata\ndata\n\ndata:",
        [ServerSentEvent(data=""), ServerSentEvent(data="\n")],
    ),
    (
        b"data:test\n\ndata: test\n\n",
        [ServerSentEvent(data="test"), ServerSentEvent(data="test")],
    ),
]


@pytest.mark.parametrize(("raw", "events"), SPEC_EXAMPLES, ids=["stock", "ids", "empty", "space"])
def test_reference_and_decoder_agree_with_the_spec_examples(
    raw: bytes, events: list[ServerSentEvent]
) -> None:
    assert reference_events(raw) == events
    assert decode_chunks([raw]) == events
    assert decode_chunks([raw[i : i + 1] for i in range(len(raw))]) == events
