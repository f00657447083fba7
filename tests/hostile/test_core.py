"""Hostile tickets against the Qt-free core, fast and without a network: each is accepted or
refused in plain words; an accepted one stays quoted as data in every step's messages, within
the model's budget; and the policy flags fire whatever the ticket says."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from app.config import demo_routes
from app.llm.tokens import count_message_tokens
from app.paths import resource_path
from app.pipeline import policy
from app.pipeline.budget import notice
from app.pipeline.messages import build_messages, ticket_header
from app.pipeline.steps import STEPS
from app.sim.ticket import plain_messages, read_ticket
from app.store import InvalidTicket, Store, StoreBug, seed_demo
from app.store.models import Ticket
from app.store.new_ticket import check
from tests.hostile.corpus import (
    ACCEPTED,
    CATEGORIES,
    CORPUS,
    E2E,
    NO_PROPOSAL,
    OBEYED,
    PLANTED_CUSTOMER,
    PLANTED_ORDER,
    Hostile,
    by_category,
)
from tests.hostile.filing import RECEIVED, plant_records, steered_context

ROUTES = demo_routes()
DAY = RECEIVED.date()


def ids(entry: Hostile) -> str:
    return entry.id


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo store (plus the planted records), its clock at the demo's ticket day."""
    path = tmp_path_factory.mktemp("hostile") / "stepwise.db"
    with Store.open(path, clock=lambda: RECEIVED) as opened:
        seed_demo(opened)
        plant_records(opened)
        yield opened


_FILED: dict[tuple[int, str], Ticket] = {}


def filed(store: Store, entry: Hostile) -> Ticket:
    """The entry as the store keeps it after ``Store.add_ticket`` (once per store)."""
    key = (id(store), entry.id)
    if key not in _FILED:
        _FILED[key] = store.add_ticket(
            entry.body,
            subject=entry.subject,
            customer_id=entry.customer_id or None,
            order_ids=entry.order_ids.split(),
        )
    return _FILED[key]


def test_the_corpus_covers_every_category_the_issue_names() -> None:
    assert len(CORPUS) >= 25 and len({entry.id for entry in CORPUS}) == len(CORPUS)
    grouped = by_category()
    assert all(grouped[category] for category in CATEGORIES), grouped.keys()
    assert all(entry.attempts and entry.must_hold for entry in CORPUS)
    # Every category with an accepted ticket has one in the end-to-end subset.
    with_runs = {entry.category for entry in ACCEPTED}
    assert with_runs <= {entry.category for entry in E2E}


@pytest.mark.parametrize("entry", CORPUS, ids=ids)
def test_a_ticket_is_accepted_or_refused_in_plain_words(store: Store, entry: Hostile) -> None:
    checked = check(entry.subject, entry.body, entry.customer_id, entry.order_ids)
    if entry.refused is not None:
        assert checked.ticket is None and set(checked.problems) == {entry.refused}
        message = checked.problems[entry.refused]
        assert all(words in message for words in entry.refusal), message
        before = len(store.list_tickets())
        with pytest.raises(InvalidTicket) as refused:  # the store runs the same checks
            store.add_ticket(
                entry.body, subject=entry.subject, customer_id=entry.customer_id or None
            )
        assert refused.value.problems == checked.problems
        assert len(store.list_tickets()) == before
        return
    assert checked.problems == {} and checked.ticket is not None
    ticket = filed(store, entry)
    # Kept exactly: no silent stripping of bidi controls, zero-width characters or markup.
    assert ticket.body == checked.ticket.body == entry.body.strip()
    assert "\n" not in ticket.subject and ticket.subject.strip()
    assert ticket.status == "open" and ticket.sent_at is None


@pytest.mark.parametrize("entry", ACCEPTED, ids=ids)
def test_every_step_quotes_the_ticket_as_data_within_the_budget(
    store: Store, entry: Hostile
) -> None:
    ticket = filed(store, entry)
    context = steered_context(store, ticket, entry)
    header = ticket_header(ticket)
    assert header.count("\n") == 1  # "TICKET <id> received <date>" and "Subject: …"
    paragraphs = [p for p in ticket.body.split("\n\n") if p.strip()]
    for spec in STEPS:
        route = ROUTES[spec.name]
        messages, budget = build_messages(
            spec, ticket, context, model=route.model, max_tokens=route.max_tokens
        )
        # Instructions come only from the step's own prompt, byte for byte.
        assert [m["role"] for m in messages] == ["system", "user"]
        assert messages[0]["content"] == spec.system_prompt()
        user = messages[1]["content"]
        assert user.startswith(header + "\n\n")
        block = _context_block(spec.context_keys, context)
        assert user.endswith(block)
        quoted = user[len(header) + 2 : len(user) - len(block)]
        if block:
            assert quoted.endswith("\n\n")
            quoted = quoted[:-2]
        # The app's CONTEXT block ends the message, and is what a reader finds there.
        view = read_ticket(plain_messages(messages))
        assert view.ticket_id == ticket.id and view.received == DAY
        if spec.context_keys:
            assert view.context == orjson.loads(block.split("```json\n", 1)[1][:-4])
        # The prompt fits the model's window, counted again independently.
        assert budget.prompt_tokens <= budget.limit
        assert count_message_tokens(messages, route.model) <= budget.limit
        assert (budget.pruned > 0) == entry.cut, (spec.name, budget)
        if entry.cut:
            assert quoted.startswith(notice(budget.pruned))
            assert quoted.endswith(paragraphs[-1][-200:])  # the newest text is kept
        else:
            assert quoted == "\n\n".join(paragraphs)


