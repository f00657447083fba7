"""Test connection against the simulator over real loopback, and the failures an agent meets."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest

from app.config import Settings
from app.connection_test import KINDS, Verdict, check_connection
from app.sim.server import SimConfig, Simulator

KEY = "sk-sim-good-key"


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(api_key=KEY, ttft_ms=0)) as simulator:
        yield simulator


def check(*args: str | None, **options: object) -> Verdict:
    verdict = asyncio.run(check_connection(*args, **options))  # type: ignore[arg-type]
    assert verdict.kind in KINDS
    assert verdict.message
    return verdict


def test_good_key_lists_models(sim: Simulator) -> None:
    verdict = check(sim.base_url, KEY)
    assert verdict.ok and verdict.kind == "ok"
    assert "sim-writer" in verdict.models
    assert f"{len(verdict.models)} models" in verdict.message


def test_rejected_key(sim: Simulator) -> None:
    verdict = check(sim.base_url, "sk-wrong")
    assert not verdict.ok and verdict.kind == "key_rejected"
    assert "rejected the API key" in verdict.message
    assert "sk-wrong" not in verdict.message


def test_anthropic_sends_one_token(sim: Simulator) -> None:
    verdict = check(sim.base_url, KEY, "anthropic", model="claude-sonnet-4-5")
    assert verdict.ok and "claude-sonnet-4-5 answered" in verdict.message
    rejected = check(sim.base_url, "sk-wrong", "anthropic", model="claude-sonnet-4-5")
    assert rejected.kind == "key_rejected"
    unknown = check(sim.base_url, KEY, "anthropic", model="no-such-model")
    assert unknown.kind == "model_not_found" and "no-such-model" in unknown.message


def test_wrong_base_url_is_not_found(sim: Simulator) -> None:
    verdict = check(sim.base_url.removesuffix("/v1"), KEY)
    assert verdict.kind == "not_found"
    assert "base URL" in verdict.message


def test_plain_http_to_a_remote_host_is_refused() -> None:
    verdict = check("http://api.example.com/v1", KEY)
    assert verdict.kind == "insecure_http" and "https://" in verdict.message


def test_missing_key_and_bad_url() -> None:
    assert check("https://api.openai.com/v1", "").kind == "no_key"
    assert check("api.openai.com", KEY).kind == "bad_url"


def test_keyless_local_server_needs_no_key(sim: Simulator) -> None:
    with Simulator(SimConfig(api_key=None, ttft_ms=0)) as open_sim:
        verdict = check(open_sim.base_url, None, needs_key=False)
    assert verdict.ok and verdict.message.startswith("Connected. The server offers")


def test_nothing_listening_cannot_connect() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    verdict = check(f"http://127.0.0.1:{port}/v1", KEY)
    assert verdict.kind == "cannot_connect"


def test_https_to_a_plain_server_is_a_tls_error(sim: Simulator) -> None:
    verdict = check(sim.base_url.replace("http://", "https://"), KEY)
    assert verdict.kind == "tls" and "TLS" in verdict.message


def test_silent_server_times_out() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()  # the kernel accepts the connection; nobody ever answers
        port = sock.getsockname()[1]
        verdict = check(f"http://127.0.0.1:{port}/v1", KEY, timeout_s=0.3)
    assert verdict.kind == "timeout"


def test_old_configs_load_with_new_defaults() -> None:
    settings = Settings.from_json({"base_url": "https://api.openai.com/v1", "agent_name": "Ana"})
    assert settings.theme == "system" and settings.signature == ""
    again = Settings.from_json({**settings.to_json(), "theme": "dark", "signature": "Ana"})
    assert again.theme == "dark" and again.signature == "Ana"
    assert Settings.from_json({"theme": "purple"}).theme == "system"


def test_a_keyless_local_provider_gets_a_placeholder_key() -> None:
    from app.presets import preset
    from app.workspace import LOCAL_KEY, Workspace

    workspace = Workspace.open(demo=False)
    try:
        profile = preset("ollama").profile()
        workspace.settings.providers = {profile.name: profile}
        workspace.settings.default_provider = profile.name
        assert workspace.api_key() == LOCAL_KEY
        remote = preset("openai").profile()
        workspace.settings.providers[remote.name] = remote
        assert workspace.api_key("openai") is None  # a remote provider never gets one
    finally:
        asyncio.run(workspace.aclose())
