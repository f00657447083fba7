"""Widget-test fixtures: the theme, a qasync loop attached to pytest-qt's QApplication, and a
small in-memory workspace whose ``run()`` yields scripted pipeline events.

How async code runs in these tests (``qloop``): pytest-qt owns the QApplication and spins Qt's
event loop only inside ``qtbot.waitSignal``/``waitUntil``. A qasync loop schedules every asyncio
callback as a Qt timer, so those waits also step our asyncio tasks; all the fixture has to do is
make the loop *current and running* for asyncio (``asyncio._set_running_loop``, the hook event
loops use) so that ``ensure_future``, ``get_running_loop`` and ``asyncio.sleep`` work inside the
tasks. We do not use qasync's ``already_running=True``: its clean-up, ``loop.stop()``, calls
``QApplication.exit()``, which outside ``exec()`` leaves Qt's "quit now" flag set and makes every
later ``waitSignal`` return at once. Nor do we run async test functions on the loop: a nested
``waitSignal`` inside a running task would re-enter asyncio's task machinery.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.config import Settings, default_routes
from app.pipeline.events import (
    PipelineEvent,
    ReasoningDelta,
    RunFinished,
    StepFailed,
    StepFinished,
    StepStarted,
    TextDelta,
    Usage,
)
from app.pipeline.steps import STEPS, StepSpec
from app.store import AlreadySent, InvalidTicket, RunTotals, StoreError
from app.store.models import Customer, Order, OrderItem, Ticket, TicketSummary
from app.store.new_ticket import check
from ui.loop import StepwiseLoop
from ui.theme import apply_theme

RUN_ID = "run-1"
RERUN_ID = "run-2"
HERE = Path(__file__).parent
# The offscreen platform says this whenever a top-level window is shown; it is not our warning.
# Every other Qt warning fails the test (pyproject: qt_log_level_fail = "WARNING").
# The offscreen platform has no window manager: it says so when a window is sized or raised.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise)\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


INTENT_DATA: dict[str, Any] = {
    "intents": ["shipping_expedite", "discount_request"],
    "order_ids": ["4521"],
    "dates": [{"text": "by Friday", "iso": "2026-12-11", "role": "deadline"}],
    "deadline": "2026-12-11",
    "requested_actions": ["upgrade to overnight shipping"],
    "urgency": "high",
    "sentiment": "frustrated",
    "language": "en",
}
RETRIEVAL_DATA: dict[str, Any] = {
    "plan": {"order_ids": ["4521"], "policy_queries": ["expedite"], "why": "deadline"},
    "records": [
        {
            "kind": "customer",
            "id": "C-1001",
            "label": "Maya Chen · VIP gold",
            "detail": "customer since 2021-03-04, 14 orders",
        },
        {
            "kind": "order",
            "id": "4521",
            "label": "Order #4521 · shipped",
            "detail": "express via UPS, delayed in Chicago, IL, ETA unknown",
        },
        {"kind": "policy", "id": "POL-EXPEDITE", "label": "Expedited shipping", "detail": ""},
    ],
    "not_found": ["9999"],
}
REASONING = "The order is delayed; the deadline is Friday. Policy allows a free upgrade."
REPLY = "Hi Maya,\n\nI'm sorry your order #4521 is late. I've upgraded it to overnight.\n\nSam"


@dataclass
class FakeKeys:
    """The KeyStore surface the settings dialog uses; ``fail`` makes set() session-only."""

    stored: dict[str, str] = field(default_factory=dict)
    fail: bool = False
    problem: str | None = None
    backend_name: str = "keyring.backends.SecretService.Keyring"

    def get(self, profile: str) -> str | None:
        return self.stored.get(profile)

    def set(self, profile: str, key: str) -> bool:
        self.stored[profile] = key
        if self.fail:
            self.problem = (
                "The system keyring is not available (NoKeyringError), "
                "so the API key is kept for this session only."
            )
            return False
        return True


@dataclass
class FakeContext:
    ticket: Ticket
    customer: Customer | None
    orders: list[Order]


class FakeStore:
    def __init__(self, workspace: FakeWorkspace) -> None:
        self._workspace = workspace
        self.read = {"T-1003"}  # ids opened at least once; the others are unread
        # ticket id → (intents, urgency) of its latest classified run
        self.classified: dict[str, tuple[tuple[str, ...], str]] = {
            "T-1001": (("shipping_expedite", "discount_request"), "high"),
            "T-1002": (("discount_request",), "normal"),
        }
        self.fail: StoreError | None = None  # raised by the next write, then cleared
        self.totals = RunTotals(runs=3, input_tokens=4_200, output_tokens=900, cost_usd=0.0123)

    def list_tickets(self) -> list[TicketSummary]:
        tickets = sorted(self._workspace.tickets.values(), key=lambda t: t.received_at)
        return [
            TicketSummary(
                t.id,
                t.subject,
                CUSTOMER.name if t.customer_id else "",
                t.received_at,
                t.status,
                t.body[:100].replace("\n", " "),
                intents=self.classified.get(t.id, ((), None))[0],
                urgency=self.classified.get(t.id, ((), None))[1],
                unread=t.id not in self.read,
            )
            for t in reversed(tickets)
        ]

    def mark_read(self, ticket_id: str) -> bool:
        self._raise_if_failing()
        first = ticket_id not in self.read
        self.read.add(ticket_id)
        return first

    def add_ticket(
        self,
        body: str,
        *,
        subject: str = "",
        customer_id: str | None = None,
        order_ids: Sequence[str] = (),
        channel: str = "email",
    ) -> Ticket:
        """The real checks (app.store.new_ticket), the fake's one customer, ids T-1004 on."""
        self._raise_if_failing()
        checked = check(subject, body, customer_id or "", " ".join(order_ids), channel)
        if checked.ticket is None:
            raise InvalidTicket(checked.problems)
        new = checked.ticket
        if new.customer_id and new.customer_id != CUSTOMER.id:
            raise InvalidTicket({"customer_id": f"No customer has the id {new.customer_id}."})
        number = max(int(ticket_id[2:]) for ticket_id in self._workspace.tickets) + 1
        ticket = Ticket(f"T-{number}", new.customer_id, new.subject, new.body, new.channel,
                        "2026-12-09T10:00:00", "open")  # fmt: skip
        self._workspace.tickets[ticket.id] = ticket
        self.read.add(ticket.id)
        return ticket

    def order(self, order_id: str) -> Order | None:
        return ORDER if order_id.strip().lstrip("#") == ORDER.id else None

    def totals_since(self, since: datetime) -> RunTotals:
        return self.totals

    def _raise_if_failing(self) -> None:
        if self.fail is not None:
            failure, self.fail = self.fail, None
            raise failure


