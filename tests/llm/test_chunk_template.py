"""The content-chunk template: taken only where it is provably the same as parsing, and a parser
using it reads every stream exactly as one that parses every chunk."""

from __future__ import annotations

import json
import random

import orjson
import pytest

from app.llm.accumulate import Accumulator
from app.llm.chat import ChatEvent
from app.llm.chunk_template import ContentTemplate, is_plain
from app.llm.errors import LLMError
from app.llm.openai_compat import OpenAIStreamParser
from app.llm.sse import ServerSentEvent

HEAD = {
    "id": "chatcmpl-9x",
    "object": "chat.completion.chunk",
    "created": 1765185240,
    "model": "gpt-4.1-2025-04-14",
    "system_fingerprint": "fp_1",
}


def content_chunk(text: str, **extra: object) -> str:
    choice = {"index": 0, "delta": {"content": text}, "logprobs": None, "finish_reason": None}
    payload = {**HEAD, "choices": [choice], **extra}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def learned(text: str = " hello") -> ContentTemplate:
    data = content_chunk(text)
    template = ContentTemplate.learn(data, orjson.loads(data))
    assert template is not None
    return template


def test_a_plain_chunk_teaches_the_template_for_later_pieces() -> None:
    template = learned()
    assert template.content(content_chunk(" world")) == " world"
    assert template.content(content_chunk("配送 👍 café")) == "配送 👍 café"
    assert template.content(content_chunk("")) == ""


@pytest.mark.parametrize(
    "data",
    [
        content_chunk("line\nbreak"),  # an escape: parsed in full
        content_chunk('say "hi"'),
        content_chunk("tab\there"),
        content_chunk("\u2028"),  # valid JSON, not printable: parsed in full
        content_chunk("x", usage={"prompt_tokens": 1}),
        content_chunk("x", obfuscation="a1b2"),
        content_chunk("x").replace('"finish_reason":null', '"finish_reason":"stop"'),
        content_chunk("x").replace('"content":"x"', '"content":"x\x01"'),  # invalid JSON
        content_chunk("x").replace('"content":"x"', '"content":"x"y"'),  # invalid JSON
        content_chunk("x")[:-1],
    ],
)
def test_anything_else_does_not_match(data: str) -> None:
    assert learned().content(data) is None


def test_text_shorter_than_the_template_does_not_match() -> None:
    template = ContentTemplate('{"a":"', '"}')
    assert template.content('{"a":"}') is None  # prefix and suffix would share the quote


def test_nothing_is_learned_where_the_position_is_not_proven() -> None:
    spaced = json.dumps({**HEAD, "choices": [{"delta": {"content": "x"}}]})  # no compact key
    assert ContentTemplate.learn(spaced, json.loads(spaced)) is None
    escaped = content_chunk("a\nb")
    assert ContentTemplate.learn(escaped, json.loads(escaped)) is None
    twice = content_chunk("x", echo={"delta": {"content": "x"}})
    assert ContentTemplate.learn(twice, json.loads(twice)) is None
    # The key text appears once but is not the choice's content: the probe catches it.
    decoy = json.dumps(
        {"echo": {"delta": {"content": "x"}}, "choices": [{"delta": {"content": "x"}}]},
        separators=(",", ":"),
    ).replace('"choices":[{"delta":{"content":', '"choices":[{"delta": {"content":')
    assert ContentTemplate.learn(decoy, json.loads(decoy)) is None


@pytest.mark.parametrize("piece", ["plain", "", "配送", "emoji 👍"])
def test_plain_pieces(piece: str) -> None:
    assert is_plain(piece)


@pytest.mark.parametrize("piece", ['q"', "b\\", "\x00", "\x1f", "\u2028", "\u200b"])
def test_pieces_that_are_not_plain(piece: str) -> None:
    assert not is_plain(piece)


_PIECES = [" the", " order", ",", "\n", ' "quoted"', "\\", "配送", "👍", "\u2028", "\t", "", "é"]


def _random_stream(rng: random.Random) -> list[str]:
    datas = [content_chunk("", role="assistant")]
    for _ in range(rng.randint(1, 40)):
        roll = rng.random()
        if roll < 0.05:
            datas.append(content_chunk(rng.choice(_PIECES), obfuscation="xyz"))
        elif roll < 0.08:  # a malformed chunk: a raw control character inside the string
            datas.append(content_chunk("ok").replace('"ok"', '"o\x02k"'))
        else:
            datas.append(content_chunk("".join(rng.choices(_PIECES, k=rng.randint(1, 3)))))
    datas.append(content_chunk("").replace('"finish_reason":null', '"finish_reason":"stop"'))
    return datas


def _read(
    datas: list[str], *, template: bool, split: int, parser: OpenAIStreamParser | None = None
) -> tuple[str, str | None, str]:
    parser = parser or OpenAIStreamParser()
    if not template:
        parser._tries = 0
    answer = Accumulator()
    failure = ""
    events = [ServerSentEvent(data=d) for d in datas]
    try:
        for start in range(0, len(events), split):
            out: list[ChatEvent] = []
            try:
                parser.feed_into(events[start : start + split], out)
            finally:
                for event in out:
                    answer.add(event)
    except LLMError as err:
        failure = type(err).__name__
    return answer.text, answer.finish_reason, failure


def test_a_parser_with_the_template_reads_exactly_as_one_without() -> None:
    rng = random.Random(4521)
    used = 0
    for _ in range(400):
        datas = _random_stream(rng)
        split = rng.choice([1, 2, 5, 100])
        fast = OpenAIStreamParser()
        with_template = _read(datas, template=True, split=split, parser=fast)
        assert with_template == _read(datas, template=False, split=1)
        used += fast._template is not None
    assert used > 300  # the comparison is about the template: most streams did use it
