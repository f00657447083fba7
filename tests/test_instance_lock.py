"""One Stepwise per workspace: the lock refuses a second holder, names the first, is released
when its holder is killed (SIGKILL: no clean-up runs), and the demo and real workspaces have one
each. ``stepwise draft`` says so and exits 2. (The window's side: tests/ui/test_instance_lock.py.)
"""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import instance_lock
from app.instance_lock import LOCK_NAME, InstanceLock, WorkspaceInUse
from app.sim.server import SimConfig
from app.store import DatabaseUnreadable, DiskFull
from app.workspace import Workspace
from tests.test_cli import stepwise

ROOT = Path(__file__).resolve().parent.parent
HOLD = (
    "import sys; from pathlib import Path; from app.instance_lock import InstanceLock\n"
    "InstanceLock(Path(sys.argv[1])).acquire()\n"
    "print('locked', flush=True)\n"
    "sys.stdin.read()\n"  # holds the lock until killed or its stdin closes
)
FAST = SimConfig(ttft_ms=0, tokens_per_s=0)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the lock on ``tmp_path / "ws"``, once it said so."""
    folder = tmp_path / "ws"
    folder.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            pipe.close()


def test_a_second_lock_is_refused_until_the_first_is_released(tmp_path: Path) -> None:
    first, second = InstanceLock(tmp_path), InstanceLock(tmp_path)
    first.acquire()
    try:
        with pytest.raises(WorkspaceInUse) as refused:
            second.acquire()  # the same process counts as a second Stepwise too
        assert refused.value.pid == os.getpid()
        assert f"process {os.getpid()}" in str(refused.value)
        assert not second.held
    finally:
        first.release()
    first.release()  # twice is fine
    with second:
        assert second.held
    assert (tmp_path / LOCK_NAME).exists()  # the file stays; only the OS lock matters


def test_another_process_holding_it_is_named(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    with pytest.raises(WorkspaceInUse, match=rf"already open .*\(process {holder.pid}\)"):
        InstanceLock(tmp_path / "ws").acquire()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_the_lock_of_a_sigkilled_holder_is_taken_over(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    lock = InstanceLock(tmp_path / "ws")
    with pytest.raises(WorkspaceInUse):
        lock.acquire()
    holder.send_signal(signal.SIGKILL)  # no finally, no atexit: the kernel drops the lock
    holder.wait()
    lock.acquire()
    assert lock.held
    lock.release()


def test_the_demo_and_the_real_workspace_are_locked_apart(data_dir: Path) -> None:
    demo = Workspace.open(demo=True, sim_config=FAST, single_instance=True)
    try:
        real = Workspace.open(demo=False, single_instance=True)  # another workspace: fine
        asyncio.run(real.aclose())
        with pytest.raises(WorkspaceInUse, match="already open") as refused:
            Workspace.open(demo=True, sim_config=FAST, single_instance=True)
        assert refused.value.path == data_dir / "demo"
        Workspace.open(demo=True, sim_config=FAST).store.close()  # unlocked opens: tests, tools
    finally:
        asyncio.run(demo.aclose())
    again = Workspace.open(demo=True, sim_config=FAST, single_instance=True)  # released
    asyncio.run(again.aclose())


def test_a_data_folder_that_cannot_hold_the_lock_is_a_plain_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("STEPWISE_DATA_DIR", str(blocker))
    with pytest.raises(DatabaseUnreadable, match=r"^Could not open the workspace at .*usable"):
        Workspace.open(demo=True, sim_config=FAST, single_instance=True)


def test_no_room_for_the_lock_file_is_a_full_disk(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patched:
        patched.setattr(instance_lock, "_write_holder", full)
        with pytest.raises(DiskFull) as caught:
            Workspace.open(demo=True, sim_config=FAST, single_instance=True)
    assert str(caught.value) == (
        f"Could not open the workspace at {data_dir / 'demo'}: the disk is full. "
        "Free some space, then try again."
    )
    again = Workspace.open(demo=True, sim_config=FAST, single_instance=True)  # not left locked
    asyncio.run(again.aclose())


def test_draft_while_the_app_holds_the_workspace_says_so(data_dir: Path) -> None:
    (data_dir / "demo").mkdir(parents=True)
    with InstanceLock(data_dir / "demo"):
        result = stepwise("draft", "--demo", "--ticket", "T-1001", data_dir=data_dir)
    assert result.returncode == 2
    assert f"Stepwise is already open on the workspace at {data_dir / 'demo'}" in result.stderr
    assert f"(process {os.getpid()})" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
