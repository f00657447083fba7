"""The part of ``app.workspace.Workspace`` the widgets use, as a ``typing.Protocol``.

Widgets are typed against this surface instead of the concrete class so that they (and their
tests, which use a small in-memory fake) do not import the whole core: the workspace module pulls
in the LLM client, the runner and the simulator. ``app.workspace.Workspace`` satisfies it; the
check is ``ui.app.run_gui``, which hands a real workspace to ``MainWindow``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Protocol

from app.config import Settings
from app.pipeline.events import PipelineEvent
from app.store import RunTotals
from app.store.models import Customer, Order, Ticket, TicketSummary


class StepInfo(Protocol):
    @property
    def name(self) -> str: ...  # stable id: "intent", "retrieval", "reasoning", "reply"

    @property
    def title(self) -> str: ...  # shown in the panel header

    @property
    def output(self) -> str: ...  # "json" or "text" (rendered from markdown when done)


class TicketStore(Protocol):
    def list_tickets(self) -> list[TicketSummary]: ...

    def mark_read(self, ticket_id: str) -> bool: ...  # True the first time; raises StoreError

    def add_ticket(
        self,
        body: str,
        *,
        subject: str = "",
        customer_id: str | None = None,
        order_ids: Sequence[str] = (),
        channel: str = "email",
    ) -> Ticket: ...  # raises InvalidTicket (per-field sentences) or another StoreError

    def order(self, order_id: str) -> Order | None: ...

    def totals_since(self, since: datetime) -> RunTotals: ...  # raises StoreError


class TicketContextLike(Protocol):
    @property
    def ticket(self) -> Ticket: ...

    @property
    def customer(self) -> Customer | None: ...

    @property
    def orders(self) -> Sequence[Order]: ...


class KeyStoreLike(Protocol):
    problem: str | None  # why the OS keyring could not be used, or None

    @property
    def backend_name(self) -> str: ...

    def get(self, profile: str) -> str | None: ...


class WorkspaceLike(Protocol):
    settings: Settings

    @property
    def demo(self) -> bool: ...

    @property
    def steps(self) -> Sequence[StepInfo]: ...

    @property
    def store(self) -> TicketStore: ...

    @property
    def keys(self) -> KeyStoreLike | None: ...

    def context(self, ticket_id: str) -> TicketContextLike: ...

    def run(self, ticket_id: str, *, use_cache: bool = True) -> AsyncIterator[PipelineEvent]: ...

    def rerun(
        self, run_id: str, from_step: str, model: str | None = None, instruction: str = ""
    ) -> AsyncIterator[PipelineEvent]: ...

    def save_draft(self, ticket_id: str, text: str) -> None: ...

    def send(self, ticket_id: str, text: str) -> None: ...

    def update_settings(self, settings: Settings, api_key: str | None = None) -> bool | None: ...

    async def aclose(self) -> None: ...
