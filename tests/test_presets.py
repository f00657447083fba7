"""Provider presets: every one is complete and usable as a provider profile."""

from __future__ import annotations

import pytest

from app.config import ADAPTERS, STEP_NAMES, ProviderProfile
from app.llm.client import check_base_url, is_loopback
from app.presets import CUSTOM, PRESETS, Preset, match, preset


@pytest.mark.parametrize("item", PRESETS, ids=lambda p: p.key)
def test_preset_is_complete(item: Preset) -> None:
    chosen = preset(item.key)
    assert chosen is item
    assert chosen.adapter in ADAPTERS
    assert set(chosen.models) in (set(), set(STEP_NAMES))
    if chosen.base_url:
        assert check_base_url(chosen.base_url) == chosen.base_url  # http only for loopback
    profile = chosen.profile()
    assert profile.name == chosen.key and profile.adapter == chosen.adapter


def test_keyless_presets_are_the_local_servers() -> None:
    from urllib.parse import urlsplit

    keyless = {p.key for p in PRESETS if not p.needs_key}
    assert keyless == {"ollama", "lmstudio"}
    for key in keyless:
        assert is_loopback(urlsplit(preset(key).base_url).hostname or "")


def test_known_endpoints() -> None:
    assert preset("openai").base_url == "https://api.openai.com/v1"
    assert preset("deepseek").base_url == "https://api.deepseek.com/v1"
    assert preset("gemini").base_url == "https://generativelanguage.googleapis.com/v1beta/openai"
    assert preset("openrouter").base_url == "https://openrouter.ai/api/v1"
    assert preset("anthropic").base_url == "https://api.anthropic.com/v1"
    assert preset("anthropic").adapter == "anthropic"
    assert preset("ollama").base_url == "http://localhost:11434/v1"
    assert preset("lmstudio").base_url == "http://localhost:1234/v1"


def test_match_finds_a_saved_provider() -> None:
    assert match(ProviderProfile("default", "https://api.openai.com/v1/")).key == "openai"
    assert match(ProviderProfile("deepseek", "https://proxy.example/v1")).key == "deepseek"
    assert match(ProviderProfile("default", "https://gw.example/v1")) is CUSTOM
    assert preset("no-such-preset") is CUSTOM
