"""SQL for pipeline runs and their steps: what the supervisor inspects afterwards.

A run is one ``runs`` row plus its ``run_steps`` rows in recorded order. Both travel as plain
dicts keyed by the column names (``RunFields`` and ``StepRecord`` list them), so the pipeline
hands over what it measured and the inspector reads back the same keys. Columns named ``*_json``
take and give Python objects (the store encodes them); flag columns come back as ``bool``.

``prepare_run`` checks and encodes everything before any SQL runs: an unknown key, a status typo
or a route holding an API key is a caller bug, raised as ValueError with the database untouched.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from . import facets
from .rows import insert_statement


class RunFields(TypedDict, total=False):
    """The run-row fields ``Store.record_run`` takes as keywords; each one is optional."""

    status: str  # "ok" | "failed" | "cancelled"; default "ok" or "failed" from ``ok``
    needs_approval: bool  # the reply needs a supervisor's approval (e.g. refund above the cap)
    flags_json: Sequence[Mapping[str, Any]]  # [{"rule", "message", "step", "policy_id"}]
    cost_usd: float  # default: sum over the steps that spent it (not kept, not cached)
    cost_estimated: bool
    input_tokens: int  # default: sum over the steps, like cost_usd
    output_tokens: int
    rerun_of: str | None  # id of the run this one re-ran
    from_step: str | None  # the step the re-run started from; needs rerun_of
    config_json: Mapping[str, Any]  # the routes used; never a key (refused)
    agent_name: str | None


class StepRecord(TypedDict, total=False):
    """One ``run_steps`` row as the pipeline hands it over; "step" and "status" are required."""

    step: str
    model: str | None
    input_tokens: int | None
    output_tokens: int | None
    tokens_estimated: bool
    duration_s: float | None
    ttft_s: float | None
    status: str  # one of STEP_STATUSES
    output_text: str | None
    error: str | None
    messages_json: list[Any] | None  # the exact messages sent
    raw_output: str | None
    parsed_json: Any  # the parsed answer, or None for a text step
    reasoning_text: str | None
    cost_usd: float | None
    retries: int
    cache_hit: bool
    route_json: Mapping[str, Any] | None  # provider, adapter, model, temperature, max_tokens…
    fallback_used: bool
    started_at: str | None  # ISO datetime
    skipped_reason: str | None
    prompt_tokens: int | None  # counted before sending
    pruned_messages: int
    repaired: bool
    kept_from: str | None  # the run a kept step's output came from; required when "kept"


RUN_FIELDS = tuple(RunFields.__annotations__)
STEP_COLUMNS = tuple(StepRecord.__annotations__)
RUN_COLUMNS = ("id", "ticket_id", "started_at", "finished_at", "ok", "draft", *RUN_FIELDS)

RUN_STATUSES = ("ok", "failed", "cancelled")
STEP_STATUSES = ("done", "failed", "skipped", "cached", "kept", "cancelled")
FLAG_KEYS = ("rule", "message", "step", "policy_id")

_RUN_FLAGS = ("needs_approval", "cost_estimated")
_RUN_JSON = ("flags_json", "config_json")
_STEP_FLAGS = ("tokens_estimated", "cache_hit", "fallback_used", "repaired")
_STEP_JSON = ("messages_json", "parsed_json", "route_json")
_STEP_DEFAULTS: dict[str, Any] = dict.fromkeys(_STEP_FLAGS, False) | {
    "retries": 0,
    "pruned_messages": 0,
}
_REQUIRED_STEP_KEYS = ("step", "status")
# A kept step's tokens and cost were spent by the run it came from; a cache hit spent none.
_SPENT_NOTHING = ("kept", "cached")
# Names a credential goes by in provider settings and HTTP headers (compared case-folded, "-" as
# "_"). The key lives in the OS keyring only (DESIGN.md, "Rules that hold everywhere").
_SECRET_NAMES = frozenset(
    {"api_key", "apikey", "key", "authorization", "x_api_key", "x_goog_api_key", "secret"}
    | {"client_secret", "password", "token", "access_token", "refresh_token", "bearer"}
)

_INSERT_RUN = insert_statement("runs", " ".join((*RUN_COLUMNS, *facets.DERIVED_COLUMNS)))
# run_started_at: the run's start on each of its steps (schema 5), so the dashboard reads a
# period's steps from one index, without a join (``period``).
_INSERT_STEP = insert_statement(
    "run_steps", " ".join(("run_id", "seq", *STEP_COLUMNS, "run_started_at"))
)


def prepare_run(
    run: Mapping[str, Any], fields: Mapping[str, Any], steps: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The INSERT parameters of a run (its six base columns in ``run``, the rest in ``fields``)
    and of its steps; raises ValueError naming the first problem."""
    step_rows = [
        {**_step_row(run["id"], seq, step), "run_started_at": run["started_at"]}
        for seq, step in enumerate(steps)
    ]
    derived = facets.derived(run["started_at"], run["finished_at"], steps)
    return {**_run_row(run, fields, steps), **derived}, step_rows


