"""Incremental Server-Sent Events decoder following WHATWG HTML "interpreting an event stream".

Layers: bytes → lines → events. Lines end at CR, LF or CRLF only (also when a CRLF is split across
two reads); U+2028, U+0085 and form feed are ordinary data, unlike ``str.splitlines`` and
``httpx.Response.aiter_lines``, which would cut a JSON payload in half. One leading BOM is dropped,
invalid UTF-8 becomes U+FFFD, and an event without its closing blank line is discarded at the end.

Written for speed as well as exactness: at 3,000 tokens/s every chunk goes through here. Each read
is split into lines by ``str.split`` (in C) after CR and CRLF are folded into LF, and the loop
over lines handles the common ``data: …`` line before anything else.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOM = "\ufeff"


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
        self._pending = ""  # text not yet ended by a line break
        self._started = False  # whether the leading BOM check has been done
        self._after_cr = False  # the last text ended in CR: a LF opening the next belongs to it
        self._data: list[str] = []
        self._event = ""
        self._last_id = ""
        self._retry: int | None = None

    def decode(self, chunk: bytes) -> list[ServerSentEvent]:
        return self._feed(self._text.decode(chunk))

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
        lines = buffer.split("\n")
        self._pending = lines.pop()
        events: list[ServerSentEvent] = []
        data = self._data
        for line in lines:
            if line[:6] == "data: ":  # the common case first
                data.append(line[6:])
            elif not line:
                if data:
                    events.append(
                        ServerSentEvent(
                            self._event or "message", "\n".join(data), self._last_id, self._retry
                        )
                    )
                    data = self._data = []
                self._event = ""
            elif line[0] != ":":  # not a comment
                self._field(line)
        return events

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
