"""Planning one answer: cut it to ``max_tokens``, count its usage, set its pace.

Provider-neutral: the Anthropic endpoint converts its request to the plain chat shape first, so
both APIs plan (and stream) the very same answer for the same conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from typing import Any, NamedTuple

from app.llm.tokens import count_message_tokens, encoding_for_model, get_encoding
from app.sim import wire
from app.sim.content import Completion, pieces
from app.sim.control import Fault, SimConfig
from app.sim.wire import Usage


class Piece(NamedTuple):
    """One streamed delta and the tokens it counts for, which set its pace."""

    text: str
    tokens: int


@dataclass(frozen=True)
class Plan:
    """Everything about one answer, decided before the first byte is sent."""

    model: str
    reasoning: tuple[Piece, ...]  # empty for non-reasoning models
    content: tuple[Piece, ...]
    finish_reason: str  # "stop", or "length" when max_tokens cut the answer
    usage: Usage
    fault: Fault | None  # a stream fault (drop, stall, malformed, inband_error) or None
    ttft_s: float  # delay before the first reasoning or content piece
    token_s: float  # time per token after that; 0 = as fast as possible
    reasoning_model: bool
    scripted_s: float | None = None  # SimConfig.step_ms: the whole response's duration, if set

    @property
    def piece_count(self) -> int:
        return len(self.reasoning) + len(self.content)

    @property
    def fault_at(self) -> int | None:
        """Index of the content piece before which the fault strikes."""
        return None if self.fault is None else min(self.fault.after_tokens, len(self.content))


def prompt_tokens(messages: list[dict[str, str]], model: str) -> int:
    return count_message_tokens(messages, model)


def max_tokens(body: dict[str, Any]) -> int | None:
    value = body.get("max_completion_tokens", body.get("max_tokens"))
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def make_plan(
    body: dict[str, Any],
    answer: Completion,
    config: SimConfig,
    fault: Fault | None,
    prompt: int,
) -> Plan:
    """Cut the answer to ``max_tokens``, count usage, and set the pace for ``body["model"]``, or
    the scripted duration ``config.step_ms`` sets for the answer's step.

    ``prompt`` is the request's prompt tokens, counted once by the caller (it also rate-limits).
    """
    model = body["model"]  # echoed back as sent, as providers do
    sim = wire.sim_model(model) or "sim-writer"
    reasoning_model = sim in wire.REASONING_MODELS
    budget = max_tokens(body)
    thinking = _fit(answer.reasoning if reasoning_model else "", budget, model)
    text = _fit(answer.text, None if budget is None else budget - thinking.tokens, model)
    speed = wire.MODELS[sim]
    scripted = config.scripted_ms(answer.step)
    return Plan(
        model=model,
        reasoning=_pieces(thinking.text, model),
        content=_pieces(text.text, model),
        finish_reason="length" if thinking.cut or text.cut else "stop",
        usage=Usage(prompt, thinking.tokens + text.tokens, thinking.tokens),
        fault=fault,
        ttft_s=max(config.ttft_ms, 0.0) / 1000 / speed,
        token_s=0.0 if config.tokens_per_s <= 0 else 1 / (config.tokens_per_s * speed),
        reasoning_model=reasoning_model,
        scripted_s=None if scripted is None else scripted / 1000,
    )


def _pieces(text: str, model: str) -> tuple[Piece, ...]:
    # Word-sized pieces stream like a real provider's deltas; their token counts set the pace, so
    # tokens_per_s holds for tokens, not for pieces. The answer is encoded once and each token
    # counts for the piece its first character is in: encoding each piece alone would count a
    # word and its trailing space as two, and stream ~2x fewer of the tokens the usage reports.
    encoding = get_encoding(encoding_for_model(model))
    parts = pieces(text)
    _, starts = encoding.decode_with_offsets(encoding.encode(text, disallowed_special=()))
    counts = [0] * len(parts)
    ends = list(accumulate(len(part) for part in parts))
    index = 0
    for start in starts:
        while index < len(ends) - 1 and start >= ends[index]:
            index += 1
        counts[index] += 1
    return tuple(Piece(part, count) for part, count in zip(parts, counts, strict=True))


class _Fitted(NamedTuple):
    text: str
    tokens: int
    cut: bool


def _fit(text: str, budget: int | None, model: str) -> _Fitted:
    """``text`` cut to ``budget`` tokens (None: no limit), with its token count."""
    encoding = get_encoding(encoding_for_model(model))
    tokens = encoding.encode(text, disallowed_special=())
    if budget is None or len(tokens) <= budget:
        return _Fitted(text, len(tokens), False)
    kept = tokens[: max(budget, 0)]
    return _Fitted(encoding.decode(kept), len(kept), True)
