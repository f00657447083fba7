"""One Stepwise per workspace: an OS file lock on ``<workspace>/stepwise.lock``.

Two windows on one database would each autosave their own copy of a draft over the other's, so
the app (``ui.app``) and ``stepwise draft`` (which records runs) take this lock before opening the
store; a second one is refused with ``WorkspaceInUse``, which names the process holding it. The
demo workspace is its own folder, so it has its own lock.

The lock is the kernel's (``flock`` on POSIX, ``msvcrt.locking`` on Windows), not a file's mere
existence: it belongs to the open file, so it is released whenever the holder's process ends,
however it ends (a crash, SIGKILL, a power cut). There is no stale lock to detect or break, unlike
a PID file; the file's content (pid, host, start time) is only there to tell the user who holds
it. Qt's ``QLockFile`` would need that guesswork and is not available to the Qt-free commands.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from app.store.errors import StorageUnavailable

log = logging.getLogger("stepwise.workspace")

LOCK_NAME = "stepwise.lock"
# Windows locks are mandatory: a locked byte cannot be read by anyone else. The holder's details
# sit at the start of the file and the lock is taken on one byte far past them.
_WINDOWS_LOCK_OFFSET = 1 << 20


class WorkspaceInUse(StorageUnavailable):
    """Another Stepwise (this machine's process ``pid``) has this workspace open.

    ``pid`` and ``host`` are None when the holder's details could not be read."""

    def __init__(self, path: Path, pid: int | None, host: str | None) -> None:
        who = f"process {pid}" if pid else "another process"
        if pid and host and host != socket.gethostname():
            who += f" on {host}"
        super().__init__(
            f"Stepwise is already open on the workspace at {path} ({who}). Switch to that "
            "window, or close it and try again."
        )
        self.path = path
        self.pid = pid
        self.host = host


class InstanceLock:
    """The workspace lock; ``acquire()`` it, ``release()`` it (or use ``with``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise ``WorkspaceInUse``; raises ``OSError`` when the folder cannot
        hold a lock file (read-only, missing, not a folder): the caller words that."""
        if self._fd is not None:
            return
        # Not inherited by child processes (Python's default), so a helper the app starts can
        # never keep the workspace locked after the app is gone.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        try:
            if not _try_lock(fd):
                pid, host = _read_holder(fd)
                raise WorkspaceInUse(self.directory, pid, host)
            _write_holder(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        log.info("workspace %s locked by process %d", self.directory, os.getpid())

    def release(self) -> None:
        """Let the next Stepwise in; safe to call twice. The file stays: deleting it would race
        with a second process that has just opened it."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # no details of a holder that is gone
        _unlock(fd)
        os.close(fd)

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _write_holder(fd: int) -> None:
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    data = json.dumps(holder).encode()
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)


def _read_holder(fd: int) -> tuple[int | None, str | None]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        holder = json.loads(os.read(fd, 4096) or b"{}")
    except (OSError, ValueError):  # still being written, or an older format
        return None, None
    if not isinstance(holder, dict):
        return None, None
    pid, host = holder.get("pid"), holder.get("host")
    return (pid if isinstance(pid, int) else None), (host if isinstance(host, str) else None)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        # flock, not fcntl/lockf: a POSIX record lock is per process and dropped when *any* of
        # its descriptors for the file closes; flock belongs to this open file, so a second
        # lock in the same process is refused too.
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as err:
            if err.errno not in (errno.ENOLCK, errno.EOPNOTSUPP):
                raise
            # A file system without locks (some network shares): run unguarded rather than
            # not at all; SQLite's own locking still keeps the database consistent.
            log.warning("no single-instance lock on this file system: %s", err.strerror)
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