def insert_run(
    conn: sqlite3.Connection, run_row: Mapping[str, Any], step_rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert what ``prepare_run`` made; the caller owns the transaction. Triggers index the
    run's text for the history search (schema 5)."""
    conn.execute(_INSERT_RUN, run_row)
    conn.executemany(_INSERT_STEP, step_rows)
    facets.insert_intents(conn, run_row["id"], run_row["intents_json"])


def _run_row(
    run: Mapping[str, Any], fields: Mapping[str, Any], steps: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    where = f"run {run['id']}"
    unknown = set(fields) - set(RUN_FIELDS)
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    ok = bool(run["ok"])
    values = {**_run_defaults(ok, steps), **_given(fields)}
    _check_run(where, ok, values)
    values["flags_json"] = [
        {key: flag.get(key) for key in FLAG_KEYS} for flag in values["flags_json"]
    ]
    return {**run, "ok": int(ok), **_encoded(where, values, _RUN_FLAGS, _RUN_JSON)}


def _run_defaults(ok: bool, steps: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    spent = [step for step in steps if step.get("status") not in _SPENT_NOTHING]
    return {
        "status": "ok" if ok else "failed",
        "needs_approval": False,
        "flags_json": [],
        "cost_usd": float(_total(spent, "cost_usd")),
        "cost_estimated": False,
        "input_tokens": _total(spent, "input_tokens"),
        "output_tokens": _total(spent, "output_tokens"),
        "rerun_of": None,
        "from_step": None,
        "config_json": {},
        "agent_name": None,
    }


def _check_run(where: str, ok: bool, values: Mapping[str, Any]) -> None:
    status = values["status"]
    if status not in RUN_STATUSES:
        raise ValueError(f"{where}: status {status!r} is not one of {RUN_STATUSES}")
    if (status == "ok") != ok:
        raise ValueError(f"{where}: status {status!r} contradicts ok={ok}")
    if values["from_step"] is not None and values["rerun_of"] is None:
        raise ValueError(f"{where}: from_step is set but rerun_of is not")
    for name, kind in (("cost_usd", float), ("input_tokens", int), ("output_tokens", int)):
        if not _is_count(values[name], kind):
            raise ValueError(f"{where}: {name} must be a finite {kind.__name__} >= 0")
    _check_flags(where, values["flags_json"])
    _check_route(where, "config_json", values["config_json"])


def _is_count(value: object, kind: type[int] | type[float]) -> bool:
    # bool is an int to Python, but True tokens is a caller bug; NaN would be stored as NULL.
    numeric = (int, float) if kind is float else (int,)
    if isinstance(value, bool) or not isinstance(value, numeric):
        return False
    return math.isfinite(value) and value >= 0


def _check_flags(where: str, flags: object) -> None:
    if not isinstance(flags, Sequence) or isinstance(flags, str):
        raise ValueError(f"{where}: flags_json must be a list of flags")
    for index, flag in enumerate(flags):
        if not isinstance(flag, Mapping):
            raise ValueError(f"{where}: flag {index} must be a mapping")
        unknown = set(flag) - set(FLAG_KEYS)
        missing = [key for key in ("rule", "message") if not flag.get(key)]
        if unknown or missing:
            raise ValueError(
                f"{where}: flag {index}: unknown keys {sorted(unknown)}, missing keys {missing}"
            )


def _step_row(run_id: str, seq: int, step: Mapping[str, Any]) -> dict[str, Any]:
    where = f"run step {seq}"
    # "run_id" is tolerated (and overridden) because older callers passed it along.
    unknown = set(step) - set(STEP_COLUMNS) - {"run_id"}
    missing = [key for key in _REQUIRED_STEP_KEYS if step.get(key) is None]
    if unknown or missing:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}, missing keys {missing}")
    values = dict.fromkeys(STEP_COLUMNS) | _STEP_DEFAULTS | _given(step)
    values.pop("run_id", None)
    _check_step(where, values)
    return {**_encoded(where, values, _STEP_FLAGS, _STEP_JSON), "run_id": run_id, "seq": seq}


def _check_step(where: str, values: Mapping[str, Any]) -> None:
    status = values["status"]
    if status not in STEP_STATUSES:
        raise ValueError(f"{where}: status {status!r} is not one of {STEP_STATUSES}")
    if status == "kept" and not values["kept_from"]:
        raise ValueError(f"{where}: a kept step needs kept_from (the run its output came from)")
    if values["route_json"] is not None:
        _check_route(where, "route_json", values["route_json"])


def _check_route(where: str, name: str, value: object) -> None:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: {name} must be a mapping")
    found = _secret_path(value)
    if found is not None:
        raise ValueError(
            f"{where}: {name} holds a credential at {found!r}; keys stay in the OS keyring"
        )


def secret_path(value: object) -> str | None:
    """Where ``value`` (nested mappings and lists) holds a credential, or None; exports check
    their records with it once more (``app.supervisor.export``)."""
    return _secret_path(value)


def _secret_path(value: object, path: str = "") -> str | None:
    """The path of the first non-empty value stored under a credential's name, or None."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if item and str(key).casefold().replace("-", "_") in _SECRET_NAMES:
                return here
            found = _secret_path(item, here)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _secret_path(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def _given(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values actually given: None means "not given", so the default applies."""
    return {key: value for key, value in values.items() if value is not None}


def _total(steps: Iterable[Mapping[str, Any]], name: str) -> Any:
    return sum(step.get(name) or 0 for step in steps)


def _encoded(
    where: str, values: Mapping[str, Any], flags: Iterable[str], json_columns: Iterable[str]
) -> dict[str, Any]:
    row = dict(values)
    for name in flags:
        row[name] = int(bool(row[name]))
    for name in json_columns:
        if row[name] is not None:
            row[name] = _dumps(where, name, row[name])
    return row


def _dumps(where: str, name: str, value: object) -> str:
    # allow_nan=False: NaN is not JSON, and SQLite's JSON functions would reject the column.
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{where}: {name} is not JSON-serialisable ({err})") from err


def load_run(conn: sqlite3.Connection, run_id: str) -> dict[str, Any] | None:
    """The run as a dict of its columns, decoded, with ``steps`` in recorded order."""
    row = conn.execute(
        f"SELECT {', '.join(RUN_COLUMNS)} FROM runs WHERE id = ?", (run_id,)
    ).fetchone()
    if row is None:
        return None
    steps = conn.execute(
        f"SELECT {', '.join(STEP_COLUMNS)} FROM run_steps WHERE run_id = ? ORDER BY seq",
        (run_id,),
    ).fetchall()
    run = decoded_run(row)
    run["steps"] = [decoded_step(step) for step in steps]
    return run


def decoded_run(row: sqlite3.Row) -> dict[str, Any]:
    """A row of RUN_COLUMNS (and any others) as ``load_run`` gives it, without the steps."""
    return _decoded(row, ("ok", *_RUN_FLAGS), _RUN_JSON)


def decoded_step(row: sqlite3.Row) -> dict[str, Any]:
    return _decoded(row, _STEP_FLAGS, _STEP_JSON)


def _decoded(row: sqlite3.Row, flags: Iterable[str], json_columns: Iterable[str]) -> dict[str, Any]:
    record = dict(row)
    for name in flags:
        record[name] = bool(record[name])
    for name in json_columns:
        if record[name] is not None:
            record[name] = json.loads(record[name])
    return record


def run_ids_for_ticket(conn: sqlite3.Connection, ticket_id: str) -> list[str]:
    """Run ids of a ticket, newest first."""
    rows = conn.execute(
        "SELECT id FROM runs WHERE ticket_id = ? ORDER BY started_at DESC, id DESC", (ticket_id,)
    ).fetchall()
    return [row["id"] for row in rows]


@dataclass(frozen=True)
class RunTotals:
    """What a span of runs spent, re-runs included: every model call is paid for."""

    runs: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    cost_estimated: bool = False  # some runs' tokens or prices were estimated or unknown


def totals_since(conn: sqlite3.Connection, since: str) -> RunTotals:
    """Totals of the runs started at or after ``since`` (an ISO time in UTC, as stored)."""
    row = conn.execute(
        "SELECT count(*), total(input_tokens), total(output_tokens), total(cost_usd),"
        " max(cost_estimated) FROM runs WHERE started_at >= ?",
        (since,),
    ).fetchone()
    return RunTotals(int(row[0]), int(row[1]), int(row[2]), float(row[3]), bool(row[4]))
