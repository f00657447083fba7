"""Logging for Stepwise: named loggers (``stepwise.llm``, ``stepwise.store``…) and a filter that
redacts credentials from every record before it is written anywhere."""

from __future__ import annotations

import logging
import re

_SECRETS = re.compile(
    r"(?i)(authorization\s*[:=]\s*(?:bearer\s+)?|x-api-key\s*[:=]\s*|api[_-]?key\s*[:=]\s*)"
    r"([^\s'\",}]+)"
)
_KEY_SHAPES = re.compile(r"\b(sk-(?:ant-)?[A-Za-z0-9_-]{8})[A-Za-z0-9_-]+")


def redact(text: str) -> str:
    text = _SECRETS.sub(lambda m: m.group(1) + "[redacted]", text)
    return _KEY_SHAPES.sub(lambda m: m.group(1) + "…[redacted]", text)


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def setup_logging(level: int = logging.WARNING) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("stepwise")
    root.addHandler(handler)
    root.setLevel(level)
