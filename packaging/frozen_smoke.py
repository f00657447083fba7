"""The frozen-app smoke test: run the built bundle headless and fail on anything unexpected.

Three parts, each reported with its time:

1. ``--version`` prints ``stepwise <pyproject version>`` (the dist-info made it into the bundle);
2. ``--self-test`` passes against a fresh temporary ``STEPWISE_DATA_DIR``, with Qt offscreen, no
   tokenizer cache and every proxy pointed at a closed port, so nothing can be fetched from the
   internet (the simulator check talks to 127.0.0.1, which ``NO_PROXY`` exempts);
3. the bundle holds what is only found at run time: tiktoken's encodings module, this OS's keyring
   backend with keyring's entry points, the charts' modules when installed, Qt's offscreen
   platform plugin, and none of the Qt plugin folders we drop.

Any stderr output fails the run unless a pattern in ``STDERR_ALLOWED`` explains it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import buildinfo

# Lines a healthy run may print on stderr, each with the reason it is harmless. Empty on purpose:
# add a pattern only with the platform and the cause it was seen with.
STDERR_ALLOWED: tuple[re.Pattern[str], ...] = ()
TIMEOUT_S = 300
CLOSED_PORT_PROXY = "http://127.0.0.1:9"


@dataclass
class SmokeResult:
    lines: list[str] = field(default_factory=list)
    ok: bool = True

    def fail(self, message: str) -> None:
        self.ok = False
        self.lines.append(f"FAIL {message}")


def smoke_env(data_dir: Path, cache_dir: Path, *, offscreen: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        STEPWISE_DATA_DIR=str(data_dir),
        TIKTOKEN_CACHE_DIR=str(cache_dir),
        HTTP_PROXY=CLOSED_PORT_PROXY,
        HTTPS_PROXY=CLOSED_PORT_PROXY,
        ALL_PROXY=CLOSED_PORT_PROXY,
        NO_PROXY="127.0.0.1,localhost",
    )
    if offscreen:
        env["QT_QPA_PLATFORM"] = "offscreen"
    else:
        env.pop("QT_QPA_PLATFORM", None)
    return env


def unexpected_stderr(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(p.search(line) for p in STDERR_ALLOWED)
    ]


def run_command(
    command: list[str], env: dict[str, str], result: SmokeResult, label: str
) -> str | None:
    """Run ``command``; record a failure for a bad exit or stray stderr; return its stdout."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        result.fail(f"{label}: no exit after {TIMEOUT_S} s")
        return None
    seconds = time.perf_counter() - started
    result.lines += [f"  | {line}" for line in done.stdout.splitlines()]
    stray = unexpected_stderr(done.stderr)
    result.lines += [f"  ! {line}" for line in stray]
    if done.returncode != 0:
        result.fail(f"{label}: exit code {done.returncode} after {seconds:.2f} s")
    elif stray:
        result.fail(f"{label}: {len(stray)} unexpected stderr line(s)")
    else:
        result.lines.append(f"ok   {label}: {seconds:.2f} s")
    return done.stdout


def check_version(command: Path, version: str, env: dict[str, str], result: SmokeResult) -> None:
    stdout = run_command([str(command), "--version"], env, result, "--version")
    if stdout is not None and stdout.strip() != f"stepwise {version}":
        result.fail(f"--version printed {stdout.strip()!r}, expected 'stepwise {version}'")


def check_self_test(
    command: Path, env: dict[str, str], result: SmokeResult, label: str = "--self-test"
) -> None:
    stdout = run_command([str(command), "--self-test"], env, result, label)
    if stdout is None:
        return
    if "self-test passed" not in stdout:
        result.fail(f"{label}: no 'self-test passed' line")
    if not re.search(r"^ok\s+qt:", stdout, re.MULTILINE):
        result.fail(f"{label}: the Qt check did not run")


def run(command: Path, root: Path, version: str, native_qt: bool = False) -> SmokeResult:
    result = SmokeResult([f"smoke test of {command}"])
    if not command.is_file():
        result.fail(f"{command} does not exist: build first")
        return result
    with tempfile.TemporaryDirectory(prefix="stepwise-smoke-") as tmp:
        data, cache = Path(tmp, "data"), Path(tmp, "tiktoken-cache")
        data.mkdir()
        cache.mkdir()
        env = smoke_env(data, cache, offscreen=True)
        check_version(command, version, env, result)
        check_self_test(command, env, result)
        if native_qt:
            native = smoke_env(data, cache, offscreen=False)
            check_self_test(command, native, result, "--self-test (native Qt platform)")
        if any(cache.iterdir()):
            result.fail("tiktoken wrote to its download cache: an encoding was fetched")
    check_contents(command, root, version, result)
    result.lines.append("frozen smoke test passed" if result.ok else "frozen smoke test FAILED")
    return result


def bundled_modules(command: Path) -> set[str]:
    from PyInstaller.archive.readers import CArchiveReader

    return set(CArchiveReader(str(command)).open_embedded_archive("PYZ.pyz").toc)


def check_contents(command: Path, root: Path, version: str, result: SmokeResult) -> None:
    modules = bundled_modules(command)
    optional = [name for name in buildinfo.OPTIONAL_IMPORTS if buildinfo.is_installed(name)]
    wanted = buildinfo.hidden_imports(sys.platform, optional)
    missing = [name for name in wanted if name not in modules]
    if missing:
        result.fail("modules missing from the bundle: " + ", ".join(missing))
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    expected = {
        "keyring entry points": r"keyring-[^/]+\.dist-info/entry_points\.txt$",
        f"stepwise {version} metadata": rf"stepwise-{re.escape(version)}\.dist-info/METADATA$",
        "offscreen platform plugin": r"plugins/platforms/(lib)?qoffscreen\.",
        "o200k_base tokenizer": r"resources/tokenizers/o200k_base\.tiktoken$",
    }
    for name, pattern in expected.items():
        if not any(re.search(pattern, f) for f in files):
            result.fail(f"bundle lacks the {name} ({pattern})")
    dropped = [
        f for f in files if not buildinfo.keep_bundled_file(f, buildinfo.shipped_languages())
    ]
    if dropped:
        result.fail(f"{len(dropped)} trimmed Qt files are in the bundle, e.g. {dropped[0]}")
    if result.ok:
        result.lines.append(f"ok   contents: {len(wanted)} run-time imports, metadata, Qt plugins")
