"""Everything that can go wrong in the store, as exceptions that carry their user text.

No raw ``sqlite3`` (or ``OSError``) exception leaves ``app.store``: the boundary catches them and
raises one of these ``from`` the original, so a widget can show ``str(err)`` as is and a log still
has the cause. As in qutebrowser's ``misc/sql.py``, the tree separates the environment's fault
(disk full, read-only folder, another program holding the lock) from our own bugs::

    StoreError                   base; str(err) is a plain sentence for the agent
    ├── NotFound                 no ticket / run with that id
    ├── AlreadySent              the ticket's reply is already recorded as sent (sent exactly once)
    ├── InvalidTicket            a new ticket was refused; ``problems`` says why, per field
    ├── StorageUnavailable       the environment's fault: fixing the disk or retrying helps
    │   ├── DiskFull             SQLITE_FULL
    │   ├── ReadOnlyStorage      SQLITE_READONLY, SQLITE_PERM
    │   ├── DatabaseLocked       SQLITE_BUSY, SQLITE_LOCKED (still held after busy_timeout)
    │   └── DatabaseUnreadable   cannot open, corrupt, not a database, I/O error, newer schema
    └── StoreBug                 our fault: bad SQL, a broken constraint, use after close
"""

from __future__ import annotations

import logging
import sqlite3

log = logging.getLogger("stepwise.store")


class StoreError(Exception):
    """Base of every store failure. ``str(err)`` is fit to show to the agent."""


class NotFound(StoreError):
    """A record asked for by id does not exist."""


class AlreadySent(StoreError):
    """``mark_sent`` was called for a ticket whose reply is already recorded as sent."""


class InvalidTicket(StoreError):
    """``add_ticket`` refused the fields. ``problems`` maps each field name ("body", "subject",
    "customer_id", "order_ids", "channel") to a sentence; ``str(err)`` is the first of them."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(next(iter(problems.values()), "The ticket was refused."))
        self.problems = dict(problems)


class StorageUnavailable(StoreError):
    """The environment stops us from reading or writing; not a bug in Stepwise."""


class DiskFull(StorageUnavailable):
    pass


class ReadOnlyStorage(StorageUnavailable):
    pass


class DatabaseLocked(StorageUnavailable):
    pass


class DatabaseUnreadable(StorageUnavailable):
    pass


class StoreBug(StoreError):
    """A programming error in Stepwise's storage code (or data it was handed)."""


# Primary SQLite result codes (https://www.sqlite.org/rescode.html). Extended codes keep the
# primary code in their low byte, so ``code & 0xFF`` classifies SQLITE_IOERR_WRITE and friends.
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26

_ENVIRONMENT: dict[int, tuple[type[StorageUnavailable], str]] = {
    _SQLITE_FULL: (DiskFull, "the disk is full. Free some space, then try again"),
    _SQLITE_READONLY: (
        ReadOnlyStorage,
        "the database is read-only. Check that Stepwise may write to its data folder",
    ),
    _SQLITE_PERM: (
        ReadOnlyStorage,
        "access to the database was denied. Check the data folder's permissions",
    ),
    _SQLITE_BUSY: (
        DatabaseLocked,
        "the database is busy in another program (is Stepwise open twice?). Try again in a moment",
    ),
    _SQLITE_LOCKED: (DatabaseLocked, "the database is locked. Try again in a moment"),
    _SQLITE_CANTOPEN: (
        DatabaseUnreadable,
        "the database file cannot be opened. Check that the data folder exists and is writable",
    ),
    _SQLITE_IOERR: (
        DatabaseUnreadable,
        "the disk reported a read/write error. Check the drive, then try again",
    ),
    _SQLITE_CORRUPT: (
        DatabaseUnreadable,
        "the database file is damaged. Restore it from a backup or start a new data folder",
    ),
    _SQLITE_NOTADB: (
        DatabaseUnreadable,
        "the file is not a Stepwise database. Check the data folder setting",
    ),
}


def translate(err: sqlite3.Error, action: str) -> StoreError:
    """Turn a sqlite3 error raised while trying to ``action`` into a StoreError to raise ``from``
    it. ``action`` completes "Could not …", e.g. "save the draft for ticket T-1001"."""
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _ENVIRONMENT:
        cls, reason = _ENVIRONMENT[code & 0xFF]
        log.warning("could not %s: %s (%s)", action, err, getattr(err, "sqlite_errorname", "?"))
        return cls(f"Could not {action}: {reason}.")
    log.error("store bug while trying to %s: %r", action, err)
    return StoreBug(
        f"Could not {action} because of an internal error in Stepwise's storage ({err}). "
        "This is a bug; please report it."
    )


def translate_os_error(err: OSError, action: str) -> StoreError:
    """The same for file-system errors met before SQLite gets the file (creating the folder)."""
    log.warning("could not %s: %s", action, err)
    reason = err.strerror or str(err)
    return DatabaseUnreadable(
        f"Could not {action}: the data folder is not usable ({reason}). "
        "Check that it exists and that Stepwise may write to it."
    )
