"""One response's bytes → typed chat events: SSE decoding, then the adapter's parser.

Pure and synchronous (STYLE habit 3), so the client's read loop is a single async generator and
each network read costs one call here, not one generator hop per event. An error met partway
through a read does not lose the events before it: they are returned, and the error is kept in
``error`` for the caller to raise once it has handed them on.
"""

from __future__ import annotations

from app.llm.adapter import StreamParser
from app.llm.chat import ChatEvent, ReasoningChunk, TextChunk, ToolCallChunk
from app.llm.errors import LLMError, Truncated
from app.llm.sse import SSEDecoder

_ANSWER = frozenset({TextChunk, ReasoningChunk, ToolCallChunk})


class StreamReader:
    def __init__(self, parser: StreamParser) -> None:
        self._decoder = SSEDecoder()
        self._parser = parser
        self.ended = False  # the provider's end marker arrived: stop reading
        self.error: LLMError | None = None
        # Whether part of the answer came out: after that, nothing may be retried behind the
        # agent's back. Usage counts and finish reasons alone do not count.
        self.handed_on = False

    def feed(self, raw: bytes) -> list[ChatEvent]:
        events: list[ChatEvent] = []
        try:
            self._parser.feed_into(self._decoder.decode(raw), events)
        except LLMError as err:
            self.error = err
        self.ended = self._parser.ended
        return self._handed(events)

    def finish(self) -> list[ChatEvent]:
        """The body ended: the last complete events, or Truncated if the answer was cut off."""
        events: list[ChatEvent] = []
        if not self.ended:
            try:
                self._parser.feed_into(self._decoder.flush(), events)
            except LLMError as err:
                self.error = err
        if self.error is None and not self._parser.complete():
            self.error = Truncated(
                "The answer was cut off: the stream ended before it was complete."
            )
        return self._handed(events)

    def _handed(self, events: list[ChatEvent]) -> list[ChatEvent]:
        if events and not self.handed_on:
            self.handed_on = any(type(e) in _ANSWER for e in events)
        return events
