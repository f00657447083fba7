"""Crash reports (app/crash_report.py): the traceback and the versions, never a key.

The keys here sit where real ones would: in the exception's message, in its cause, in local
variables and in the log lines before the crash; one has no recognisable shape and is known only
because the app hands it over (a configured provider's key from the keyring).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app import __version__, crash_report
from app.crash_report import CrashReports, LogTail, scrub
from app.secrets import KeyStore
from app.sim.server import SimConfig
from app.workspace import Workspace

OPENAI_KEY = "sk-proj-Zq3vN8pLm2Xc7RtY5bWk1HsJd9FgA4eU"
ANTHROPIC_KEY = "sk-ant-api03-Hf7Kq2Lm9Np4Rs8Tv1Wx6Yz3Ab5Cd0Ef-gHiJkLmN"
GOOGLE_KEY = "AIzaSyD4x9Qm2Lp7Rt1Vw8Yz3Bc6Nf0Hj5Kk2Ms"
BEARER = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2lnbmF0dXJl"
KEYRING_KEY = "h7Qz9mXo2LpV4nR8tW1yUe6"  # no known shape: only the exact value can be scrubbed
KEYS = (OPENAI_KEY, ANTHROPIC_KEY, GOOGLE_KEY, BEARER, KEYRING_KEY)


def call_provider(api_key: str, fallback_key: str) -> None:
    headers = {"Authorization": f"Bearer {BEARER}", "x-api-key": fallback_key}
    google = f"https://example.test/v1?key={GOOGLE_KEY}"
    try:
        raise ConnectionError(f"refused {headers} at {google}")
    except ConnectionError as err:
        raise RuntimeError(f"the provider rejected {api_key} (keyring: {KEYRING_KEY})") from err


def crash() -> tuple[type[BaseException], BaseException, object]:
    try:
        call_provider(OPENAI_KEY, ANTHROPIC_KEY)
    except RuntimeError as err:
        return type(err), err, err.__traceback__
    raise AssertionError("no crash")


def test_a_report_holds_the_traceback_and_versions_but_no_key(tmp_path: Path) -> None:
    tail = LogTail()
    logger = logging.getLogger("stepwise.test-crash")
    logger.addHandler(tail)
    try:
        logger.warning("retrying with Authorization: Bearer %s", BEARER)
        logger.warning("key %s failed", OPENAI_KEY)
    finally:
        logger.removeHandler(tail)
    reports = CrashReports(tmp_path / "crash-reports", versions={"Qt": "6.9.9"}, tail=tail)
    reports.add_secrets(lambda: [KEYRING_KEY, None])
    exc_type, exc, tb = crash()
    path = reports.write(exc_type, exc, tb)  # type: ignore[arg-type]
    assert path.parent == tmp_path / "crash-reports" and path.name.startswith("crash-")
    text = path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert 'in call_provider\n    raise RuntimeError(f"the provider rejected' in text
    assert "ConnectionError" in text and "RuntimeError: the provider rejected" in text
    assert f"version: stepwise {__version__}" in text and "Qt: 6.9.9" in text
    assert f"python: {sys.version.split()[0]}" in text and "platform: " in text
    assert "Last log lines (newest last):" in text and "retrying with Authorization" in text
    for key in KEYS:
        assert key not in text
    assert "[redacted]" in text


def test_scrub_catches_key_shapes_and_known_values() -> None:
    text = (
        f"Authorization: Bearer {BEARER}\nx-api-key: {ANTHROPIC_KEY}\napi_key={OPENAI_KEY}\n"
        f"bearer {BEARER} {GOOGLE_KEY} password='{KEYRING_KEY}' plain {KEYRING_KEY}"
    )
    cleaned = scrub(text, [KEYRING_KEY, "ab"])  # "ab": too short to be a key, left alone
    for key in KEYS:
        assert key not in cleaned
    assert "Authorization: " in cleaned and "plain [redacted]" in cleaned


def test_an_unwritable_data_folder_falls_back_to_the_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    reports = CrashReports(blocker / "crash-reports")
    path = reports.write(*crash())  # type: ignore[arg-type]
    assert path.parent == tmp_path / "tmp" / "stepwise-crash-reports"
    assert "RuntimeError" in path.read_text(encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(blocker))  # neither can be written
    with pytest.raises(OSError):
        reports.write(*crash())  # type: ignore[arg-type]


def test_old_reports_are_pruned_and_none_is_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crash_report, "KEEP_REPORTS", 3)
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    times = iter(start + timedelta(minutes=minutes) for minutes in range(4))
    reports = CrashReports(tmp_path, clock=lambda: next(times))
    written = [reports.write(*crash()) for _ in range(4)]  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == [p.name for p in written[1:]]
    same = CrashReports(tmp_path / "same", clock=lambda: datetime(2026, 12, 1, tzinfo=UTC))
    first, second = same.write(*crash()), same.write(*crash())  # type: ignore[arg-type]
    assert first != second and second.name.endswith("-2.txt")


def test_keys_for_scrubbing_never_prompt_the_keyring() -> None:
    service = f"stepwise-test-{uuid.uuid4().hex}"
    KeyStore(service).set("work", KEYRING_KEY)
    try:
        fresh = KeyStore(service)  # a new session: the keyring may be locked
        assert fresh.get_without_prompt("work") is None  # reading it now could prompt
        assert fresh.get("work") == KEYRING_KEY  # the client read it for a request…
        assert fresh.get_without_prompt("work") == KEYRING_KEY  # …so it is unlocked now
        assert fresh.get_without_prompt("other") is None
    finally:
        KeyStore(service).delete("work")


def test_the_demo_workspace_hands_over_the_simulators_key() -> None:
    workspace = Workspace.open(demo=True, sim_config=SimConfig(ttft_ms=0, tokens_per_s=0))
    try:
        assert workspace.known_keys() == ["sim-key"]
    finally:
        asyncio.run(workspace.aclose())
