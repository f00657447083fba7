"""Gate: tests/llm/test_sse.py on its own must cover every line and branch of app/llm/sse.py.

The decoder is performance-tuned code with many small branches (split CRLF, split BOM, split
characters); a branch no test reaches is a behaviour nobody has checked. The suite runs in a
subprocess so the measurement is independent of how (or whether) the outer run measures coverage.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_INNER = "STEPWISE_SSE_COVERAGE_GATE"  # set in the subprocess, so it can never start another one


@pytest.mark.skipif(bool(os.environ.get(_INNER)), reason="already inside the coverage gate")
def test_sse_tests_cover_every_line_and_branch_of_the_decoder(tmp_path: Path) -> None:
    pytest.importorskip("pytest_cov", reason="pytest-cov is not installed: no coverage gate")
    env = {
        name: value
        for name, value in os.environ.items()
        # An outer coverage run's subprocess hooks would measure (and write) for this process too.
        if not name.startswith(("COV_CORE_", "COVERAGE_PROCESS_"))
    }
    env[_INNER] = "1"
    env["COVERAGE_FILE"] = str(tmp_path / ".coverage")  # keep the repo's data file alone
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--cov=app.llm.sse",
        "--cov-branch",
        "--cov-report=term-missing",
        "--cov-fail-under=100",
        "tests/llm/test_sse.py",
    ]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=110, check=False
    )
    covered = "Required test coverage of 100% reached" in result.stdout
    verdict = (
        "coverage is 100%, but tests in test_sse.py failed"
        if covered
        else "app/llm/sse.py is not fully covered (see Missing) or the run broke"
    )
    assert result.returncode == 0, (
        f"{' '.join(command[2:])} exited {result.returncode}: {verdict}.\n"
        f"{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    )
