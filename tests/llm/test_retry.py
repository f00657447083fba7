from __future__ import annotations

import email.utils

import pytest

from app.llm import retry


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (429, {}, True),
        (500, {}, True),
        (529, {}, True),
        (400, {}, False),
        (401, {}, False),
        (400, {"x-should-retry": "true"}, True),
        (503, {"x-should-retry": "false"}, False),
    ],
)
def test_should_retry(status: int, headers: dict[str, str], expected: bool) -> None:
    assert retry.should_retry(status, headers) is expected


def test_retry_after_forms() -> None:
    assert retry.retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry.retry_after({"retry-after": "2.5"}) == 2.5
    date = email.utils.formatdate(1_000_030, usegmt=True)
    assert retry.retry_after({"retry-after": date}, now=1_000_000) == pytest.approx(30)
    assert retry.retry_after({"retry-after": "soon"}) is None
    assert retry.retry_after({}) is None


def test_retry_delay_backoff_and_cap() -> None:
    for taken, low, high in [(0, 0.375, 0.5), (1, 0.75, 1.0), (5, 6.0, 8.0)]:
        assert low <= (retry.retry_delay(taken, {}) or 0) <= high
    assert retry.retry_delay(0, {"retry-after": "3"}) == 3
    assert retry.retry_delay(0, {"retry-after": "121"}) is None
