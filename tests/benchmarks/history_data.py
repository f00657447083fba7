"""Realistic runs at scale for the history benchmark (``history_scale``), written the app's way.

Tickets, customers, runs and sent replies go in through the Store's own write paths
(``insert_customer``, ``insert_ticket``, ``record_run``, ``mark_sent``), so every derived column,
intent index row, full-text document and edit level is made as the app makes it. The calls join
one write transaction per batch (``write_transaction`` joins an open one): one commit per
``BATCH`` runs instead of one per call, and a WAL that is checkpointed between batches rather than
growing to the size of the database.

What a run looks like, from a real demo run (sizes in characters): the messages sent are ~1.9k
(intent), ~1.4k (retrieval), ~7k (reasoning), ~5k (reply); raw answers 0.3k-1.7k; the retrieval
answer's parsed records ~4.6k; draft ~0.6k; routes ~0.6k. The generator keeps those sizes
(``--payload full``, ~22 KB a run) or cuts the messages and records to a tenth (``small``).
Everything else varies: 1-2 intents from the taxonomy with a skewed mix, the models of each step,
log-normal latencies, token counts and the costs they make, 2% failed steps, 1% cancelled runs,
a quarter of reasoning steps skipped, retries, cache hits, re-runs of the reply, policy flags,
15 agents, 90 days, and 80% of tickets answered: sent as drafted, lightly edited or rewritten.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.store import Store
from app.store.db import write_transaction
from app.store.models import Customer, Ticket

BATCH = 5_000
END = datetime(2026, 12, 31, tzinfo=UTC)
DAYS = 90

FIRST = ["Emily", "Marcus", "Priya", "Daniel", "Hannah", "Aisha", "Grace", "Robert", "Olivia"]
LAST = ["Carter", "Nguyen", "Patel", "Kim", "Schmidt", "Rossi", "Garcia", "Cohen", "Okafor"]
AGENTS = [f"{name} {last[0]}." for name in FIRST[:5] for last in LAST[:3]]
PRODUCTS = [
    *("watercolor set", "espresso machine", "running shoes", "wool blanket", "sketchbook"),
    *("desk lamp", "headphones", "backpack", "cast iron pan", "yoga mat", "rain jacket"),
    *("coffee grinder", "picture frame", "phone case"),
]
INTENTS = {  # label: (weight, what a customer writes)
    "order_status": (24, "where is my {p}? tracking has not moved since {d}"),
    "shipping_expedite": (12, "I need the {p} by {d}, can you expedite shipping?"),
    "refund_request": (14, "I want a refund for the {p}, it was not as described"),
    "return_request": (11, "how do I return the {p}? I would like an exchange"),
    "discount_request": (8, "as a loyal customer can I get a discount code on the {p}?"),
    "product_inquiry": (9, "does the {p} come in another size or colour?"),
    "cancellation": (6, "please cancel my order for the {p} before it ships"),
    "address_change": (4, "I moved, please send the {p} to my new address instead"),
    "damaged_item": (7, "the {p} arrived damaged, the box was crushed"),
    "complaint_escalation": (3, "this is the third time I write about the {p}, I want a manager"),
    "account_issue": (2, "I cannot log in to see my order of the {p}"),
}
FILLER = (  # noqa: SIM905
    "please thanks order week days already again still really would could help soon today"
    " package parcel delivery carrier tracking invoice receipt gift birthday weekend urgent"
    " disappointed happy quickly email chat reply update status number express standard"
).split()
STEP_MODELS = {
    "intent": (("gemini-2.5-flash", 85), ("gpt-4.1-mini", 15)),
    "retrieval": (("deepseek-v3.2", 70), (None, 30)),
    "reasoning": (("gpt-4.1", 80), ("claude-sonnet-4.5", 20)),
    "reply": (("claude-sonnet-4.5", 75), ("gpt-4.1", 25)),
}
PRICES = {  # USD per million tokens: input, output
    "gemini-2.5-flash": (0.30, 2.50),
    "gpt-4.1-mini": (0.40, 1.60),
    "deepseek-v3.2": (0.28, 0.42),
    "gpt-4.1": (2.00, 8.00),
    "claude-sonnet-4.5": (3.00, 15.00),
}
LATENCY_MEDIAN_S = {"intent": 0.6, "retrieval": 0.7, "reasoning": 4.5, "reply": 2.8}
MESSAGE_CHARS = {"intent": 1900, "retrieval": 1400, "reasoning": 7000, "reply": 5000}
OUTPUT_CHARS = {"intent": 500, "retrieval": 330, "reasoning": 1700, "reply": 600}
MODELS = tuple(STEP_MODELS.items())
ROUTE = {"provider": "gateway", "adapter": "openai", "temperature": 0.2, "max_tokens": 1200}


@dataclass
class Made:
    tickets: int = 0
    runs: int = 0
    sent: int = 0


class Generator:
    def __init__(self, seed: int = 7, payload: str = "full") -> None:
        self.rng = random.Random(seed)
        self.scale = 1.0 if payload == "full" else 0.1
        self.now = END
        self.made = Made()
        # Random words are drawn once: each text is a slice of this pool, from a random word on.
        self._pool = " ".join(self.rng.choice(FILLER) for _ in range(40_000))
        self._prompts = {step: self._words(n * self.scale) for step, n in MESSAGE_CHARS.items()}

    def _words(self, chars: float) -> str:
        start = self._pool.find(" ", self.rng.randrange(len(self._pool) - 12_000)) + 1
        return self._pool[start : start + int(chars)].rsplit(" ", 1)[0]

    def clock(self) -> datetime:
        return self.now

    def fill(self, store: Store, runs: int) -> Made:
        self.store, self.wanted = store, runs
        customers = self._customers(3_000)
        while self.made.runs < runs:
            with write_transaction(self.store._conn, "write the benchmark's runs"):
                stop = min(runs, self.made.runs + BATCH)
                while self.made.runs < stop:
                    self._ticket(self.rng.choice(customers))
        return self.made

    def _customers(self, count: int) -> list[Customer]:
        made = []
        with write_transaction(self.store._conn, "write the benchmark's customers"):
            for n in range(count):
                name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
                email = f"{name.lower().replace(' ', '.')}{n}@example.com"
                customer = Customer(f"C-{n}", name, email, n % 9 == 0, None, "2020-01-01", "en", 3)
                self.store.insert_customer(customer)
                made.append(customer)
        return made

    def _ticket(self, customer: Customer) -> None:
        rng = self.rng
        labels = self._intents()
        product = rng.choice(PRODUCTS)
        received = END - timedelta(days=DAYS * rng.random())
        text = " ".join(
            INTENTS[label][1].format(p=product, d=f"December {rng.randint(1, 28)}")
            for label in labels
        )
        words = self._words(rng.randint(120, 600))
        order = rng.randint(1000, 99999)
        body = f"Hi,\n\n{text}. Order #{order}. {words}.\n\nThanks,\n{customer.name}"
        ticket_id = f"T-{self.made.tickets + 1}"
        subject = f"{product.capitalize()}: {labels[0].replace('_', ' ')}"
        when = received.isoformat()
        ticket = Ticket(ticket_id, customer.id, subject, body, "email", when, "open")
        self.store.insert_ticket(ticket)
        self.made.tickets += 1
        moment, draft, last_ok = received + timedelta(minutes=rng.uniform(1, 240)), None, None
        attempts = rng.choices((1, 2, 3, 4), (60, 25, 10, 5))[0]
        for attempt in range(min(attempts, self.wanted - self.made.runs)):
            moment, draft = self._run(ticket, customer, labels, moment, attempt, last_ok)
            last_ok = draft or last_ok
            moment += timedelta(minutes=rng.uniform(0.5, 30))
        if last_ok and rng.random() < 0.8:
            self.now = moment
            self.store.mark_sent(ticket_id, self._edited(last_ok))
            self.made.sent += 1

    def _intents(self) -> list[str]:
        names = list(INTENTS)
        weights = [INTENTS[name][0] for name in names]
        first = self.rng.choices(names, weights)[0]
        second = self.rng.choices(names, weights)[0] if self.rng.random() < 0.3 else first
        return list(dict.fromkeys((first, second)))

    def _run(
        self,
        ticket: Ticket,
        customer: Customer,
        labels: list[str],
        start: datetime,
        attempt: int,
        earlier: str | None,
    ) -> tuple[datetime, str | None]:
        rng = self.rng
        run_id = f"R-{self.made.runs:06d}"
        rerun = attempt > 0 and earlier is not None and rng.random() < 0.5
        steps, moment, status = [], start, "ok"
        for name in STEP_MODELS:
            kept = rerun and name != "reply"
            step, took = self._step(name, ticket, labels, moment, kept, status)
            steps.append(step)
            status = "failed" if step["status"] == "failed" else status
            status = "cancelled" if step["status"] == "cancelled" else status
            moment += timedelta(seconds=took)
        draft = self._draft(customer, ticket) if status == "ok" else None
        flagged = status == "ok" and "refund_request" in labels and rng.random() < 0.4
        flags = [{"rule": "refund_agent_cap_usd", "message": "Refund above the agent cap."}]
        self.store.record_run(
            run_id,
            ticket.id,
            start.isoformat(),
            moment.isoformat(),
            status == "ok",
            draft,
            steps,
            status=status,
            needs_approval=flagged,
            flags_json=flags if flagged else [],
            rerun_of=f"R-{self.made.runs - 1:06d}" if rerun else None,
            from_step="reply" if rerun else None,
            config_json={
                "routes": {s: {**ROUTE, "model": m[0][0]} for s, m in STEP_MODELS.items()}
            },
            agent_name=rng.choice(AGENTS),
        )
        self.made.runs += 1
        return moment, draft

    def _step(
        self, name: str, ticket: Ticket, labels: list[str], at: datetime, kept: bool, run: str
    ) -> tuple[dict[str, Any], float]:
        rng = self.rng
        model = rng.choices(*zip(*STEP_MODELS[name], strict=True))[0]
        step: dict[str, Any] = {"step": name, "model": model, "started_at": at.isoformat()}
        if run != "ok" or (name == "reasoning" and rng.random() < 0.25):
            reason = "Not run: an earlier step failed." if run != "ok" else "router: simple case"
            return {**step, "status": "skipped", "skipped_reason": reason}, 0.0
        if kept:
            return {**step, "status": "kept", "kept_from": "R-earlier", "cost_usd": 0.0}, 0.0
        if name == "intent" and rng.random() < 0.03:
            return {**step, "status": "cached", "parsed_json": {"intents": labels}}, 0.01
        took = rng.lognormvariate(0, 0.45) * LATENCY_MEDIAN_S[name]
        fate = rng.random()
        status = "failed" if fate < 0.02 else "cancelled" if fate < 0.03 else "done"
        tokens_in = int(MESSAGE_CHARS[name] / 4 * rng.uniform(0.8, 1.3))
        tokens_out = int(OUTPUT_CHARS[name] / 4 * rng.uniform(0.5, 1.6))
        price_in, price_out = PRICES.get(model or "", (0.0, 0.0))
        raw = self._words(OUTPUT_CHARS[name] * rng.uniform(0.5, 1.6))
        step |= {
            "status": status,
            "input_tokens": tokens_in,
            "output_tokens": tokens_out,
            "duration_s": took,
            "ttft_s": took * rng.uniform(0.1, 0.4),
            "cost_usd": (tokens_in * price_in + tokens_out * price_out) / 1e6,
            "retries": rng.choices((0, 1, 2), (94, 5, 1))[0],
            "messages_json": [
                {"role": "system", "content": self._prompts[name]},
                {"role": "user", "content": f"{ticket.subject}\n\n{ticket.body}"},
            ],
            "raw_output": raw,
            "output_text": raw,
            "route_json": {**ROUTE, "model": model},
            "error": "The provider timed out." if status == "failed" else None,
        }
        if name == "intent" and status == "done":
            step["parsed_json"] = {"intents": labels, "urgency": "normal", "language": "en"}
        if name == "retrieval" and status == "done":
            step["parsed_json"] = {"records": [{"kind": "policy", "text": raw}] * 12}
        if name == "reasoning":
            step["reasoning_text"] = raw[: int(200 * self.scale) + 20]
        return step, took

    def _draft(self, customer: Customer, ticket: Ticket) -> str:
        first = customer.name.split()[0]
        words = self._words(self.rng.randint(350, 700))
        return (
            f"Hi {first},\n\nThank you for writing to us about {ticket.subject.lower()}. {words}."
            "\n\nBest regards,\nThe support team"
        )

    def _edited(self, draft: str) -> str:
        fate = self.rng.random()
        if fate < 0.55:
            return draft
        words = draft.split(" ")
        changed = 0.05 if fate < 0.85 else 0.6
        for _ in range(max(1, int(len(words) * changed))):
            words[self.rng.randrange(len(words))] = self.rng.choice(FILLER)
        return " ".join(words)


def make_store(path: Path, runs: int, *, payload: str = "full", seed: int = 7) -> Made:
    """A new store at ``path`` holding ``runs`` generated runs and their tickets."""
    generator = Generator(seed, payload)
    with Store.open(path, clock=generator.clock) as store:
        return generator.fill(store, runs)
