"""Provider profiles → clients: a profile names its adapter, and each profile gets one client
(one connection pool, one shared rate-limit budget)."""

from __future__ import annotations

from typing import Any

from app.config import ProviderProfile
from app.llm.adapter import Adapter
from app.llm.anthropic import AnthropicAdapter
from app.llm.client import KeyProvider, LLMClient
from app.llm.errors import ConfigError
from app.llm.limits import RateLimiter
from app.llm.openai_compat import OpenAIAdapter

ADAPTERS: dict[str, type[Adapter]] = {"openai": OpenAIAdapter, "anthropic": AnthropicAdapter}


def client_for(profile: ProviderProfile, key_provider: KeyProvider, **options: Any) -> LLMClient:
    """A client for ``profile``; raises ConfigError (plain words) for a bad URL or adapter."""
    adapter = ADAPTERS.get(profile.adapter)
    if adapter is None:
        raise ConfigError(f"Stepwise does not know the provider type {profile.adapter!r}.")
    limiter = RateLimiter(profile.requests_per_minute, profile.tokens_per_minute)
    return LLMClient(profile.base_url, key_provider, adapter=adapter(), limiter=limiter, **options)
