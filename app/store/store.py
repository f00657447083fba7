"""The store: tickets, customers, orders, policies and their limits, drafts and runs in SQLite.

Every fact the pipeline shows comes from here, never from a model (DESIGN.md, "The pipeline").
All methods are synchronous and meant for one thread, the asyncio/Qt loop thread: each call is a
few milliseconds on a local file. Every sqlite3 error is re-raised as a ``StoreError`` (see
``errors``) with a sentence the agent can read.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Unpack

from . import limits, new_ticket, replies, rows, runs, tickets
from .db import connect, guarded, migrate, write_transaction
from .errors import AlreadySent, InvalidTicket, NotFound, translate_os_error
from .models import Customer, Order, PolicyArticle, PolicyLimit, Ticket, TicketSummary
from .seed import parse_seed
from .supervision import SupervisorQueries

log = logging.getLogger("stepwise.store")

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Store(SupervisorQueries):
    """Open with ``Store.open(path)``; use as a context manager or call ``close()``.

    The supervisor's queries (history, annotations, period figures, exports) come from
    ``SupervisorQueries``."""

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Clock = _utc_now) -> None:
        self._conn = conn
        self._path = path
        self._clock = clock

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        read_only: bool = False,
        busy_timeout_s: float = 5.0,
        clock: Clock = _utc_now,
    ) -> Store:
        """Open (creating file, folder and schema when missing) the database at ``path``.

        ``read_only`` opens an existing database for inspection only; every write then raises
        ``ReadOnlyStorage``. ``clock`` stamps drafts and sent replies (tests pass a fixed one).
        """
        path = Path(path)
        action = f"open the database at {path}"
        if not read_only:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise translate_os_error(err, action) from err
        with guarded(action):
            conn = connect(path, read_only=read_only, busy_timeout_s=busy_timeout_s)
        try:
            migrate(conn, path)
        except BaseException:
            conn.close()
            raise
        log.info("store opened at %s%s", path, " (read-only)" if read_only else "")
        return cls(conn, path, clock)

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        """Close the connection; safe to call twice. Later calls raise StoreBug."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """True when the store holds no tickets."""
        with guarded("read the inbox"):
            row = self._conn.execute("SELECT EXISTS (SELECT 1 FROM tickets)").fetchone()
        return not row[0]

    def list_tickets(self) -> list[TicketSummary]:
        """Inbox rows, newest first, with read state and the latest classified intents/urgency
        (one query; see ``tickets``)."""
        with guarded("read the inbox"):
            found = self._conn.execute(tickets.INBOX).fetchall()
        return [rows.summary_from_row(row) for row in found]

    def ticket(self, ticket_id: str) -> Ticket:
        """The ticket with this id; raises NotFound."""
        with guarded(f"read ticket {ticket_id}"):
            row = self._conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
        if row is None:
            raise _ticket_not_found(ticket_id)
        return rows.ticket_from_row(row)

    def customer(self, customer_id: str) -> Customer | None:
        with guarded(f"read customer {customer_id}"):
            row = self._conn.execute(
                "SELECT * FROM customers WHERE id = ?", (customer_id,)
            ).fetchone()
        return None if row is None else rows.customer_from_row(row)

    def order(self, order_id: str) -> Order | None:
        """The order named "4521" or "#4521", or None."""
        found = self._orders("id = ?", (rows.normalize_order_id(order_id),), f"order {order_id}")
        return found[0] if found else None

    def orders_for_customer(self, customer_id: str) -> list[Order]:
        """The customer's orders, newest first."""
        return self._orders("customer_id = ?", (customer_id,), f"customer {customer_id}'s orders")

    def _orders(self, where: str, params: tuple[str, ...], what: str) -> list[Order]:
        # ``where`` is always one of the literals above, never user text.
        with guarded(f"read {what}"):
            order_rows = self._conn.execute(
                f"SELECT * FROM orders WHERE {where} ORDER BY placed_at DESC, id DESC", params
            ).fetchall()
            ids = [row["id"] for row in order_rows]
            item_rows = self._conn.execute(
                "SELECT * FROM order_items WHERE order_id IN (SELECT value FROM json_each(?))"
                " ORDER BY order_id, line_no",
                (json.dumps(ids),),
            ).fetchall()
        items: dict[str, list[Any]] = {order_id: [] for order_id in ids}
        for row in item_rows:
            items[row["order_id"]].append(rows.item_from_row(row))
        return [rows.order_from_row(row, items[row["id"]]) for row in order_rows]

    def search_policies(self, query: str, limit: int = 3) -> list[PolicyArticle]:
        """Policy articles best matching free text (BM25), best first. Any text is safe: it is
        reduced to quoted words, so FTS5 operators in it are only words."""
        match = rows.fts_query(query)
        if match is None or limit <= 0:
            return []
        with guarded("search the policy articles"):
            found = self._conn.execute(
                # Weights per column (policy_id, title, body, tags): a hit in the title or tags
                # says more about what an article is for than one word in its body.
                "SELECT p.id, p.title, p.body, p.tags FROM policies_fts f"
                " JOIN policies p ON p.id = f.policy_id WHERE policies_fts MATCH ?"
                " ORDER BY bm25(policies_fts, 0.0, 4.0, 1.0, 2.0), p.id LIMIT ?",
                (match, limit),
            ).fetchall()
        return [rows.policy_from_row(row) for row in found]

    def policy(self, policy_id: str) -> PolicyArticle | None:
        with guarded(f"read policy {policy_id}"):
            row = self._conn.execute("SELECT * FROM policies WHERE id = ?", (policy_id,)).fetchone()
        return None if row is None else rows.policy_from_row(row)

    def policy_limits(self) -> list[PolicyLimit]:
        """Every policy limit, by key; within a key untiered first, then silver, gold, platinum."""
        with guarded("read the policy limits"):
            return limits.all_limits(self._conn)

    def policy_limit(self, key: str, tier: str | None = None) -> PolicyLimit | None:
        """The limit ``key`` for a customer of VIP ``tier`` (None: no tier): the tier's own value
        if there is one, else the one for everyone, else None (no such limit applies)."""
        with guarded(f"read the policy limit {key}"):
            return limits.find_limit(self._conn, key, tier)

    # -- the agent's writes --------------------------------------------------------------------

    def save_draft(self, ticket_id: str, text: str) -> None:
        """Keep the agent's current draft. Status becomes "draft" unless already sent."""
        with write_transaction(self._conn, f"save the draft for ticket {ticket_id}"):
            cursor = self._conn.execute(
                "UPDATE tickets SET draft = ?, draft_saved_at = ?,"
                " status = CASE WHEN sent_at IS NULL THEN 'draft' ELSE status END WHERE id = ?",
                (text, self._now(), ticket_id),
            )
            if cursor.rowcount == 0:
                raise _ticket_not_found(ticket_id)

    def mark_read(self, ticket_id: str) -> bool:
        """Record that the agent opened the ticket. True the first time, False when it was read
        already; raises NotFound for an unknown id."""
        with write_transaction(self._conn, f"mark ticket {ticket_id} as read"):
            changed = tickets.mark_read(self._conn, ticket_id, self._now())
            if not changed and not tickets.ticket_exists(self._conn, ticket_id):
                raise _ticket_not_found(ticket_id)
        return bool(changed)

    def add_ticket(
        self,
        body: str,
        *,
        subject: str = "",
        customer_id: str | None = None,
        order_ids: Sequence[str] = (),
        channel: str = "email",
    ) -> Ticket:
        """Store a customer message the agent pasted in, as the next "T-<number>" ticket,
        received now (UTC), open and already read. An empty subject becomes the body's first
        line; order numbers the body does not mention are noted at its end (``new_ticket``).
        Raises InvalidTicket, with a sentence per refused field, for an empty, oversized or
        garbled message, a bad order number or a customer id the store does not know."""
        checked = new_ticket.check(subject, body, customer_id or "", " ".join(order_ids), channel)
        if checked.ticket is None:
            raise InvalidTicket(checked.problems)
        ticket = checked.ticket
        with write_transaction(self._conn, "add the new ticket"):
            if ticket.customer_id and not tickets.customer_exists(self._conn, ticket.customer_id):
                raise InvalidTicket({new_ticket.CUSTOMER: _unknown_customer(ticket.customer_id)})
            ticket_id = tickets.next_ticket_id(self._conn)
            tickets.insert_new(self._conn, ticket_id, ticket, self._now())
        log.info("ticket %s added by hand", ticket_id)
        return self.ticket(ticket_id)

    def mark_sent(self, ticket_id: str, text: str) -> None:
        """Record the reply as sent, exactly once: a second call raises AlreadySent.

        The ``sent_at IS NULL`` guard and the write sit in one statement inside one transaction,
        so two racing calls cannot both succeed. The same transaction measures the reply against
        the draft it came from (``replies``: the edit level the supervisor sees) and, by trigger,
        makes the ticket's runs findable by the reply's words.
        """
        with write_transaction(self._conn, f"record the reply to ticket {ticket_id} as sent"):
            cursor = self._conn.execute(
                "UPDATE tickets SET sent_text = ?, sent_at = ?, status = 'sent'"
                " WHERE id = ? AND sent_at IS NULL",
                (text, self._now(), ticket_id),
            )
            if cursor.rowcount == 0:
                sent_at = self.ticket(ticket_id).sent_at  # raises NotFound for an unknown id
                raise AlreadySent(
                    f"The reply to ticket {ticket_id} was already recorded as sent at "
                    f"{sent_at}; it was not recorded a second time."
                )
            replies.record_edit(self._conn, ticket_id, text)
        log.info("reply to ticket %s recorded as sent", ticket_id)

    def record_run(
        self,
        run_id: str,
        ticket_id: str,
        started_at: str,
        finished_at: str | None,
        ok: bool,
        draft: str | None,
        steps: Sequence[Mapping[str, Any]],
        **fields: Unpack[runs.RunFields],
    ) -> None:
        """Store one pipeline run and its steps.

        The rest of the run row comes as keywords (``RunFields``: status, needs_approval,
        flags_json, cost_usd, cost_estimated, input_tokens, output_tokens, rerun_of, from_step,
        config_json, agent_name), each optional: a missing or None one takes its default (status
        from ``ok``, totals summed from the steps, no flags). Steps are dicts keyed by the
        run_steps columns (``StepRecord``; "step" and "status" required). ``*_json`` values are
        Python objects. An unknown key, a bad status or a credential in a route raises
        ValueError before the database is touched: that is a caller bug.
        """
        run = {
            "id": run_id,
            "ticket_id": ticket_id,
            "started_at": started_at,
            "finished_at": finished_at,
            "ok": ok,
            "draft": draft,
        }
        run_row, step_rows = runs.prepare_run(run, fields, steps)
        with write_transaction(self._conn, f"record run {run_id} of ticket {ticket_id}"):
            runs.insert_run(self._conn, run_row, step_rows)

    def run(self, run_id: str) -> dict[str, Any]:
        """A recorded run, whole: every runs column (``*_json`` decoded, flags as bool) and its
        ``steps`` in recorded order, each with every run_steps column. Raises NotFound."""
        with guarded(f"read run {run_id}"):
            found = runs.load_run(self._conn, run_id)
        if found is None:
            raise NotFound(f"Run {run_id} was not found in the history.")
        return found

    def step_outputs(self, run_id: str) -> dict[str, dict[str, Any]]:
        """The run's steps by step name, as ``run`` gives them plus their "run_id", so a re-run
        from a later step can keep the earlier outputs and say where they came from. A step
        recorded twice (retried) gives its later record; check its "status" before keeping it.
        A kept copy may be handed back to ``record_run`` as is: "run_id" is overridden there.
        Raises NotFound."""
        return {step["step"]: {**step, "run_id": run_id} for step in self.run(run_id)["steps"]}

    def run_ids(self, ticket_id: str) -> list[str]:
        """Ids of the ticket's recorded runs, newest first."""
        with guarded(f"read the runs of ticket {ticket_id}"):
            return runs.run_ids_for_ticket(self._conn, ticket_id)

    def totals_since(self, since: datetime) -> runs.RunTotals:
        """Runs, tokens and cost spent since ``since`` (e.g. the agent's local midnight)."""
        moment = since.astimezone(UTC).isoformat()
        with guarded("read today's totals"):
            return runs.totals_since(self._conn, moment)

    def _now(self) -> str:
        return self._clock().isoformat(timespec="seconds")

    # -- loading records (the seeder, imports) -------------------------------------------------

    def insert_customer(self, customer: Customer) -> None:
        with write_transaction(self._conn, f"add customer {customer.id}"):
            self._conn.execute(rows.INSERT_CUSTOMER, rows.customer_params(customer))

    def insert_order(self, order: Order) -> None:
        """The order with its items (numbered from 1 in the given order)."""
        with write_transaction(self._conn, f"add order {order.id}"):
            self._conn.execute(rows.INSERT_ORDER, rows.order_params(order))
            self._conn.executemany(
                rows.INSERT_ITEM,
                [rows.item_params(order.id, n, item) for n, item in enumerate(order.items, 1)],
            )

    def insert_policy(self, policy: PolicyArticle) -> None:
        """The policy; triggers add it to the search index in the same transaction."""
        with write_transaction(self._conn, f"add policy {policy.id}"):
            self._conn.execute(rows.INSERT_POLICY, rows.policy_params(policy))

    def insert_policy_limit(self, limit: PolicyLimit) -> None:
        with write_transaction(self._conn, f"add policy limit {limit.key}"):
            self._conn.execute(rows.INSERT_POLICY_LIMIT, rows.policy_limit_params(limit))

    def add_missing_policy_limits(self, wanted: Sequence[PolicyLimit]) -> int:
        """Insert the limits whose (key, tier) is not stored yet, in one transaction; returns
        how many were added. Safe to repeat, and against another window doing the same."""
        with write_transaction(self._conn, "add the policy limits"):
            return limits.insert_missing(self._conn, wanted)

    def insert_ticket(self, ticket: Ticket) -> None:
        with write_transaction(self._conn, f"add ticket {ticket.id}"):
            self._conn.execute(rows.INSERT_TICKET, rows.ticket_params(ticket))

    def load_seed(self, data: Mapping[str, Any], *, if_empty: bool = False) -> bool:
        """Insert seed JSON (see ``seed``) in one transaction: all of it or none of it.

        With ``if_empty`` nothing is loaded (and False returned) when tickets already exist.
        """
        records = parse_seed(data)
        with write_transaction(self._conn, "load the demo data"):
            if if_empty and not self.is_empty():
                return False
            for customer in records.customers:
                self.insert_customer(customer)
            for order in records.orders:
                self.insert_order(order)
            for policy in records.policies:
                self.insert_policy(policy)
            for limit in records.policy_limits:
                self.insert_policy_limit(limit)
            for ticket in records.tickets:
                self.insert_ticket(ticket)
        counts = {key: len(value) for key, value in vars(records).items()}
        log.info("seed loaded: %s", counts)
        return True


def _unknown_customer(customer_id: str) -> str:
    return (
        f"No customer has the id {customer_id}. Check it, or leave it empty if the customer "
        "is not on file yet."
    )


def _ticket_not_found(ticket_id: str) -> NotFound:
    return NotFound(
        f"Ticket {ticket_id} was not found. It may have been removed; refresh the inbox."
    )
