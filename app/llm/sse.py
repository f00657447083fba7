"""Incremental Server-Sent Events decoder following WHATWG HTML "interpreting an event stream".

Layers: bytes → lines → events. Lines end at CR, LF or CRLF only (also when a CRLF is split across
two reads); U+2028, U+0085 and form feed are ordinary data, unlike ``str.splitlines`` and
``httpx.Response.aiter_lines``, which would cut a JSON payload in half. One leading BOM is dropped,
invalid UTF-8 becomes U+FFFD, and an event without its closing blank line is discarded at the end.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOM = "\ufeff"


@dataclass(frozen=True)
class ServerSentEvent:
    event: str = "message"
    data: str = ""
    id: str = ""  # the last event id in force when this event was dispatched
    retry: int | None = None  # the last valid reconnection delay seen, in ms


class SSEDecoder:
    def __init__(self) -> None:
        self._text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""  # text not yet ended by a line break
        self._started = False  # whether the leading BOM check has been done
        self._after_cr = False  # the last chunk ended in CR: a following LF belongs to it
        self._data: list[str] = []
        self._event = ""
        self._last_id = ""
        self._retry: int | None = None

    def decode(self, chunk: bytes) -> list[ServerSentEvent]:
        return self._feed(self._text.decode(chunk))

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: complete lines are processed; a partly built event is discarded."""
        events = self._feed(self._text.decode(b"", final=True))
        if self._pending:
            self._line(self._pending)  # a last line without a line break still sets fields
            self._pending = ""
        self._data, self._event = [], ""
        return events

    def _feed(self, text: str) -> list[ServerSentEvent]:
        if not self._started and text:
            self._started = True
            if text.startswith(_BOM):
                text = text[1:]
        if self._after_cr and text.startswith("\n"):
            text = text[1:]
        self._after_cr = False
        buffer = self._pending + text
        events: list[ServerSentEvent] = []
        start = 0
        length = len(buffer)
        while True:
            cr = buffer.find("\r", start)
            lf = buffer.find("\n", start)
            if cr < 0 and lf < 0:
                break
            end = lf if cr < 0 or (0 <= lf < cr) else cr
            event = self._line(buffer[start:end])
            if event is not None:
                events.append(event)
            if buffer[end] == "\r":
                if end + 1 == length:
                    self._after_cr = True  # a LF may open the next chunk
                elif buffer[end + 1] == "\n":
                    end += 1
            start = end + 1
        self._pending = buffer[start:]
        return events

    def _line(self, line: str) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment, e.g. a gateway keep-alive
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
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
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        data, event = self._data, self._event
        self._data, self._event = [], ""
        if not data:
            return None
        return ServerSentEvent(
            event=event or "message", data="\n".join(data), id=self._last_id, retry=self._retry
        )
