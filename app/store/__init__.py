"""The store: SQLite-backed tickets, customers, orders, policies, drafts and runs (Qt-free).

``Store.open(path)`` gives a ready store; ``seed_demo(store)`` fills an empty one with the demo
shop. Every failure is a ``StoreError`` (the tree is drawn in ``app.store.errors``).
"""

from .errors import (
    AlreadySent,
    DatabaseLocked,
    DatabaseUnreadable,
    DiskFull,
    InvalidTicket,
    NotFound,
    ReadOnlyStorage,
    StorageUnavailable,
    StoreBug,
    StoreError,
)
from .history import HistoryFilter, HistoryRow
from .runs import RunFields, RunTotals, StepRecord
from .seed import seed_demo
from .store import Store
from .verdicts import AnnotatedStep, Annotation, AnnotationFilter

__all__ = [
    "AlreadySent",
    "AnnotatedStep",
    "Annotation",
    "AnnotationFilter",
    "DatabaseLocked",
    "DatabaseUnreadable",
    "DiskFull",
    "HistoryFilter",
    "HistoryRow",
    "InvalidTicket",
    "NotFound",
    "ReadOnlyStorage",
    "RunFields",
    "RunTotals",
    "StepRecord",
    "StorageUnavailable",
    "Store",
    "StoreBug",
    "StoreError",
    "seed_demo",
]
