"""The workspace's settings file (``config.json``): provider, per-step models, agent name.

It never holds an API key: keys live in the OS keyring (``app.secrets``). Saving is atomic (write a
temporary file, then rename) so a crash never leaves half a config behind.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("stepwise.config")

STEP_NAMES = ("intent", "retrieval", "reasoning", "reply")


ADAPTERS = ("openai", "anthropic")
THEMES = ("system", "light", "dark")  # "system" follows the OS's light/dark setting
# The interface's languages; "system" follows the OS (English when it is not one of these).
LANGUAGES = {"system": "", "en": "English", "zh_CN": "简体中文"}


@dataclass
class ProviderProfile:
    """One provider: where it is, which wire protocol it speaks, and our budget for it.

    The key is not here: it lives in the OS keyring under the profile's ``name``.
    """

    name: str = "default"
    base_url: str = "https://api.openai.com/v1"
    adapter: str = "openai"  # one of ADAPTERS
    requests_per_minute: int | None = None  # client-side budgets; None: only the server's
    tokens_per_minute: int | None = None
    json_schema: bool = False  # accepts response_format json_schema (else prompt + validation)

    @classmethod
    def from_json(cls, name: str, data: dict[str, Any]) -> ProviderProfile:
        adapter = str(data.get("adapter") or "openai")
        return cls(
            name=name,
            base_url=str(data.get("base_url") or cls.base_url),
            adapter=adapter if adapter in ADAPTERS else "openai",
            requests_per_minute=_positive(data.get("requests_per_minute")),
            tokens_per_minute=_positive(data.get("tokens_per_minute")),
            json_schema=data.get("json_schema") is True,
        )


def _prices(value: Any) -> dict[str, dict[str, float]]:
    if not isinstance(value, dict):
        return {}
    prices = {}
    for model, price in value.items():
        if isinstance(price, dict) and {"input", "output"} <= set(price):
            prices[str(model)] = {"input": float(price["input"]), "output": float(price["output"])}
    return prices


def _positive(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


@dataclass
class StepRoute:
    model: str
    temperature: float = 0.2
    max_tokens: int = 800
    provider: str = ""  # a profile name; empty means the default provider
    fallback_model: str = ""  # tried when the model fails in a way retrying could not fix


def default_routes() -> dict[str, StepRoute]:
    return {
        "intent": StepRoute("gpt-4.1-mini", 0.0, 500),
        "retrieval": StepRoute("gpt-4.1-mini", 0.0, 300),
        "reasoning": StepRoute("gpt-4.1", 0.2, 900),
        "reply": StepRoute("gpt-4.1", 0.5, 600),
    }


def demo_routes() -> dict[str, StepRoute]:
    """The simulator's models: a reasoning model for step 3 so thinking streams too."""
    return {
        "intent": StepRoute("sim-flash", 0.0, 500),
        "retrieval": StepRoute("sim-planner", 0.0, 300),
        "reasoning": StepRoute("sim-reasoner", 0.2, 900),
        "reply": StepRoute("sim-writer", 0.5, 600),
    }


@dataclass
class Settings:
    providers: dict[str, ProviderProfile] = field(
        default_factory=lambda: {"default": ProviderProfile()}
    )
    default_provider: str = "default"
    agent_name: str = "Sam"
    routes: dict[str, StepRoute] = field(default_factory=default_routes)
    skip_simple: bool = True  # the router may skip reasoning for a plain order-status question
    cache_ttl_s: float = 300.0  # identical steps within this time reuse their output
    # USD per million tokens, {"model": {"input": x, "output": y}}: over resources/prices.json
    prices: dict[str, dict[str, float]] = field(default_factory=dict)
    theme: str = "system"  # one of THEMES
    signature: str = ""  # the agent's sign-off under a reply; empty: none
    language: str = "system"  # one of LANGUAGES
    check_updates: bool = False  # ask the releases page for a newer version (app/update_check)

    @classmethod
    def single(cls, base_url: str, profile: str = "default", **kwargs: Any) -> Settings:
        """Settings with one OpenAI-compatible provider (tests, the demo, simple set-ups)."""
        provider = ProviderProfile(profile, base_url)
        return cls(providers={profile: provider}, default_provider=profile, **kwargs)

    @property
    def provider(self) -> ProviderProfile:
        """The default provider (steps with no provider of their own use it)."""
        return self.providers.get(self.default_provider) or next(iter(self.providers.values()))

    def provider_for(self, step: str) -> ProviderProfile:
        name = self.routes[step].provider if step in self.routes else ""
        return self.providers.get(name) or self.provider

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for provider in data["providers"].values():
            del provider["name"]  # the key of the mapping
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Settings:
        routes = default_routes()
        for name, route in (data.get("routes") or {}).items():
            if name in routes and isinstance(route, dict):
                routes[name] = StepRoute(
                    model=str(route.get("model") or routes[name].model),
                    temperature=float(route.get("temperature", routes[name].temperature)),
                    max_tokens=int(route.get("max_tokens", routes[name].max_tokens)),
                    provider=str(route.get("provider") or ""),
                    fallback_model=str(route.get("fallback_model") or ""),
                )
        providers = {
            str(name): ProviderProfile.from_json(str(name), value)
            for name, value in (data.get("providers") or {}).items()
            if isinstance(value, dict)
        }
        default = str(data.get("default_provider") or "")
        theme = str(data.get("theme") or "system")
        language = str(data.get("language") or "system")
        if not providers:  # the first config format: one provider at the top level
            default = str(data.get("profile") or "default")
            providers = {default: ProviderProfile.from_json(default, data)}
        return cls(
            providers=providers,
            default_provider=default if default in providers else next(iter(providers)),
            agent_name=str(data.get("agent_name") or cls.agent_name),
            routes=routes,
            skip_simple=bool(data.get("skip_simple", True)),
            cache_ttl_s=float(data.get("cache_ttl_s", 300.0)),
            prices=_prices(data.get("prices")),
            theme=theme if theme in THEMES else "system",
            signature=str(data.get("signature") or ""),
            language=language if language in LANGUAGES else "system",
            check_updates=data.get("check_updates") is True,
        )


# The agent's own choices: the demo workspace keeps these, its provider and models are fixed.
PERSONAL = ("agent_name", "signature", "theme", "language", "check_updates")


def personal(settings: Settings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in PERSONAL}


def load_settings(path: Path) -> Settings:
    """Read settings; a missing file gives defaults, a corrupt one is set aside and reported."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("top level is not an object")
        return Settings.from_json(data)
    except (ValueError, TypeError) as err:
        aside = path.with_suffix(".json.bad")
        os.replace(path, aside)
        log.warning("Settings file was unreadable (%s); kept it as %s, using defaults", err, aside)
        return Settings()


def save_settings(path: Path, settings: Settings) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(settings.to_json(), indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
