"""Logging for Stepwise: named loggers (``stepwise.llm``, ``stepwise.store``…) and redaction of
credentials from every record before any handler sees it.

Redaction is installed as a log-record factory, not as one handler's filter, so it covers every
handler anyone adds (ours, a library's, pytest's capture) and every logger, httpx's own included:
``Authorization`` and ``x-api-key`` values, key-like query strings (``?key=…``, Gemini's style),
and key-shaped strings (``sk-…``) wherever they appear in a message or its arguments.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_SECRETS = re.compile(
    r"(?i)(authorization\s*[:=]\s*(?:bearer\s+)?|x-api-key\s*[:=]\s*|api[_-]?key\s*[:=]\s*)"
    r"([^\s'\",}]+)"
)
_QUERY_KEYS = re.compile(r"(?i)([?&](?:key|api[_-]?key|access[_-]?token|token)=)([^&\s'\"]+)")
_KEY_SHAPES = re.compile(r"\b(sk-(?:ant-)?[A-Za-z0-9_-]{8})[A-Za-z0-9_-]+")


def redact(text: str) -> str:
    text = _SECRETS.sub(lambda m: m.group(1) + "[redacted]", text)
    text = _QUERY_KEYS.sub(lambda m: m.group(1) + "[redacted]", text)
    return _KEY_SHAPES.sub(lambda m: m.group(1) + "…[redacted]", text)


class RedactFilter(logging.Filter):
    """For handlers outside our control that build records themselves."""

    def filter(self, record: logging.LogRecord) -> bool:
        _redact_record(record)
        return True


def _redact_record(record: logging.LogRecord) -> None:
    if record.exc_info and not record.exc_text:
        # A traceback's last line is the exception's message, which may quote a header or a
        # key: format it now, redacted; handlers use exc_text as it is.
        record.exc_text = redact(_FORMATTER.formatException(record.exc_info))
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a bad format string: leave it for logging to report
        return
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None


_FORMATTER = logging.Formatter()


_installed = False


def install_redaction() -> None:
    """Redact every log record at creation, once per process."""
    global _installed
    if _installed:
        return
    _installed = True
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _redact_record(record)
        return record

    logging.setLogRecordFactory(factory)


def setup_logging(level: int = logging.WARNING) -> None:
    install_redaction()
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("stepwise")
    root.addHandler(handler)
    root.setLevel(level)
