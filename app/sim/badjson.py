"""The ``bad_json`` fault: an answer whose JSON is not what the step's prompt asks for.

Two mistakes real models make, in turn (the fault's first use, third, ... get the first one):

- ``syntax``: the JSON does not parse (a trailing comma before the closing brace);
- ``missing_keys``: it parses but lacks a required key (intent says ``"intent"`` where the prompt
  asks for ``"intents"``; the planner says ``"queries"`` for ``"policy_queries"``; the reasoning's
  Proposal block has no ``"escalate"``).

Only the JSON is spoilt: a fenced answer stays fenced and the prose around a Proposal block stays
as it was. Answers without JSON (the reply, unrecognised requests) are left alone. The stream that
carries the answer is normal and ends cleanly: the client must notice by validating.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

from app.sim.content import Completion

SYNTAX, MISSING_KEYS = "syntax", "missing_keys"
# Step → (the required key the missing_keys answer lacks, what it says instead or None to drop it)
_LOST_KEY: dict[str, tuple[str, str | None]] = {
    "intent": ("intents", "intent"),
    "retrieval": ("policy_queries", "queries"),
    "reasoning": ("escalate", None),
}
# The last fenced JSON object of an answer: a chat-mode JSON answer or a Proposal block.
_FENCED = re.compile(r"```json\n(\{.*?\})\n```", re.DOTALL)


def variant(served: int) -> str:
    """Which mistake the fault's use number ``served`` (0 for the first) makes."""
    return SYNTAX if served % 2 == 0 else MISSING_KEYS


def spoil(answer: Completion, served: int) -> Completion:
    """``answer`` with its JSON made invalid per the step's prompt; unchanged without JSON."""
    if answer.step not in _LOST_KEY:
        return answer
    text = answer.text
    fenced = list(_FENCED.finditer(text))
    start, end = (fenced[-1].start(1), fenced[-1].end(1)) if fenced else (0, len(text))
    spoilt = _spoil_object(text[start:end], answer.step, variant(served))
    if spoilt is None:
        return answer
    return replace(answer, text=text[:start] + spoilt + text[end:])


def _spoil_object(raw: str, step: str, kind: str) -> str | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None  # nothing valid to spoil
    if not isinstance(value, dict):
        return None
    if kind == SYNTAX:
        body = raw.rstrip()[:-1].rstrip()
        return f"{body},\n}}" if "\n" in raw else f"{body},}}"
    key, instead = _LOST_KEY[step]
    spoilt = {(instead if k == key else k): v for k, v in value.items() if instead or k != key}
    indent = 2 if "\n" in raw else None
    return json.dumps(spoilt, ensure_ascii=False, indent=indent)