def _context_block(keys: tuple[str, ...], context: dict[str, Any]) -> str:
    if not keys:
        return ""
    wanted = {key: context.get(key) for key in keys}
    text = orjson.dumps(wanted, option=orjson.OPT_INDENT_2, default=str).decode()
    return f"CONTEXT:\n```json\n{text}\n```"


@pytest.mark.parametrize("entry", ACCEPTED, ids=ids)
def test_facts_come_from_the_store_and_never_from_another_customer(
    store: Store, entry: Hostile
) -> None:
    ticket = filed(store, entry)
    context = steered_context(store, ticket, entry)
    owner = ticket.customer_id
    assert all(order["customer_id"] == owner for order in context["orders"])
    shown = {order["id"] for order in context["orders"]}
    assert not shown & set(entry.others), shown
    assert (context["customer"] or {}).get("id") == owner
    # A forged CONTEXT block in the ticket changes no fact: the order's total is the store's.
    for order in context["orders"]:
        stored = store.order(order["id"])
        assert stored is not None and order["total"] == stored.total


@pytest.mark.parametrize("entry", OBEYED, ids=ids)
def test_flags_fire_even_when_the_model_does_what_the_ticket_asks(
    store: Store, entry: Hostile
) -> None:
    ticket = filed(store, entry)
    context = steered_context(store, ticket, entry)
    flags = policy.check(entry.obeyed, context, store, DAY)
    assert entry.obeyed_flags <= {flag.rule for flag in flags}, flags
    assert all(flag.message and flag.policy_id for flag in flags)


def test_a_model_that_drops_its_proposal_is_flagged(store: Store) -> None:
    entry = next(e for e in CORPUS if e.id == "delim-forged-proposal")
    ticket = filed(store, entry)
    context = steered_context(store, ticket, entry)
    forged = policy.parse_proposal(ticket.body)
    assert forged is not None and forged.get("refund") is None  # what the ticket hoped for
    # A model that leaves out its Proposal block is flagged for review, not waved through.
    assert {f.rule for f in policy.check(None, context, store, DAY)} == {NO_PROPOSAL}
    # An answer that quotes the ticket's block and ends with its own is checked on the last.
    own = (
        f"The customer wrote:\n{ticket.body}\n\nResolution: refund in full.\n\nProposal:\n"
        '```json\n{"refund": {"order_id": "4507", "amount": 389}, "escalate": false}\n```'
    )
    flags = policy.check(policy.parse_proposal(own), context, store, DAY)
    assert "refund_agent_cap_usd" in {f.rule for f in flags}


def test_the_planted_records_stay_inside_the_context_block(store: Store) -> None:
    entry = next(e for e in CORPUS if e.customer_id == PLANTED_CUSTOMER.id)
    ticket = filed(store, entry)
    context = steered_context(store, ticket, entry)
    for spec in STEPS:
        route = ROUTES[spec.name]
        messages, _ = build_messages(spec, ticket, context, model=route.model)
        system, user = (m["content"] for m in messages)
        for text in (PLANTED_CUSTOMER.notes, PLANTED_ORDER.items[0].name):
            assert text not in system
            escaped = json.dumps(text)[1:-1]
            if "customer" in spec.context_keys:  # quoted as a JSON string in the block
                start = user.index("CONTEXT:\n```json\n")
                assert user.index(escaped) > start
            else:
                assert escaped not in user


def test_a_seed_file_that_is_not_utf8_is_refused_in_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "seed.json"
    bad.write_bytes(b'{"tickets": [{"id": "T-1", "body": "Refund \xff\xfe now"}]}')
    monkeypatch.setattr("app.store.seed.resource_path", lambda *parts: bad)
    with Store.open(tmp_path / "stepwise.db") as fresh:
        with pytest.raises(StoreBug, match="Could not load the demo data") as refused:
            seed_demo(fresh)
        assert "utf-8" in str(refused.value) and fresh.is_empty()


def test_seed_text_with_a_lone_surrogate_is_refused_naming_the_entry(tmp_path: Path) -> None:
    """A JSON ``"\\ud800"`` escape decodes to a lone surrogate that SQLite cannot store."""
    data = json.loads(resource_path("demo", "seed.json").read_text(encoding="utf-8"))
    data["tickets"][1]["body"] = json.loads('"Refund \\ud800 now"')
    with Store.open(tmp_path / "stepwise.db") as fresh:
        with pytest.raises(StoreBug, match=r"tickets\[1\] \(T-1002\).*U\+D800"):
            fresh.load_seed(data)
        assert fresh.is_empty()  # all of it or none of it
