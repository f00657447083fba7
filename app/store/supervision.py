"""The store's side of the supervisor view (issue 6): history, annotations, period figures, exports.

``Store`` inherits these methods; they live here to keep ``store`` about the agent's desk. Like
every store method they raise only ``StoreError`` (ValueError for a caller bug), and read with
SQL alone: no method loads the runs table into Python.

Costs at 100,000 runs (tests/benchmarks/README.md, "Supervisor history at scale"): a page and its
count 10-100 ms, ``period_figures`` for 30 days ~0.4 s, an export minutes. A view that must not
block its event loop that long runs them on a worker thread with a Store of its own
(``Store.open(path, read_only=True)``): a connection belongs to the thread that opened it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from . import history, period, run_export, verdicts
from .db import guarded, write_transaction
from .errors import NotFound
from .history import HistoryFilter, HistoryRow, iso_utc
from .verdicts import VERDICTS, AnnotatedStep, Annotation, AnnotationFilter

EXPORT_BATCH = 500


class SupervisorQueries:
    _conn: sqlite3.Connection

    def _now(self) -> str:  # the Store's clock
        raise NotImplementedError

    # -- history -------------------------------------------------------------------------------

    def history_page(
        self, flt: HistoryFilter | None = None, offset: int = 0, limit: int = 100
    ) -> list[HistoryRow]:
        """Rows ``offset`` … ``offset + limit - 1`` of the runs ``flt`` lets through, newest
        first (ties by run id, so pages never overlap or skip a row)."""
        if offset < 0 or limit < 0:
            raise ValueError(f"offset {offset} and limit {limit} must be >= 0")
        with guarded("read the history of runs"):
            return history.page(self._conn, flt or HistoryFilter(), offset, limit)

    def history_count(self, flt: HistoryFilter | None = None) -> int:
        """How many runs ``flt`` lets through."""
        with guarded("count the runs in the history"):
            return history.count(self._conn, flt or HistoryFilter())

    def history_row(self, run_id: str) -> HistoryRow:
        """The history row of one run (the inspector's header); raises NotFound."""
        with guarded(f"read run {run_id}"):
            found = history.one(self._conn, run_id)
        if found is None:
            raise _run_not_found(run_id)
        return found

    # -- annotations ---------------------------------------------------------------------------

    def annotate(
        self,
        run_id: str,
        step: str,
        verdict: str,
        *,
        label: str = "",
        note: str = "",
        author: str = "",
    ) -> Annotation:
        """Mark a step of a run right or wrong. The same author annotating the same step again
        replaces their verdict, label and note. Raises NotFound for an unknown run or a step the
        run does not have; ValueError for a verdict other than "right"/"wrong"."""
        _check_verdict(verdict)
        values = {
            "run_id": run_id,
            "step": step,
            "verdict": verdict,
            "label": label.strip(),
            "note": note.strip(),
            "author": author.strip(),
            "now": self._now(),
        }
        with write_transaction(self._conn, f"save the verdict on step {step} of run {run_id}"):
            if not verdicts.step_exists(self._conn, run_id, step):
                raise NotFound(
                    f"Run {run_id} has no step {step!r} to annotate. Refresh the history."
                )
            annotation_id = verdicts.upsert(self._conn, values)
        return self.annotation(annotation_id)

    def update_annotation(
        self,
        annotation_id: int,
        *,
        verdict: str | None = None,
        label: str | None = None,
        note: str | None = None,
    ) -> Annotation:
        """Change what is given (None: keep it); raises NotFound."""
        changes: dict[str, Any] = {"updated_at": self._now()}
        if verdict is not None:
            _check_verdict(verdict)
            changes["verdict"] = verdict
        if label is not None:
            changes["label"] = label.strip()
        if note is not None:
            changes["note"] = note.strip()
        with write_transaction(self._conn, f"update annotation {annotation_id}"):
            if not verdicts.update(self._conn, annotation_id, changes):
                raise _annotation_not_found(annotation_id)
        return self.annotation(annotation_id)

    def delete_annotation(self, annotation_id: int) -> None:
        """Remove an annotation; raises NotFound when there is none with that id."""
        with write_transaction(self._conn, f"delete annotation {annotation_id}"):
            if not verdicts.delete(self._conn, annotation_id):
                raise _annotation_not_found(annotation_id)

    def annotation(self, annotation_id: int) -> Annotation:
        with guarded(f"read annotation {annotation_id}"):
            found = verdicts.get(self._conn, annotation_id)
        if found is None:
            raise _annotation_not_found(annotation_id)
        return found

    def annotations(self, run_id: str) -> list[Annotation]:
        """The run's annotations, by step then author."""
        with guarded(f"read the annotations of run {run_id}"):
            return verdicts.of_run(self._conn, run_id)

    def annotated_steps(self, flt: AnnotationFilter | None = None) -> list[AnnotatedStep]:
        """Annotated steps, newest run first; by default every step marked wrong."""
        with guarded("read the annotated steps"):
            return verdicts.listed(self._conn, flt or AnnotationFilter())

    def annotation_dataset(self, flt: AnnotationFilter | None = None) -> Iterator[dict[str, Any]]:
        """The annotated steps with what an evaluation needs, one dict at a time: the annotation's
        fields, ticket_id, subject, body, model, status, messages (the exact messages sent),
        raw_output, parsed (the parsed answer), reasoning_text and route. Finish the iteration
        before writing to the store."""
        with guarded("read the annotated steps"):
            for row in verdicts.dataset_rows(self._conn, flt or AnnotationFilter()):
                yield verdicts.dataset_record(row)

    # -- figures and exports ---------------------------------------------------------------

    def period_figures(self, since: datetime, until: datetime) -> period.PeriodFigures:
        """SQL aggregates of the runs started in [since, until) (``app.supervisor.figures``
        builds the dashboard from them). A time without a zone is UTC."""
        with guarded("compute the figures of the period"):
            return period.figures(self._conn, iso_utc(since), iso_utc(until))

    def export_runs(
        self, flt: HistoryFilter | None = None, batch: int = EXPORT_BATCH
    ) -> Iterator[dict[str, Any]]:
        """Every run ``flt`` lets through, whole (see ``run_export``), newest first, read a batch
        at a time."""
        with guarded("read the runs to export"):
            for records in run_export.run_batches(self._conn, flt or HistoryFilter(), batch):
                yield from records


def _check_verdict(verdict: str) -> None:
    if verdict not in VERDICTS:
        raise ValueError(f"verdict {verdict!r} is not one of {VERDICTS}")


def _run_not_found(run_id: str) -> NotFound:
    return NotFound(f"Run {run_id} was not found in the history.")


def _annotation_not_found(annotation_id: int) -> NotFound:
    return NotFound(
        f"Annotation {annotation_id} was not found; it may have been deleted. Refresh the run."
    )
