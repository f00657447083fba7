"""The key-leak scan: a workspace on a unique API key goes through a good run, retried faults,
failures, a crash report, exports and a sent reply, while every log record at every level is
written to a file; then every byte Stepwise wrote (database and its WAL, config, log, crash
report, exports) is searched for the key and for an Authorization header. There must be none.

Two shapes of key: one like OpenAI's (``sk-…``, which the log redaction also knows by its shape)
and a plain hex string, which only the exact-key scrubbing and the design (keys never leave the
keyring and the request headers) keep out.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Settings
from app.crash_report import CrashReports, LogTail
from app.pipeline.events import RunFinished
from app.secrets import KeyStore
from app.sim.server import Fault, SimConfig, Simulator
from app.store import AnnotationFilter, seed_demo
from app.supervisor.export import annotations_to_jsonl, runs_to_csv, runs_to_jsonl
from app.workspace import Workspace

KEY_SHAPES = {
    "openai-shaped": lambda: f"sk-proj-{uuid.uuid4().hex}{uuid.uuid4().hex}",
    "plain": lambda: uuid.uuid4().hex + uuid.uuid4().hex,
}


@pytest.fixture(params=sorted(KEY_SHAPES))
def key(request: pytest.FixtureRequest) -> str:
    made: str = KEY_SHAPES[request.param]()
    return made


@pytest.fixture
def profile() -> Iterator[str]:
    name = f"leak-{uuid.uuid4().hex[:8]}"
    yield name
    KeyStore().delete(name)


@pytest.fixture
def log_file(data_dir: Path) -> Iterator[Path]:
    """Every record of every logger, DEBUG and up (httpx's and httpcore's included), to a file
    in the data folder, as a support build with full logging would write it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "stepwise.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield path
    root.removeHandler(handler)
    root.setLevel(level)
    handler.close()


# A credential header with a value: the header's name next to "[redacted]" is what redaction
# leaves, and is no leak.
HEADERS = re.compile(
    rb"(?i)(authorization|x-api-key)\s*[:=]\s*(?!(bearer\s+)?\[redacted\])\S"
    rb"|bearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}"
)


def hits(root: Path, key: str) -> tuple[int, list[str]]:
    """(files read, "file: what" for the key or a credential header found in each)."""
    files = [path for path in sorted(root.rglob("*")) if path.is_file()]
    found = []
    for path in files:
        data = path.read_bytes()
        if key.encode() in data:
            found.append(f"{path.relative_to(root)}: the key")
        header = HEADERS.search(data)
        if header is not None:
            found.append(f"{path.relative_to(root)}: {header.group(0).decode(errors='replace')}")
    return len(files), found


async def run(workspace: Workspace, ticket: str) -> RunFinished:
    events = [event async for event in workspace.run(ticket, use_cache=False)]
    finished = events[-1]
    assert isinstance(finished, RunFinished)
    return finished


@pytest.mark.asyncio
@pytest.mark.expected_errors  # failed runs and the crash are logged on purpose
async def test_nothing_stepwise_writes_holds_the_key_or_an_authorization_header(
    data_dir: Path, log_file: Path, key: str, profile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tail = LogTail()
    logging.getLogger().addHandler(tail)
    try:
        with Simulator(SimConfig(ttft_ms=0, tokens_per_s=0, api_key=key)) as sim:
            workspace = Workspace.open(demo=False)
            seed_demo(workspace.store)
            assert workspace.update_settings(Settings.single(sim.base_url, profile), api_key=key)

            # A good run, then faults the client retries through, then failures.
            assert (await run(workspace, "T-1001")).ok
            sim.inject(Fault("rate_limit", retry_after_s=0.05))
            sim.inject(Fault("server_error"))
            assert (await run(workspace, "T-1002")).ok
            sim.inject(Fault("inband_error", after_tokens=2, step="reply"))
            assert not (await run(workspace, "T-1003")).ok
            sim.inject(Fault("auth"))
            assert not (await run(workspace, "T-1005")).ok
            assert any(r.status == 401 for r in list(sim.recorded))

            # The agent's part: an autosaved draft, a sent reply, a supervisor's verdict.
            workspace.save_draft("T-1002", "Hi Marcus, a draft kept while typing.")
            workspace.send("T-1001", "Hi Emily, your order ships today.")
            [first] = workspace.store.history_page(None, 0, 1)
            workspace.store.annotate(first.run_id, "intent", "wrong", label="leak-check")

            # A crash whose message quotes the key and the header that carried it.
            reports = CrashReports(data_dir / "crash-reports", tail=tail)
            reports.add_secrets(workspace.known_keys)
            try:
                raise RuntimeError(f"request failed: Authorization: Bearer {key} (key {key})")
            except RuntimeError:
                report = reports.write(*sys.exc_info())  # type: ignore[arg-type]
            assert "RuntimeError" in report.read_text(encoding="utf-8")

            # Exports of everything, unredacted: PII may go out, keys never.
            exports = data_dir / "exports"
            exports.mkdir()
            assert runs_to_csv(workspace.store, exports / "runs.csv", None, redact_pii=False)
            assert runs_to_jsonl(workspace.store, exports / "runs.jsonl", None, redact_pii=False)
            flagged = exports / "flagged.jsonl"
            assert annotations_to_jsonl(workspace.store, flagged, AnnotationFilter())

            # While the workspace is open, its write-ahead log holds the latest writes.
            assert (data_dir / "stepwise.db-wal").is_file()
            read_open, found_open = hits(data_dir, key)
            await workspace.aclose()
    finally:
        logging.getLogger().removeHandler(tail)
    read_closed, found_closed = hits(data_dir, key)

    assert log_file.stat().st_size > 0 and any(data_dir.glob("crash-reports/*.txt"))
    assert found_open == [] and found_closed == []
    with capsys.disabled():  # the figures for the closing note
        print(f"\nkey-leak scan: {read_open} files with the store open, {read_closed} after;")
        print(f"  hits: {len(found_open) + len(found_closed)}")


def test_the_scan_finds_a_planted_key_and_header(tmp_path: Path) -> None:
    key = KEY_SHAPES["plain"]()
    (tmp_path / "a.log").write_text(f"sent with Authorization: Bearer {key}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("x-api-key: abc123\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Authorization: Bearer [redacted]\n", encoding="utf-8")
    read, found = hits(tmp_path, key)
    assert read == 3
    assert found == [
        "a.log: the key",
        "a.log: Authorization: B",
        "b.txt: x-api-key: a",
    ]
