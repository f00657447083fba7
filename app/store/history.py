"""The supervisor's history of runs: a filter, one page of rows, and the count behind a pager.

Every query is built from the fixed fragments below, chosen by which filter fields are set;
user values only ever travel as bound parameters. Rows come newest first, in the exact order of
the ``runs_by_time`` index (started_at, id), so a page is a walk of that index, which also
covers every column the filters test (schema 5): a page or a count never sorts the table and
reads run rows only for the rows it returns.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .edits import LEVELS
from .runs import RUN_STATUSES

MAX_SEARCH_WORDS = 32
PREFIX_MIN_CHARS = 3  # "ref" finds "refund"; a shorter last word is matched whole
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class HistoryFilter:
    """Which runs the history shows; every field left at its default lets all runs through.

    Times without a zone are UTC. ``edited``: True keeps runs whose draft was sent with changes
    (light or rewritten), False those sent unedited; either way only runs whose draft was the one
    sent (``edit_level`` set). ``flagged``: the run's policy flags put its reply up for a
    supervisor's approval (``needs_approval``; every flag the pipeline raises does).
    ``marked_wrong``: a supervisor marked one of its steps wrong. ``text``: every word must appear
    in the ticket's subject or body, the run's draft or the ticket's sent reply (stemmed, so
    "refunds" finds "refund"; the last word of three letters or more also matches as a prefix).
    """

    since: datetime | None = None  # started at or after
    until: datetime | None = None  # started before
    agent: str | None = None
    intent: str | None = None  # a taxonomy label, e.g. "refund_request"
    model: str | None = None  # a step of the run ran on it
    status: str | None = None  # "ok" | "failed" | "cancelled"
    min_cost: float | None = None  # USD, inclusive
    max_cost: float | None = None
    edited: bool | None = None
    edit_level: str | None = None  # "unedited" | "light" | "rewritten"
    flagged: bool | None = None
    marked_wrong: bool | None = None
    text: str = ""

    def __post_init__(self) -> None:
        # Values from fixed choices in the UI: anything else is a caller bug.
        if self.status is not None and self.status not in RUN_STATUSES:
            raise ValueError(f"status {self.status!r} is not one of {RUN_STATUSES}")
        if self.edit_level is not None and self.edit_level not in LEVELS:
            raise ValueError(f"edit_level {self.edit_level!r} is not one of {LEVELS}")


@dataclass(frozen=True)
class HistoryRow:
    """One row of the history table."""

    run_id: str
    started_at: str  # ISO, UTC
    agent_name: str | None
    ticket_id: str
    subject: str
    customer_name: str  # "" when the ticket has no customer on file
    intents: tuple[str, ...]
    models: tuple[str, ...]
    latency_s: float | None  # end to end; None when the run has no end time
    cost_usd: float
    cost_estimated: bool
    status: str  # "ok" | "failed" | "cancelled"
    flags: tuple[str, ...]  # the rules of the policy flags raised, e.g. "refund_agent_cap_usd"
    needs_approval: bool
    edit_level: str | None  # None unless this run's draft was the one sent
    edit_ratio: float | None
    marked_wrong: int  # steps a supervisor marked wrong
    rerun_of: str | None
    from_step: str | None


# Each set filter field adds its fragment; a field absent here is handled in ``conditions``.
# The unary + on ``+r.id`` and ``+r.doc`` keeps SQLite from driving the query by the runs the
# subquery lists (looking each one up and sorting them: a row read per match, tens of thousands
# for a common intent or word); it then walks runs_by_time in order and checks each run against
# the subquery's result, built once: at worst one pass over the index, and a page stops early.
_FRAGMENTS = {
    "since": "r.started_at >= :since",
    "until": "r.started_at < :until",
    "agent": "r.agent_name = :agent",
    "intent": "+r.id IN (SELECT i.run_id FROM run_intents i WHERE i.intent = :intent)",
    "model": "+r.id IN (SELECT s.run_id FROM run_steps s WHERE s.model = :model"
    " AND s.status <> 'skipped')",
    "status": "r.status = :status",
    "min_cost": "r.cost_usd >= :min_cost",
    "max_cost": "r.cost_usd <= :max_cost",
    "edit_level": "r.edit_level = :edit_level",
    "text": "+r.doc IN (SELECT rowid FROM runs_fts WHERE runs_fts MATCH :text)",
}
_SWITCHES = {
    "edited": (
        "r.edit_level IN ('light', 'rewritten')",
        "r.edit_level = 'unedited'",
    ),
    "flagged": ("r.needs_approval = 1", "r.needs_approval = 0"),
    "marked_wrong": (
        "EXISTS (SELECT 1 FROM annotations a WHERE a.run_id = r.id AND a.verdict = 'wrong')",
        "NOT EXISTS (SELECT 1 FROM annotations a WHERE a.run_id = r.id AND a.verdict = 'wrong')",
    ),
}

_ROW_COLUMNS = (
    "r.id, r.started_at, r.agent_name, r.ticket_id, r.intents_json, r.models_json, r.latency_s,"
    " r.cost_usd, r.cost_estimated, r.status, r.flags_json, r.needs_approval, r.edit_level,"
    " r.edit_ratio, r.rerun_of, r.from_step"
)
# The page's ids are cut from runs_by_time alone (it covers every filtered column); only the
# rows of the page are then read, with their tickets, customers and annotations.
_PAGE = (
    f"SELECT {_ROW_COLUMNS}, t.subject, ifnull(c.name, '') AS customer_name,"
    " (SELECT count(*) FROM annotations a WHERE a.verdict = 'wrong' AND a.run_id = r.id)"
    " AS marked_wrong"
    " FROM (SELECT r.id FROM runs r WHERE {where}"
    " ORDER BY r.started_at DESC, r.id DESC LIMIT :limit OFFSET :offset) p"
    " JOIN runs r ON r.id = p.id JOIN tickets t ON t.id = r.ticket_id"
    " LEFT JOIN customers c ON c.id = t.customer_id"
    " ORDER BY r.started_at DESC, r.id DESC"
)


def iso_utc(moment: datetime) -> str:
    """``moment`` as the store writes times: ISO 8601 in UTC. A naive time is taken as UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()


