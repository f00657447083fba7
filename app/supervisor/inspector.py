"""Everything the inspector window shows of one run, read in one call (issue 6, part 2).

The steps come whole from ``Store.run``: the exact messages sent, raw and parsed outputs,
reasoning, model and route, tokens, time to first token, duration, retries, errors, cache hits and
cost. Added here: the history row (intents, models, end-to-end latency, edit level), the ticket
and its customer, the supervisors' annotations, and the run's draft against the reply sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.store import Annotation, HistoryRow, Store
from app.store.models import Customer, Ticket

from .diff import Comparison, compare


@dataclass(frozen=True)
class Inspection:
    run: dict[str, Any]  # ``Store.run``: every run column, and "steps" in recorded order
    row: HistoryRow
    ticket: Ticket
    customer: Customer | None
    annotations: tuple[Annotation, ...]
    # The run's draft against the ticket's sent reply; None until the reply is sent, or when the
    # run has no draft (it failed before the reply step).
    comparison: Comparison | None

    @property
    def compared_at_send(self) -> bool:
        """True when this run's draft is the one the sent reply was measured against (its edit
        level counts in the dashboard's acceptance); other runs' comparisons are for reading."""
        return self.row.edit_level is not None


def inspect(store: Store, run_id: str) -> Inspection:
    """The run with id ``run_id``; raises NotFound (a StoreError) when there is none."""
    run = store.run(run_id)
    ticket = store.ticket(run["ticket_id"])
    customer = store.customer(ticket.customer_id) if ticket.customer_id else None
    draft, sent = run["draft"], ticket.sent_text
    return Inspection(
        run=run,
        row=store.history_row(run_id),
        ticket=ticket,
        customer=customer,
        annotations=tuple(store.annotations(run_id)),
        comparison=compare(draft, sent) if draft and sent is not None else None,
    )
