"""``stepwise chat`` against the simulator: what an admin testing a provider sees."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.chat_cli import chat_command
from app.cli import build_parser
from app.config import ProviderProfile, Settings, save_settings
from app.paths import workspace_dir
from app.secrets import KeyStore
from app.sim.server import SimConfig, Simulator
from app.workspace import CONFIG_NAME

ROOT = Path(__file__).resolve().parent.parent
PROMPT = "Where is my order #4521?"


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(ttft_ms=0, tokens_per_s=0)) as simulator:
        yield simulator


def chat(
    *args: str, env_key: str | None = None, data_dir: Path
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STEPWISE_DATA_DIR": str(data_dir)}
    if env_key is not None:
        env["SIM_KEY"] = env_key
    return subprocess.run(
        [sys.executable, "-m", "ui.main", "chat", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def chat_here(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = chat_command(build_parser().parse_args(["chat", *args]), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.e2e
def test_streams_the_answer_to_stdout_and_thinking_to_stderr(
    sim: Simulator, data_dir: Path
) -> None:
    result = chat(
        "--base-url", sim.base_url, "--api-key-env", "SIM_KEY", "--model", "sim-reasoner", PROMPT,
        env_key="sim-key", data_dir=data_dir,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip()) > 20
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("[sim-reasoner · in ") and summary.endswith("stop]")
    assert len(result.stderr) > len(summary) + 20  # the model's thinking came first
    assert result.stdout.strip() not in result.stderr


@pytest.mark.e2e
def test_a_rejected_key_is_reported_plainly(sim: Simulator, data_dir: Path) -> None:
    result = chat(
        "--base-url", sim.base_url, "--api-key-env", "SIM_KEY", "--model", "sim-writer", PROMPT,
        env_key="not-the-key", data_dir=data_dir,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout == ""
    assert "stepwise chat: The provider rejected the API key" in result.stderr
    assert "Traceback" not in result.stderr and "not-the-key" not in result.stderr


@pytest.mark.e2e
def test_anthropic_native_api(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIM_KEY", "sim-key")
    code, out, err = chat_here(
        "--base-url", sim.base_url, "--adapter", "anthropic", "--api-key-env", "SIM_KEY",
        "--model", "sim-writer", PROMPT,
    )  # fmt: skip
    assert code == 0, err
    assert len(out.strip()) > 20
    assert sim.recorded[-1].path == "/v1/messages"
    assert sim.recorded[-1].headers["x-api-key"] == "sim-key"


@pytest.mark.e2e
def test_a_named_profile_uses_its_key_from_the_keyring(sim: Simulator, data_dir: Path) -> None:
    root = workspace_dir(demo=False)
    profile = ProviderProfile("gateway", sim.base_url)
    save_settings(root / CONFIG_NAME, Settings(providers={"gateway": profile}))
    keys = KeyStore()
    keys.set("gateway", "sim-key")
    try:
        code, out, err = chat_here("--provider", "gateway", "--model", "sim-writer", PROMPT)
    finally:
        keys.delete("gateway")
    assert code == 0, err
    assert out.strip()
    assert sim.recorded[-1].headers["authorization"] == "Bearer sim-key"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--provider", "nowhere", "hi"], "No provider profile named 'nowhere' (known: default)"),
        (["--base-url", "https://api.example.com/v1", "hi"], "--api-key-env"),
        (["--base-url", "http://api.example.com/v1", "--api-key-env", "HOME", "hi"], "https://"),
        (
            ["--base-url", "https://api.example.com/v1", "--api-key-env", "NO_SUCH_VAR_X", "hi"],
            "not set",
        ),
    ],
)
def test_set_up_problems_exit_2_with_a_plain_message(
    data_dir: Path, args: list[str], words: str
) -> None:
    code, out, err = chat_here(*args)
    assert code == 2 and out == ""
    assert words in err and err.startswith("stepwise chat: ")
