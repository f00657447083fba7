"""What the simulated models say: deterministic text that fits the step that asked.

``generate`` reads a chat request body, recognises the pipeline step from the first line of the
system prompt and answers as that step would, from the request alone: the same request gives the
same text (no randomness, and no clock while the ticket carries its received date, as the
pipeline's always does). Intent and retrieval answer with JSON, bare when the request asks for a
JSON response format (``json_object`` or ``json_schema``) and fenced otherwise, as chat models do;
a strict schema that allows no other properties gets no others, not even ``"simulated"``.
Reasoning and reply answer in prose, the reasoning ending with a Proposal block. A repair request
(``ticket.is_repair``) gets the step's correct answer again. Anything unrecognised gets a short
generic answer. Every answer is marked as simulated.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.sim import intent, planner, reasoning, reply
from app.sim.ticket import (
    TicketView,
    detect_step,
    last_user_text,
    plain_messages,
    read_ticket,
)

log = logging.getLogger("stepwise.sim")

# A word (split after at most eight letters, as BPE tokens are short), its punctuation and the
# following space; or a run of punctuation; or leading whitespace. Together they cover any text.
_PIECE = re.compile(r"\w{1,8}[^\w\s]{0,3}\s*|[^\w\s]{1,3}\s*|\s+")
JSON_FORMATS = ("json_object", "json_schema")


@dataclass(frozen=True)
class Completion:
    step: str | None  # "intent", "retrieval", "reasoning", "reply", or None for anything else
    text: str  # the answer (message content)
    reasoning: str  # a thinking paragraph; only reasoning models stream it


def generate(body: Mapping[str, Any]) -> Completion:
    messages = plain_messages(body.get("messages"))
    step = detect_step(messages)
    response_format = body.get("response_format")
    try:
        answer = _answer(step, read_ticket(messages), _wants_json(response_format))
        return _fit_schema(answer, response_format)
    except Exception:
        # A demo must keep going: a rule that trips over odd input gives a generic answer, and
        # the error log makes the test suite fail so the rule gets fixed.
        log.exception("The simulator could not answer a %s request", step or "generic")
        return Completion(step, generic_answer(messages), "")


def _answer(step: str | None, ticket: TicketView, json_mode: bool) -> Completion:
    if step == "intent":
        return Completion(step, _as_json(intent.analyse(ticket), json_mode), _think(step))
    if step == "retrieval":
        return Completion(step, _as_json(planner.plan(ticket), json_mode), _think(step))
    if step == "reasoning":
        text, thinking = reasoning.write(ticket)
        return Completion(step, text, thinking)
    if step == "reply":
        return Completion(step, reply.write(ticket), _think(step))
    return Completion(
        None, generic_answer([{"role": "user", "content": ticket.body}]), _think(None)
    )


def _wants_json(response_format: Any) -> bool:
    return isinstance(response_format, Mapping) and response_format.get("type") in JSON_FORMATS


def _fit_schema(answer: Completion, response_format: Any) -> Completion:
    """Drop the keys a strict ``json_schema`` forbids (``additionalProperties: false``), as a
    provider's structured output would never produce them."""
    if not _wants_json(response_format) or answer.step not in ("intent", "retrieval"):
        return answer
    spec = response_format.get("json_schema")
    schema = spec.get("schema") if isinstance(spec, Mapping) else None
    if not isinstance(schema, Mapping) or schema.get("additionalProperties") is not False:
        return answer
    allowed = schema.get("properties")
    value = json.loads(answer.text)
    if not isinstance(allowed, Mapping) or not isinstance(value, dict):
        return answer
    kept = {k: v for k, v in value.items() if k in allowed}
    return Completion(answer.step, json.dumps(kept, ensure_ascii=False), answer.reasoning)


def _as_json(value: dict[str, Any], json_mode: bool) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if json_mode else f"```json\n{text}\n```"


_THOUGHTS = {
    "intent": "I need to label what the customer asks for, pick out order numbers and resolve "
    "every date against the day the ticket arrived.",
    "retrieval": "I only plan look-ups here: which orders to fetch and which policies to search.",
    "reply": "I turn the resolution into a short, warm reply in the customer's language.",
    None: "A plain question, so a short plain answer.",
}


def _think(step: str | None) -> str:
    return f"{_THOUGHTS.get(step, _THOUGHTS[None])} (Simulated thinking.)"


def generic_answer(messages: list[dict[str, str]]) -> str:
    said = " ".join(last_user_text(messages).split())
    quoted = said if len(said) <= 120 else said[:117] + "..."
    echo = f" You wrote: “{quoted}”." if quoted else ""
    return (
        "(Simulated answer — demo mode) This is the Stepwise simulator: no language model is "
        f"running, so this reply only shows that the connection works.{echo}"
    )


def pieces(text: str) -> list[str]:
    """``text`` cut into small streaming pieces; joining them gives ``text`` back exactly."""
    return _PIECE.findall(text)
