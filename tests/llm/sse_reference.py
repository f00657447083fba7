"""A deliberately plain, whole-stream reading of WHATWG HTML "interpreting an event stream".

Only the tests use it: the differential test feeds the same bytes to ``app.llm.sse.SSEDecoder`` in
random pieces and expects exactly the events this function finds. It favours being obviously
right over being fast or incremental:

1. decode the whole stream as UTF-8, invalid bytes becoming U+FFFD;
2. drop one leading U+FEFF (BOM);
3. split into lines at CRLF, lone CR and lone LF only (never ``str.splitlines``);
4. throw away the text after the last line end: an unterminated line or event never counts;
5. process each line as the spec's field/comment/blank-line steps say, dispatching on blank lines.

An empty ``retry`` value is treated as invalid (ignored): the spec's "consists of only ASCII
digits" then has no integer to interpret. The differential test never generates one.
"""

from __future__ import annotations

import re

from app.llm.sse import ServerSentEvent

_LINE_END = re.compile("\r\n|\r|\n")  # CRLF first: at a CR followed by LF both form one line end
_ASCII_DIGITS = frozenset("0123456789")


def reference_events(raw: bytes) -> list[ServerSentEvent]:
    """Every event the complete byte stream ``raw`` dispatches, in order."""
    text = raw.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    *lines, _unterminated_tail = _LINE_END.split(text)

    events: list[ServerSentEvent] = []
    data_buffer = ""
    event_type_buffer = ""
    last_event_id_buffer = ""
    reconnection_time: int | None = None

    for line in lines:
        if line == "":  # blank line: dispatch the event
            if data_buffer == "":
                data_buffer = event_type_buffer = ""
                continue
            if data_buffer.endswith("\n"):
                data_buffer = data_buffer[:-1]
            events.append(
                ServerSentEvent(
                    event=event_type_buffer or "message",
                    data=data_buffer,
                    id=last_event_id_buffer,
                    retry=reconnection_time,
                )
            )
            data_buffer = event_type_buffer = ""
            continue
        if line.startswith(":"):  # comment
            continue
        if ":" in line:
            name, value = line.split(":", 1)
            if value.startswith(" "):
                value = value[1:]
        else:
            name, value = line, ""
        if name == "event":
            event_type_buffer = value
        elif name == "data":
            data_buffer += value + "\n"
        elif name == "id":
            if "\0" not in value:
                last_event_id_buffer = value
        elif name == "retry" and value and set(value) <= _ASCII_DIGITS:
            reconnection_time = int(value)
        # any other field name is ignored
    return events
