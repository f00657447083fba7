"""Runs to CSV and JSONL, and annotated steps to a JSONL evaluation dataset (issue 6, part 5).

Every export streams: records come from the store a batch at a time (``Store.export_runs``) and go
straight to the file, so a 100,000-run history never sits in memory. The file is written next to
its destination as ``<name>.part`` and renamed over it at the end, so a failed export (disk full)
leaves no half file under the name asked for.

Never a credential: the store refuses a route holding a key when a run is recorded, and each
exported record's routes are checked again here; a hit stops the export (``ExportFailed``) and
removes the partial file. With ``redact_pii`` customer PII is replaced (``redact`` says exactly
what). CSV cells of text that a spreadsheet would run as a formula (starting with = + - @, a tab
or a carriage return) are written with a leading apostrophe, as OWASP advises for CSV exports:
ticket text comes from customers.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from app.config import STEP_NAMES
from app.store import AnnotationFilter, HistoryFilter, Store
from app.store.models import Customer
from app.store.runs import secret_path

from .redact import Redactor, redact_customer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STEP_FIELDS = ("model", "status", "duration_s", "cost_usd")
RUN_CSV_COLUMNS = [
    "run_id",
    "started_at",
    "finished_at",
    "status",
    "agent_name",
    "ticket_id",
    "subject",
    "body",
    "customer_id",
    "customer_name",
    "customer_email",
    "intents",
    "models",
    "latency_s",
    "cost_usd",
    "cost_estimated",
    "input_tokens",
    "output_tokens",
    "needs_approval",
    "flags",
    "edit_level",
    "edit_distance",
    "edit_ratio",
    "draft",
    "sent_text",
    "sent_at",
    "rerun_of",
    "from_step",
] + [f"{step}_{field}" for step in STEP_NAMES for field in STEP_FIELDS]


class ExportFailed(Exception):
    """The export could not be written; ``str(err)`` says why, in plain words."""


def runs_to_jsonl(
    store: Store, path: Path, flt: HistoryFilter | None = None, *, redact_pii: bool = False
) -> int:
    """Write one JSON object per run (``Store.export_runs``' records); returns the count."""
    with _writing(path) as out:
        count = 0
        for record in _checked(store.export_runs(flt)):
            out.write(_json_line(_redacted(record) if redact_pii else record))
            count += 1
    return count


def runs_to_csv(
    store: Store, path: Path, flt: HistoryFilter | None = None, *, redact_pii: bool = False
) -> int:
    """Write one CSV row per run (``RUN_CSV_COLUMNS``, UTF-8, a header first); returns the
    count. Lists (intents, models, flags) are joined with "; "."""
    with _writing(path) as out:
        writer = csv.writer(out)
        writer.writerow(RUN_CSV_COLUMNS)
        count = 0
        for record in _checked(store.export_runs(flt)):
            row = csv_row(_redacted(record) if redact_pii else record)
            writer.writerow([csv_cell(row[name]) for name in RUN_CSV_COLUMNS])
            count += 1
    return count


def annotations_to_jsonl(
    store: Store, path: Path, flt: AnnotationFilter | None = None, *, redact_pii: bool = False
) -> int:
    """The evaluation dataset: one JSON object per annotated step (by default those marked
    wrong) with the ticket's subject and body, the step's input messages, raw and parsed output,
    model, route, verdict, label and note (``Store.annotation_dataset``); returns the count."""
    with _writing(path) as out:
        count = 0
        for record in store.annotation_dataset(flt):
            where = f"annotated step {record['step']} of run {record['run_id']}"
            _refuse_secret(where, record["route"])
            if redact_pii:
                customer = _customer(store, record["customer_id"])
                names = [customer.name] if customer else []
                record = Redactor(names, keep=[record["author"]]).value(record)
            out.write(_json_line(record))
            count += 1
    return count


def csv_row(record: dict[str, Any]) -> dict[str, Any]:
    """The CSV columns of an exported run record."""
    ticket, customer = record["ticket"], record["customer"] or {}
    row = {name: record.get(name) for name in RUN_CSV_COLUMNS}
    row.update(
        run_id=record["id"],
        subject=ticket["subject"],
        body=ticket["body"],
        customer_id=ticket["customer_id"],
        customer_name=customer.get("name"),
        customer_email=customer.get("email"),
        intents="; ".join(record["intents"] or ()),
        models="; ".join(record["models"]),
        flags="; ".join(str(flag.get("rule")) for flag in record["flags_json"]),
        sent_text=ticket["sent_text"],
        sent_at=ticket["sent_at"],
    )
    for step in record["steps"]:  # a step recorded twice: its later record
        if step["step"] in STEP_NAMES:
            row.update({f"{step['step']}_{name}": step[name] for name in STEP_FIELDS})
    return row


def csv_cell(value: Any) -> Any:
    """A value as written to CSV: None as an empty cell, booleans as 0/1, formula-like text
    behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _redacted(record: dict[str, Any]) -> dict[str, Any]:
    customer = record["customer"]
    names = [customer["name"]] if customer and customer.get("name") else []
    redactor = Redactor(names, keep=[record.get("agent_name") or ""])
    redacted: dict[str, Any] = redactor.value(record)
    redacted["customer"] = redact_customer(redacted["customer"])
    return redacted


def _checked(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for record in records:
        _refuse_secret(f"run {record['id']}", {"config": record.get("config_json")})
        for step in record.get("steps", ()):
            _refuse_secret(f"step {step['step']} of run {record['id']}", step.get("route_json"))
        yield record


def _customer(store: Store, customer_id: str | None) -> Customer | None:
    return store.customer(customer_id) if customer_id else None


def _refuse_secret(where: str, value: Any) -> None:
    found = secret_path(value)
    if found is not None:
        raise ExportFailed(
            f"Nothing was exported: {where} holds a credential at {found!r}. Keys belong in the "
            "OS keyring only; please report this as a bug."
        )


def _json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n"


@contextmanager
def _writing(path: Path) -> Iterator[IO[str]]:
    """A text file at ``path.part``, renamed to ``path`` when the block ends without error and
    removed when it fails."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(partial, path)
    except OSError as err:
        partial.unlink(missing_ok=True)
        reason = err.strerror or str(err)
        raise ExportFailed(f"Could not write the export to {path}: {reason}.") from err
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
