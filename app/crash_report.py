"""Crash reports: a text file per uncaught error, for the admin, with every secret scrubbed.

The crash hook (``ui.loop``) shows the agent a dialog and calls ``CrashReports.write``, which
puts ``crash-<UTC time>-<pid>.txt`` in ``<data dir>/crash-reports/`` (the system's temp folder
when the data folder cannot be written). A report holds the time, Stepwise's version, the
platform, the Python and Qt versions, the traceback and the last log lines.

What a report never holds (DESIGN.md, "Rules that hold everywhere"): API keys. ``scrub`` removes
the exact keys the app knows (``add_secrets``: the configured providers' keys, as far as they can
be read without a keyring prompt, or the simulator's) and anything shaped like a credential:
``Authorization``/``x-api-key`` values, ``Bearer`` tokens, ``sk-…``/``sk-ant-…`` and Google
``AIza…`` keys, ``api_key=`` and ``?key=`` values (``app.logs.redact``). Local variables are not
captured at all: they hold customer messages and addresses as often as keys, and the traceback's
file, line and code are what a fix needs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import re
import sys
import tempfile
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from app import __version__
from app.logs import redact
from app.paths import data_root

log = logging.getLogger("stepwise.crash")

REPORTS_DIR = "crash-reports"
KEEP_REPORTS = 50  # older reports are deleted: a crash loop must not fill the disk
LOG_LINES = 40
MIN_SECRET_LEN = 4  # a shorter "key" would scrub half the report and protect nothing

SecretSource = Callable[[], Iterable[str | None]]

_BEARER = re.compile(r"(?i)\b(bearer\s+)([A-Za-z0-9._~+/=-]{8,})")
_GOOGLE_KEY = re.compile(r"\bAIza[0-9A-Za-z_-]{20,}")
_NAMED = re.compile(r"(?i)((?:secret|token|password|passwd)['\"]?\s*[:=]\s*['\"]?)([^\s'\",}]{4,})")
REDACTED = "[redacted]"


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without the given secrets or anything shaped like a credential."""
    for secret in sorted({s for s in secrets if len(s) >= MIN_SECRET_LEN}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)  # longest first: a key containing another one
    text = redact(text)
    text = _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
    text = _GOOGLE_KEY.sub(REDACTED, text)
    return _NAMED.sub(lambda m: m.group(1) + REDACTED, text)


def default_directory() -> Path:
    return data_root() / REPORTS_DIR


class LogTail(logging.Handler):
    """The last ``capacity`` log lines, kept in memory for the next report (cheap: a deque)."""

    def __init__(self, capacity: int = LOG_LINES) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.lines: deque[str] = deque(maxlen=capacity)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a bad record must not break logging (as logging's own handlers)
            self.handleError(record)


class CrashReports:
    """Where reports go and what they must leave out; ``write`` makes one."""

    def __init__(
        self,
        directory: Path | None = None,
        *,
        versions: Mapping[str, str] | None = None,
        tail: LogTail | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.directory = directory if directory is not None else default_directory()
        self.versions = dict(versions or {})  # e.g. the UI's {"Qt": …, "PySide6": …}
        self.tail = tail
        self._sources: list[SecretSource] = []
        self._clock = clock

    def add_secrets(self, source: SecretSource) -> None:
        """Known secrets to scrub, read when a report is written (so never kept here)."""
        self._sources.append(source)

    def secrets(self) -> list[str]:
        found: list[str] = []
        for source in self._sources:
            try:
                found += [secret for secret in source() if secret]
            except Exception:  # a keyring that fails now: the patterns still apply
                log.warning("could not read the keys to scrub from a crash report")
        return found

    def render(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        now: datetime | None = None,
    ) -> str:
        """The report's text, scrubbed."""
        now = now or self._clock()
        lines = [
            "Stepwise crash report",
            f"time: {now.isoformat(timespec='seconds')}",
            f"version: stepwise {__version__}",
            f"platform: {platform.platform()}",
            f"python: {platform.python_version()} ({platform.python_implementation()})",
            *(f"{name}: {value}" for name, value in self.versions.items()),
            f"frozen: {'yes' if getattr(sys, 'frozen', False) else 'no'}",
            "",
            "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
        ]
        if self.tail is not None and self.tail.lines:
            lines += ["", "Last log lines (newest last):", *self.tail.lines]
        return scrub("\n".join(lines) + "\n", self.secrets())

    def write(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> Path:
        """Write a report; returns its path. Falls back to the temp folder when the data folder
        refuses (read-only, full); raises OSError when neither can be written."""
        now = self._clock()
        text = self.render(exc_type, exc, tb, now)
        name = f"crash-{now.strftime('%Y%m%dT%H%M%SZ')}-{os.getpid()}"
        fallback = Path(tempfile.gettempdir()) / "stepwise-crash-reports"
        error: OSError | None = None
        for directory in (self.directory, fallback):
            try:
                path = _write_new(directory, name, text)
            except OSError as err:
                log.warning("could not write a crash report in %s: %s", directory, err)
                error = error or err
                continue
            _prune(directory)
            return path
        assert error is not None
        raise error


def _write_new(directory: Path, name: str, text: str) -> Path:
    """A new file (never overwriting an earlier report), flushed to the disk: the app may be
    about to die."""
    directory.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 100):
        path = directory / (f"{name}.txt" if attempt == 1 else f"{name}-{attempt}.txt")
        try:
            with path.open("x", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
        except FileExistsError:
            continue
        except OSError:
            path.unlink(missing_ok=True)  # no half report (a full disk)
            raise
        return path
    raise FileExistsError(f"too many crash reports named {name} in {directory}")


def _prune(directory: Path) -> None:
    reports = sorted(directory.glob("crash-*.txt"), key=lambda p: p.name)
    for old in reports[:-KEEP_REPORTS]:
        with contextlib.suppress(OSError):
            old.unlink()
