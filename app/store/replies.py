"""The sent reply against the draft it came from: which run's draft, and how much was changed.

The draft compared is the one the agent had in the editor when sending. The store does not know
which draft was loaded, so it takes the ticket's newest run that finished ok with a non-empty
draft, started before the reply was sent: the draft the editor shows last (a re-run replaces the
editor's draft when it finishes). Only that run gets an edit level; other runs of the ticket keep
NULL (their drafts were not what was sent). A reply sent without any such run (typed by hand)
has no edit level at all.
"""

from __future__ import annotations

import sqlite3

from .edits import EditMeasure, measure

_COMPARED_RUN = (
    "SELECT id, draft FROM runs WHERE ticket_id = :ticket AND status = 'ok'"
    " AND draft IS NOT NULL AND draft <> '' AND (:sent_at IS NULL OR started_at <= :sent_at)"
    " ORDER BY started_at DESC, id DESC LIMIT 1"
)
_SET_EDIT = (
    "UPDATE runs SET edit_level = :level, edit_distance = :distance, edit_ratio = :ratio"
    " WHERE id = :id"
)


def record_edit(
    conn: sqlite3.Connection, ticket_id: str, sent_text: str, sent_at: str | None = None
) -> EditMeasure | None:
    """Measure ``sent_text`` against the compared run's draft and store it on that run; None
    when no run qualifies. ``sent_at`` bounds the runs considered (None: every run so far, as at
    the moment of sending). The caller owns the transaction."""
    row = conn.execute(_COMPARED_RUN, {"ticket": ticket_id, "sent_at": sent_at}).fetchone()
    if row is None:
        return None
    found = measure(row[1], sent_text)
    conn.execute(
        _SET_EDIT,
        {"level": found.level, "distance": found.distance, "ratio": found.ratio, "id": row[0]},
    )
    return found


def backfill(conn: sqlite3.Connection) -> None:
    """Edit levels for the replies sent before schema 5."""
    sent = conn.execute(
        "SELECT id, sent_text, sent_at FROM tickets WHERE sent_at IS NOT NULL"
        " AND sent_text IS NOT NULL"
    ).fetchall()
    for ticket_id, text, sent_at in sent:
        record_edit(conn, ticket_id, text, sent_at)
