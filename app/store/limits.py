"""SQL for policy limits: the numbers written in the policy articles, kept as data.

The reasoning step cites these ("cites the retrieved facts and policy limits", DESIGN.md, "The
pipeline") rather than having a model read "$200" out of prose. A limit may differ per VIP tier;
the row without a tier applies to everyone who has no row of their own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from .models import PolicyLimit
from .rows import policy_limit_from_row, policy_limit_params

# Untiered first, then the tiers from lowest to highest, so a listing reads like the policy.
_TIER_ORDER = "CASE tier WHEN 'silver' THEN 1 WHEN 'gold' THEN 2 WHEN 'platinum' THEN 3 ELSE 0 END"

# ``tier IS :tier`` also matches two NULLs, which ``=`` never does.
_INSERT_IF_MISSING = (
    "INSERT INTO policy_limits (key, tier, value, unit, policy_id, note)"
    " SELECT :key, :tier, :value, :unit, :policy_id, :note"
    " WHERE NOT EXISTS (SELECT 1 FROM policy_limits WHERE key = :key AND tier IS :tier)"
)


def all_limits(conn: sqlite3.Connection) -> list[PolicyLimit]:
    rows = conn.execute(f"SELECT * FROM policy_limits ORDER BY key, {_TIER_ORDER}").fetchall()
    return [policy_limit_from_row(row) for row in rows]


def find_limit(conn: sqlite3.Connection, key: str, tier: str | None) -> PolicyLimit | None:
    """The tier's own row when there is one, else the untiered row, else None."""
    # With tier None, ``tier = ?`` is never true, so only the untiered row can match.
    row = conn.execute(
        "SELECT * FROM policy_limits WHERE key = ? AND (tier = ? OR tier IS NULL)"
        " ORDER BY tier IS NULL LIMIT 1",
        (key, tier),
    ).fetchone()
    return None if row is None else policy_limit_from_row(row)


def insert_missing(conn: sqlite3.Connection, limits: Iterable[PolicyLimit]) -> int:
    """Insert the limits whose (key, tier) has no row yet; returns how many were inserted. The
    caller owns the transaction."""
    added = 0
    for limit in limits:
        added += conn.execute(_INSERT_IF_MISSING, policy_limit_params(limit)).rowcount
    return added
