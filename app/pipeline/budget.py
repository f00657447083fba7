"""The context budget: each prompt is counted before it is sent and cut to the model's window.

The system prompt, the CONTEXT block and the newest part of the ticket are kept; the oldest
paragraphs of a long thread are dropped first, with a notice in their place so the model (and
the supervisor reading the record) knows text is missing. Token counts are cached per paragraph,
so fitting a long thread is linear in its length, not quadratic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache

from app.llm.tokens import count_tokens, encoding_for_model, get_encoding
from app.paths import resource_path

MESSAGE_OVERHEAD = 8  # per-message framing tokens, rounded up across providers


@dataclass(frozen=True)
class Budget:
    prompt_tokens: int
    limit: int  # tokens the prompt may use: the window minus the answer's max_tokens
    pruned: int  # ticket paragraphs left out


@cache
def _windows() -> tuple[int, dict[str, int]]:
    data = json.loads(resource_path("models.json").read_text(encoding="utf-8"))
    return int(data["default"]), {str(k): int(v) for k, v in data["context_windows"].items()}


def context_window(model: str) -> int:
    default, windows = _windows()
    known = [prefix for prefix in windows if model.startswith(prefix)]
    return windows[max(known, key=len)] if known else default


@lru_cache(maxsize=8192)
def _tokens(text: str, model: str) -> int:
    return count_tokens(text, model)


def notice(dropped: int) -> str:
    return (
        f"[{dropped} earlier paragraph{'s' if dropped != 1 else ''} of this ticket "
        "left out to fit the model's context window]"
    )


def fit_ticket(
    fixed: list[str], paragraphs: list[str], model: str, max_tokens: int
) -> tuple[list[str], Budget]:
    """The newest ``paragraphs`` that fit beside the ``fixed`` texts (system prompt, ticket
    header, CONTEXT block) in the model's window, oldest first, with a notice if any were cut."""
    limit = max(context_window(model) - max_tokens, 0)
    used = sum(_tokens(text, model) + MESSAGE_OVERHEAD for text in fixed)
    kept: list[str] = []
    for paragraph in reversed(paragraphs):
        cost = _tokens(paragraph, model) + 1
        if used + cost > limit:
            break
        kept.append(paragraph)
        used += cost
    kept.reverse()
    dropped = len(paragraphs) - len(kept)
    if dropped and not kept and paragraphs:  # even the newest paragraph alone is too long
        kept = [_tail(paragraphs[-1], model, max(limit - used - 32, 0))]
        used += _tokens(kept[0], model)
    if dropped:
        kept.insert(0, notice(dropped))
        used += _tokens(kept[0], model)
    return kept, Budget(used, limit, dropped)


def _tail(text: str, model: str, tokens: int) -> str:
    encoding = get_encoding(encoding_for_model(model))
    ids = encoding.encode(text, disallowed_special=())
    return encoding.decode(ids[-tokens:]) if tokens else ""