Script = Callable[[str], Sequence[PipelineEvent]]


class FakeWorkspace:
    """Same surface as ``app.workspace.Workspace``; ``run()`` replays ``script(ticket_id)``."""

    def __init__(self, *, demo: bool = False, keys: FakeKeys | None = None) -> None:
        self.demo = demo
        self.steps: tuple[StepSpec, ...] = STEPS
        self.settings = Settings(routes=default_routes())
        self.keys = None if demo else (keys or FakeKeys())
        self.tickets = {t.id: t for t in make_tickets()}
        self.store = FakeStore(self)
        self.script: Script = lambda ticket_id: full_run(ticket_id)
        self.yield_every = 1  # give the Qt loop a turn after this many events
        self.sent: list[tuple[str, str]] = []
        self.drafts: list[tuple[str, str]] = []
        self.settings_saved: list[tuple[Settings, str | None]] = []
        self.runs: list[str] = []
        # (run_id, from_step, model, instruction) of each rerun()
        self.reruns: list[tuple[str, str, str | None, str]] = []
        self.cache_used: list[bool] = []  # use_cache of each run: Regenerate asks for fresh
        self.stream_closed = 0  # how many run() generators reached their finally
        self.closed = False

    def context(self, ticket_id: str) -> FakeContext:
        ticket = self.tickets[ticket_id]
        customer = CUSTOMER if ticket.customer_id else None
        return FakeContext(ticket, customer, [ORDER] if customer else [])

    async def run(self, ticket_id: str, *, use_cache: bool = True) -> AsyncIterator[PipelineEvent]:
        self.runs.append(ticket_id)
        self.cache_used.append(use_cache)
        try:
            for number, event in enumerate(self.script(ticket_id), start=1):
                yield event
                if number % self.yield_every == 0:
                    await asyncio.sleep(0)
        finally:
            self.stream_closed += 1

    async def rerun(
        self, run_id: str, from_step: str, model: str | None = None, instruction: str = ""
    ) -> AsyncIterator[PipelineEvent]:
        self.reruns.append((run_id, from_step, model, instruction))
        for event in rerun_events(full_run("T-1001"), from_step):
            yield event
            await asyncio.sleep(0)

    def save_draft(self, ticket_id: str, text: str) -> None:
        self.drafts.append((ticket_id, text))
        ticket = self.tickets[ticket_id]
        self.tickets[ticket_id] = dataclasses.replace(ticket, draft=text, status="draft")

    def send(self, ticket_id: str, text: str) -> None:
        ticket = self.tickets[ticket_id]
        if ticket.status == "sent":
            raise AlreadySent(f"Ticket {ticket_id} was already answered.")
        self.sent.append((ticket_id, text))
        self.tickets[ticket_id] = dataclasses.replace(ticket, status="sent", sent_text=text)

    def update_settings(self, settings: Settings, api_key: str | None = None) -> bool | None:
        self.settings_saved.append((settings, api_key))
        self.settings = settings
        if api_key and self.keys is not None:
            return self.keys.set(settings.provider.name, api_key)
        return None

    async def aclose(self) -> None:
        self.closed = True


