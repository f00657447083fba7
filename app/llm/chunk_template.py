"""Recognising a stream's usual content chunk by its text, without parsing it again.

Within one stream, every plain content chunk of an OpenAI-compatible provider is the same text
around a different string: ``{"id":"…","object":"chat.completion.chunk",…,"choices":[{"index":0,
"delta":{"content":"<piece>"},"logprobs":null,"finish_reason":null}]}``. After one such chunk has
been parsed, the text before and after its content string is the template; a later chunk that is
that template around a plain string literal (no quote, backslash or control character inside)
parses, by construction, to the same object with that content, so the string can be taken as is.
Anything else (escapes, another shape, usage, a finish, an error, per-chunk ``obfuscation``
padding) simply does not match and is parsed in full.

Why: parsing the chunk and walking its dicts is ~2.5 µs of the ~4 µs the client spends per chunk
on the benchmark machine; matching the template is ~0.5 µs (tests/benchmarks/README.md).
"""

from __future__ import annotations

from typing import Any

import orjson

_KEY = '"delta":{"content":"'
_PROBE = "stepwise-template-probe"


class ContentTemplate:
    """``prefix`` + content + ``suffix``: the quotes of the content's literal end ``prefix`` and
    open ``suffix``. ``OpenAIStreamParser.feed_into`` matches it inline (a call costs as much as
    the match); ``content`` is the same test, for reading and for tests."""

    __slots__ = ("prefix", "size", "suffix")

    def __init__(self, prefix: str, suffix: str) -> None:
        self.prefix = prefix
        self.suffix = suffix
        self.size = len(prefix) + len(suffix)

    @classmethod
    def learn(cls, data: str, chunk: dict[str, Any]) -> ContentTemplate | None:
        """The template of ``data``, a plain content chunk already parsed as ``chunk``; None if
        its content is not a plain literal or the text does not prove where the content is."""
        start = data.find(_KEY)
        if start < 0 or data.find(_KEY, start + 1) >= 0:
            return None
        start += len(_KEY)  # just after the opening quote
        end = data.find('"', start)
        if end < 0 or not is_plain(data[start:end]):
            return None
        template = cls(data[:start], data[end:])
        # Prove the position: the same text around another string must parse to the same chunk
        # with only the content changed.
        try:
            probe = orjson.loads(template.prefix + _PROBE + template.suffix)
            probe["choices"][0]["delta"]["content"] = chunk["choices"][0]["delta"]["content"]
        except (orjson.JSONDecodeError, LookupError, TypeError):
            return None
        return template if probe == chunk else None

    def content(self, data: str) -> str | None:
        """The content of ``data`` if it is this template around a plain string, else None."""
        if len(data) >= self.size and data.startswith(self.prefix) and data.endswith(self.suffix):
            piece = data[len(self.prefix) : len(data) - len(self.suffix)]
            if is_plain(piece):
                return piece
        return None


def is_plain(piece: str) -> bool:
    """Whether ``piece`` between quotes is a JSON string literal meaning exactly ``piece``.

    Strict on purpose: non-printable characters (controls, but also U+2028 or a zero-width
    space, which JSON allows) make it False, and such a chunk is simply parsed in full."""
    return piece.isprintable() and '"' not in piece and "\\" not in piece
