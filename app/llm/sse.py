"""Incremental Server-Sent Events decoder following WHATWG HTML "interpreting an event stream".

Layers: bytes → lines → events. Lines end at CR, LF or CRLF only (also when a CRLF is split across
two reads); U+2028, U+0085 and form feed are ordinary data, unlike ``str.splitlines`` and
``httpx.Response.aiter_lines``, which would cut a JSON payload in half. One leading BOM is dropped,
invalid UTF-8 becomes U+FFFD, and an event without its closing blank line is discarded at the end.

Written for speed as well as exactness: at 3,000 tokens/s every chunk goes through here. Each read
is split into blocks at blank lines by ``str.split`` (in C) after CR and CRLF are folded into LF;
the usual block, a single ``data: …`` line, becomes an event at once, and any other block goes
through the line-by-line algorithm.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOM = "\ufeff"
# Unfinished text kept before its complete lines are worked through: keeps a stream of lines that
# never ends an event (keep-alives without blank lines) from growing without bound.
PENDING_LIMIT = 1 << 16


@dataclass(slots=True)
class ServerSentEvent:
    # Not frozen: a frozen dataclass's __init__ costs three times as much, once per chunk.
    event: str = "message"
    data: str = ""
    id: str = ""  # the last event id in force when this event was dispatched
    retry: int | None = None  # the last valid reconnection delay seen, in ms


class SSEDecoder:
    def __init__(self) -> None:
        self._text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._partial = False  # the incremental decoder holds the start of a character
        self._pending = ""  # text not yet ended by a line break
        self._started = False  # whether the leading BOM check has been done
        self._after_cr = False  # the last text ended in CR: a LF opening the next belongs to it
        self._data: list[str] = []
        self._event = ""
        self._last_id = ""
        self._retry: int | None = None

    def decode(self, chunk: bytes) -> list[ServerSentEvent]:
        if not self._partial:  # the usual read: whole characters only, decoded in one C call
            try:
                return self._feed(chunk.decode())
            except UnicodeDecodeError:
                pass  # a character split across reads, or invalid bytes: the careful way
        text = self._text.decode(chunk)
        self._partial = bool(self._text.getstate()[0])
        return self._feed(text)

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: complete lines are processed; a partly built event is discarded."""
        events = self._feed(self._text.decode(b"", final=True))
        self._pending = ""  # a last line without its line break is incomplete: dropped
        self._data, self._event = [], ""
        return events

    def _feed(self, text: str) -> list[ServerSentEvent]:
        if not text:
            return []  # an empty read changes nothing, not even a pending CR
        if not self._started:
            self._started = True
            if text[0] == _BOM:
                text = text[1:]
        if self._after_cr:
            self._after_cr = False
            if text[:1] == "\n":
                text = text[1:]
        buffer = self._pending + text if self._pending else text
        if "\r" in buffer:
            self._after_cr = buffer[-1] == "\r"
            buffer = buffer.replace("\r\n", "\n").replace("\r", "\n")
        # Blocks end at a blank line. Text after the last one waits, unprocessed, for the rest
        # of its event; it is only worked through line by line when it grows large.
        blocks = buffer.split("\n\n")
        pending = blocks.pop()
        events: list[ServerSentEvent] = []
        for block in blocks:
            if (
                block.startswith("data: ")
                and "\n" not in block
                and not self._data
                and not self._event
            ):  # the usual event: one data line, then the blank line
                events.append(ServerSentEvent("message", block[6:], self._last_id, self._retry))
            else:
                self._lines(block.split("\n"), events)
                self._dispatch(events)
        if len(pending) > PENDING_LIMIT and "\n" in pending:
            done, _, pending = pending.rpartition("\n")
            self._lines(done.split("\n"), events)
        self._pending = pending
        return events

    def _lines(self, lines: list[str], events: list[ServerSentEvent]) -> None:
        for line in lines:
            if not line:
                self._dispatch(events)
            elif line[0] != ":":  # not a comment
                self._field(line)

    def _dispatch(self, events: list[ServerSentEvent]) -> None:
        if self._data:
            event = self._event or "message"
            events.append(ServerSentEvent(event, "\n".join(self._data), self._last_id, self._retry))
            self._data = []
        self._event = ""

    def _field(self, line: str) -> None:
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
