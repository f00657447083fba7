"""API keys live in the OS keyring (or this session's memory), never in config or database."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.config import Settings
from app.pipeline.events import RunFinished
from app.secrets import SERVICE_NAME, KeyStore
from app.sim.server import SimConfig, Simulator
from app.store import seed_demo
from app.workspace import Workspace


@pytest.fixture
def unique_key() -> str:
    return f"sk-test-{uuid.uuid4().hex}"


@pytest.fixture
def profile() -> Iterator[str]:
    name = f"test-{uuid.uuid4().hex[:8]}"
    yield name
    KeyStore().delete(name)


def files_containing(root: Path, needle: str) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


@pytest.mark.asyncio
async def test_key_goes_to_the_keyring_and_nowhere_else(
    data_dir: Path, unique_key: str, profile: str
) -> None:
    with Simulator(SimConfig(ttft_ms=0, tokens_per_s=0, api_key=unique_key)) as sim:
        workspace = Workspace.open(demo=False)
        seed_demo(workspace.store)
        stored = workspace.update_settings(
            Settings.single(sim.base_url, profile), api_key=unique_key
        )
        assert stored is True
        assert keyring.get_password(SERVICE_NAME, profile) == unique_key
        # The key is used for real: the run authenticates with it against the simulator.
        events = [e async for e in workspace.run("T-1001")]
        assert isinstance(events[-1], RunFinished) and events[-1].ok
        await workspace.aclose()
    assert (data_dir / "config.json").is_file() and (data_dir / "stepwise.db").is_file()
    assert files_containing(data_dir, unique_key) == []
    assert files_containing(data_dir, "Bearer") == []


def test_without_a_keyring_the_key_is_kept_for_this_session_only(
    data_dir: Path, unique_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        keys = KeyStore()
        assert keys.set("default", unique_key) is False
        assert keys.problem and "this session only" in keys.problem
        assert keys.get("default") == unique_key
        assert keys.provider("default")() == unique_key
    finally:
        keyring.set_keyring(previous)
    assert not data_dir.exists() or files_containing(data_dir, unique_key) == []


def test_demo_workspace_never_touches_keys(data_dir: Path) -> None:
    """The demo keeps the agent's own choices (name, look, language) and nothing else: not a
    key, not another provider, not other models."""
    fast = SimConfig(ttft_ms=0, tokens_per_s=0)
    workspace = Workspace.open(demo=True, sim_config=fast)
    simulator_url = workspace.settings.provider.base_url
    try:
        assert workspace.keys is None
        mine = Settings.single("https://api.example.com/v1", theme="dark", language="zh_CN",
                               agent_name="Lin", signature="Lin · Care")  # fmt: skip
        assert workspace.update_settings(mine, api_key="sk-should-not-be-stored") is None
        assert workspace.settings.provider.base_url == simulator_url
        assert (workspace.settings.theme, workspace.settings.language) == ("dark", "zh_CN")
    finally:
        asyncio.run(workspace.aclose())
    assert files_containing(data_dir, "sk-should-not-be-stored") == []
    reopened = Workspace.open(demo=True, sim_config=fast)
    try:
        assert (reopened.settings.agent_name, reopened.settings.signature) == ("Lin", "Lin · Care")
        assert reopened.settings.language == "zh_CN"
        assert "api.example.com" not in json.dumps(reopened.settings.to_json())
    finally:
        asyncio.run(reopened.aclose())
