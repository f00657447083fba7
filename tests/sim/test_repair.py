"""The ``bad_json`` fault and the repair turn that follows it (app/pipeline/call.py), as pure
functions and over real loopback HTTP on both APIs."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from app.sim.badjson import MISSING_KEYS, SYNTAX, spoil, variant
from app.sim.content import Completion, generate
from app.sim.control import CONTENT_FAULTS, FAULT_KINDS, Fault, parse_fault_header
from app.sim.server import Simulator
from app.sim.ticket import detect_step, is_repair
from tests.sim.conftest import anthropic_events, ticket_messages

JSON_MODE = {"type": "json_object"}
REPAIR = "REPAIR: That answer was not valid: intents: required. Answer again with the JSON only."
REQUIRED = {"intent": "intents", "retrieval": "policy_queries"}


def repair_of(messages: list[dict[str, str]], invalid: str, turn: str = REPAIR) -> list[Any]:
    """The repair conversation the pipeline sends after ``invalid``."""
    return [*messages, {"role": "assistant", "content": invalid}, {"role": "user", "content": turn}]


def judge(text: str, step: str = "intent") -> str:
    """``syntax`` (does not parse), ``missing_keys`` (lacks the required key) or ``valid``."""
    raw = text.strip().removeprefix("```json").removesuffix("```")
    try:
        value = json.loads(raw)
    except ValueError:
        return SYNTAX
    return "valid" if REQUIRED[step] in value else MISSING_KEYS


def _body(step: str, messages: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"model": "sim-flash", "messages": messages or ticket_messages(step), **extra}


# -- recognising a repair request ------------------------------------------------------------


def test_a_repair_conversation_is_recognised_and_keeps_its_step() -> None:
    first = ticket_messages("intent")
    repair = repair_of(first, "{oops")
    assert is_repair(repair) and detect_step(repair) == "intent"
    twice = repair_of(repair, "{still oops", "  REPAIR: again")
    assert is_repair(twice) and detect_step(twice) == "intent"
    assert detect_step(repair_of(ticket_messages("retrieval"), "{")) == "retrieval"


@pytest.mark.parametrize(
    "messages",
    [
        ticket_messages("intent"),  # no repair turn
        repair_of(ticket_messages("intent"), "{oops", "Please answer again."),  # no REPAIR:
        repair_of(ticket_messages("intent"), "{oops")[1:],  # no system message
        [*ticket_messages("intent"), {"role": "assistant", "content": "{"}],  # no user turn last
        [*ticket_messages("intent"), {"role": "user", "content": "REPAIR: two users in a row"}],
    ],
)
def test_other_conversations_are_not_repairs(messages: list[dict[str, str]]) -> None:
    assert not is_repair(messages)


@pytest.mark.parametrize("step", ["intent", "retrieval", "reasoning"])
@pytest.mark.parametrize("response_format", [None, JSON_MODE])
def test_a_repair_gets_the_steps_correct_answer(step: str, response_format: Any) -> None:
    extra = {"response_format": response_format} if response_format else {}
    context = {"intent": {"intents": ["order_status"]}} if step == "reasoning" else None
    first = ticket_messages(step, context)
    right = generate(_body(step, first, **extra))
    repaired = generate(_body(step, repair_of(first, "{not json"), **extra))
    assert repaired == right


# -- spoiling the answer ---------------------------------------------------------------------


@pytest.mark.parametrize("step", ["intent", "retrieval"])
@pytest.mark.parametrize("response_format", [None, JSON_MODE])
def test_bad_json_alternates_a_syntax_error_and_a_missing_key(
    step: str, response_format: Any
) -> None:
    extra = {"response_format": response_format} if response_format else {}
    right = generate(_body(step, **extra))
    assert judge(right.text, step) == "valid"
    kinds = [judge(spoil(right, served).text, step) for served in range(4)]
    assert kinds == [SYNTAX, MISSING_KEYS, SYNTAX, MISSING_KEYS]
    assert [variant(n) for n in range(3)] == [SYNTAX, MISSING_KEYS, SYNTAX]
    fenced = right.text.startswith("```json\n")
    assert all(spoil(right, n).text.startswith("```json\n") == fenced for n in range(2))


def test_bad_json_spoils_only_the_reasoning_proposal_and_leaves_prose_alone() -> None:
    context = {"intent": {"intents": ["refund_request"], "order_ids": ["4502"]}}
    right = generate(_body("reasoning", ticket_messages("reasoning", context)))
    for served in (0, 1):
        spoilt = spoil(right, served).text
        prose, _, block = spoilt.rpartition("Proposal:\n```json\n")
        assert prose == right.text.rpartition("Proposal:\n```json\n")[0]
        raw = block.removesuffix("\n```")
        if served == 0:
            with pytest.raises(ValueError):
                json.loads(raw)
        else:
            assert "escalate" not in json.loads(raw)
    reply = generate(_body("reply", ticket_messages("reply", {"resolution": "Resolution: ok"})))
    assert spoil(reply, 0) == reply
    generic = Completion(None, '{"a": 1}', "")
    assert spoil(generic, 0) == generic


def test_bad_json_is_a_fault_kind_with_step_and_count() -> None:
    assert "bad_json" in FAULT_KINDS and "bad_json" in CONTENT_FAULTS
    fault = Fault("bad_json", step="retrieval", count=2)
    assert (fault.kind, fault.step, fault.count, fault.served) == ("bad_json", "retrieval", 2, 0)
    assert parse_fault_header("bad_json") == Fault("bad_json")


# -- over HTTP -------------------------------------------------------------------------------


async def _content(client: httpx.AsyncClient, body: dict[str, Any], **headers: str) -> str:
    """The streamed content of an OpenAI request, checking it finished cleanly."""
    response = await client.post(
        "/chat/completions", json={**body, "stream": True}, headers=headers
    )
    assert response.status_code == 200
    events = [line.removeprefix("data: ") for line in response.text.split("\n\n") if line]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    return "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)


@pytest.mark.asyncio
async def test_a_queued_bad_json_then_its_repair(sim: Simulator, client: httpx.AsyncClient) -> None:
    sim.inject(Fault("bad_json", step="intent", count=2))
    first = ticket_messages("intent")
    # A retrieval request runs beside intent and does not use up intent's fault.
    assert judge(await _content(client, _body("retrieval")), "retrieval") == "valid"
    invalid = await _content(client, _body("intent", first))
    assert judge(invalid) == SYNTAX
    # The fault has a use left, so the repair fails too; the next repair succeeds.
    again = await _content(client, _body("intent", repair_of(first, invalid)))
    assert judge(again) == MISSING_KEYS
    repaired = await _content(client, _body("intent", repair_of(first, again)))
    assert repaired == await _content(client, _body("intent", first))
    assert judge(repaired) == "valid"


@pytest.mark.asyncio
async def test_bad_json_asked_in_a_header_alternates_too(client: httpx.AsyncClient) -> None:
    body = _body("retrieval", response_format=JSON_MODE)
    header = {"X-Stepwise-Fault": "bad_json"}
    kinds = {judge(await _content(client, body, **header), "retrieval") for _ in range(2)}
    assert kinds == {SYNTAX, MISSING_KEYS}
    assert judge(await _content(client, body), "retrieval") == "valid"


@pytest.mark.asyncio
async def test_bad_json_without_streaming_is_a_normal_200(
    sim: Simulator, client: httpx.AsyncClient
) -> None:
    sim.inject(Fault("bad_json"))
    response = await client.post("/chat/completions", json=_body("intent"))
    assert response.status_code == 200
    choice = response.json()["choices"][0]
    assert choice["finish_reason"] == "stop" and judge(choice["message"]["content"]) == SYNTAX


@pytest.mark.asyncio
async def test_bad_json_and_repair_on_the_anthropic_api(
    sim: Simulator, anthropic: httpx.AsyncClient
) -> None:
    sim.inject(Fault("bad_json", step="intent"))
    system, *first = ticket_messages("intent")

    async def text(messages: list[dict[str, str]]) -> str:
        body = {"model": "sim-flash", "max_tokens": 1024, "stream": True}
        body |= {"system": system["content"], "messages": messages}
        events = anthropic_events((await anthropic.post("/messages", json=body)).text)
        assert events[-1][0] == "message_stop"
        return "".join(d["delta"].get("text", "") for n, d in events if n == "content_block_delta")

    invalid = await text(first)
    assert judge(invalid) == SYNTAX
    repair = repair_of(first, invalid)
    assert judge(await text(repair)) == "valid"