CUSTOMER = Customer(
    id="C-1001",
    name="Maya Chen",
    email="maya@example.com",
    vip=True,
    vip_tier="gold",
    customer_since="2021-03-04",
    language="en",
    lifetime_orders=14,
)
ORDER = Order(
    id="4521",
    customer_id="C-1001",
    placed_at="2026-11-28",
    items=(OrderItem("SCARF-1", "Merino scarf", 2, 39.0), OrderItem("MIT-2", "Mittens", 1, 21.5)),
    total=99.5,
    currency="USD",
    status="shipped",
    shipping_method="express",
    carrier="UPS",
    tracking_number="1Z999",
    tracking_status="delayed",
    tracking_location="Chicago, IL",
    last_scan_at="2026-12-07T09:14:00",
    eta=None,
)


def make_tickets() -> list[Ticket]:
    body = (
        "Hello, my order #4521 was supposed to arrive by Friday for my sister's birthday. "
        "Tracking has said 'delayed in Chicago' for two days. Can you upgrade it to overnight? "
        "I'm a long-time customer and honestly a bit disappointed."
    )
    return [
        Ticket("T-1001", "C-1001", "Order #4521 late — need it by Friday", body, "email",
               "2026-12-08T09:14:00", "open"),
        Ticket("T-1002", "C-1001", "Discount code did not apply", "My code WINTER10 failed.",
               "chat", "2026-12-08T08:02:00", "draft", draft="Hi Maya, thanks for"),
        Ticket("T-1003", None, "Where is my refund?", "I returned the boots two weeks ago.",
               "web", "2026-12-07T17:40:00", "sent", sent_text="Your refund is on its way."),
    ]  # fmt: skip