def search_query(text: str) -> str | None:
    """An FTS5 expression requiring every word of ``text``, or None when it has no word.

    Only word characters survive, each word quoted, so FTS5 operators typed by a supervisor (or
    present in pasted ticket text) are plain words."""
    words = list(dict.fromkeys(_WORD.findall(text.casefold())))[:MAX_SEARCH_WORDS]
    if not words:
        return None
    terms = [f'"{word}"' for word in words]
    if len(words[-1]) >= PREFIX_MIN_CHARS:
        terms[-1] += "*"
    return " ".join(terms)


def conditions(flt: HistoryFilter) -> tuple[str, dict[str, Any]]:
    """The WHERE clause (over ``runs r``) and its parameters for ``flt``."""
    params: dict[str, Any] = {}
    values: dict[str, Any] = {
        "since": None if flt.since is None else iso_utc(flt.since),
        "until": None if flt.until is None else iso_utc(flt.until),
        "agent": flt.agent,
        "intent": flt.intent,
        "model": flt.model,
        "status": flt.status,
        "min_cost": flt.min_cost,
        "max_cost": flt.max_cost,
        "edit_level": flt.edit_level,
        "text": search_query(flt.text),
    }
    parts = []
    for name, value in values.items():
        if value is not None:
            parts.append(_FRAGMENTS[name])
            params[name] = value
    for name, (when_true, when_false) in _SWITCHES.items():
        wanted = getattr(flt, name)
        if wanted is not None:
            parts.append(when_true if wanted else when_false)
    return " AND ".join(parts) or "1", params


def page(conn: sqlite3.Connection, flt: HistoryFilter, offset: int, limit: int) -> list[HistoryRow]:
    where, params = conditions(flt)
    sql = _PAGE.format(where=where)
    found = conn.execute(sql, {**params, "limit": limit, "offset": offset}).fetchall()
    return [row_from(row) for row in found]


def count(conn: sqlite3.Connection, flt: HistoryFilter) -> int:
    where, params = conditions(flt)
    return int(conn.execute(f"SELECT count(*) FROM runs r WHERE {where}", params).fetchone()[0])


def one(conn: sqlite3.Connection, run_id: str) -> HistoryRow | None:
    sql = _PAGE.format(where="r.id = :id")
    found = conn.execute(sql, {"id": run_id, "limit": 1, "offset": 0}).fetchone()
    return None if found is None else row_from(found)


def row_from(row: sqlite3.Row) -> HistoryRow:
    flags = _json(row["flags_json"], [])
    return HistoryRow(
        run_id=row["id"],
        started_at=row["started_at"],
        agent_name=row["agent_name"],
        ticket_id=row["ticket_id"],
        subject=row["subject"],
        customer_name=row["customer_name"],
        intents=tuple(_json(row["intents_json"], [])),
        models=tuple(_json(row["models_json"], [])),
        latency_s=row["latency_s"],
        cost_usd=row["cost_usd"],
        cost_estimated=bool(row["cost_estimated"]),
        status=row["status"],
        flags=tuple(str(flag.get("rule")) for flag in flags if isinstance(flag, dict)),
        needs_approval=bool(row["needs_approval"]),
        edit_level=row["edit_level"],
        edit_ratio=row["edit_ratio"],
        marked_wrong=int(row["marked_wrong"]),
        rerun_of=row["rerun_of"],
        from_step=row["from_step"],
    )


def _json(text: str | None, default: Any) -> Any:
    return default if text is None else json.loads(text)
