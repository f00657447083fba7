"""What a provider adapter is: the request it sends and the parser that reads its stream.

The client knows no provider by name. An adapter builds the URL, headers and body for a
``ChatRequest``, and makes one ``StreamParser`` per response, which turns each server-sent event
into typed chat events (``app.llm.chat``). Parsers are pure and synchronous, so each is tested on
recorded stream shapes without a network or an event loop (STYLE habit 3).
"""

from __future__ import annotations

from typing import Any, Protocol

from app.llm.chat import ChatEvent, ChatRequest
from app.llm.sse import ServerSentEvent


class StreamParser(Protocol):
    ended: bool  # the provider's end marker arrived ([DONE], message_stop): stop reading

    def feed(self, event: ServerSentEvent) -> list[ChatEvent]:
        """The events one SSE event carries; raises a typed LLMError for an in-band error."""
        ...

    def feed_into(self, events: list[ServerSentEvent], out: list[ChatEvent]) -> None:
        """The events of one network read, appended to ``out`` (adjacent text pieces may be
        merged); stops after the end marker. On an error, ``out`` keeps what came before it."""
        ...

    def complete(self) -> bool:
        """Whether the answer finished cleanly; False at end of stream means it was cut off."""
        ...


class Adapter(Protocol):
    name: str

    def url(self, base_url: str) -> str: ...

    def headers(self, key: str) -> dict[str, str]: ...

    def body(self, request: ChatRequest) -> dict[str, Any]: ...

    def parser(self) -> StreamParser: ...