def full_run(ticket_id: str, chunk: int = 6) -> list[PipelineEvent]:
    """A whole successful run: intent and retrieval JSON, reasoning with thinking, the reply."""
    events: list[PipelineEvent] = []
    texts = {"intent": '{"intents": ["shipping_expedite"]}', "retrieval": '{"order_ids": ["4521"]}'}
    texts |= {"reasoning": REASONING, "reply": REPLY}
    data = {"intent": INTENT_DATA, "retrieval": RETRIEVAL_DATA}
    for spec in STEPS:
        events.append(StepStarted(RUN_ID, spec.name, spec.title, f"model-{spec.name}"))
        if spec.name == "reasoning":
            events.append(ReasoningDelta(RUN_ID, spec.name, "Weigh deadline vs carrier delay."))
        text = texts[spec.name]
        events += [
            TextDelta(RUN_ID, spec.name, text[i : i + chunk]) for i in range(0, len(text), chunk)
        ]
        usage = Usage(120, 40, estimated=spec.name == "retrieval")
        events.append(StepFinished(RUN_ID, spec.name, text, usage, 0.8, 0.1, data.get(spec.name)))
    events.append(RunFinished(RUN_ID, ticket_id, True, REPLY))
    return events


def rerun_events(run: list[PipelineEvent], from_step: str) -> list[PipelineEvent]:
    """``run`` as a re-run from ``from_step`` yields it: the earlier steps kept, under a new run
    id, with no deltas of their own but their whole text."""
    names = [spec.name for spec in STEPS]
    kept = set(names[: names.index(from_step)])
    events: list[PipelineEvent] = []
    for event in run:
        event = dataclasses.replace(event, run_id=RERUN_ID)
        if getattr(event, "step", None) in kept:
            if isinstance(event, StepFinished):
                events.append(TextDelta(RERUN_ID, event.step, event.text))
                event = dataclasses.replace(event, kept=True, duration_s=0.0)
            elif isinstance(event, TextDelta | ReasoningDelta):
                continue
        events.append(event)
    return events


def failing_run(ticket_id: str) -> list[PipelineEvent]:
    return [
        StepStarted(RUN_ID, "intent", "Intent", "model-intent"),
        TextDelta(RUN_ID, "intent", '{"intents": ["ship'),
        StepFailed(RUN_ID, "intent", "The provider rejected the API key.", "AuthError",
                   '{"intents": ["ship'),
        RunFinished(RUN_ID, ticket_id, False, "", ("intent",)),
    ]  # fmt: skip


@pytest.fixture(autouse=True)
def themed(qapp: QApplication) -> None:
    apply_theme(qapp)


@pytest.fixture
def qloop(qapp: QApplication, qtbot: QtBot) -> Iterator[StepwiseLoop]:
    """A StepwiseLoop that is asyncio's running loop while Qt spins in qtbot's waits."""
    loop = StepwiseLoop(qapp)
    asyncio.set_event_loop(loop)
    asyncio._set_running_loop(loop)
    try:
        with loop.asyncgen_hooks():
            yield loop
            _drain(loop, qtbot)
    finally:
        asyncio._set_running_loop(None)
        asyncio.set_event_loop(None)
        loop.close()


def _drain(loop: StepwiseLoop, qtbot: QtBot) -> None:
    """Cancel what a test left running and let the cancellations finish."""
    tasks = asyncio.all_tasks(loop)
    for task in tasks:
        task.cancel()
    closing = asyncio.ensure_future(loop.shutdown_asyncgens())
    qtbot.waitUntil(lambda: closing.done() and all(t.done() for t in tasks), timeout=3000)


@pytest.fixture
def workspace() -> FakeWorkspace:
    return FakeWorkspace()


@pytest.fixture
def shot(artifacts: Path) -> Callable[..., Path]:
    """Save a screenshot of a widget to tests/artifacts/<name>.png."""

    def save(widget: QWidget, name: str, fit_height: bool = False) -> Path:
        # Deliver pending layout requests (a label's new text) so the picture is current; this
        # only flushes queued events, it does not wait.
        QApplication.sendPostedEvents()
        QApplication.processEvents()
        if fit_height:  # a panel as tall as it wants to be, as in the steps column
            widget.resize(widget.width(), widget.sizeHint().height())
            QApplication.sendPostedEvents()
            QApplication.processEvents()
        path = artifacts / f"{name}.png"
        assert widget.grab().save(str(path)), f"could not save {path}"
        return path

    return save
