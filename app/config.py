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


@dataclass
class StepRoute:
    model: str
    temperature: float = 0.2
    max_tokens: int = 800


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
    base_url: str = "https://api.openai.com/v1"
    profile: str = "default"  # the keyring entry holding this provider's key
    agent_name: str = "Sam"
    routes: dict[str, StepRoute] = field(default_factory=default_routes)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Settings:
        defaults = cls()
        routes = default_routes()
        for name, route in (data.get("routes") or {}).items():
            if name in routes and isinstance(route, dict):
                routes[name] = StepRoute(
                    model=str(route.get("model") or routes[name].model),
                    temperature=float(route.get("temperature", routes[name].temperature)),
                    max_tokens=int(route.get("max_tokens", routes[name].max_tokens)),
                )
        return cls(
            base_url=str(data.get("base_url") or defaults.base_url),
            profile=str(data.get("profile") or defaults.profile),
            agent_name=str(data.get("agent_name") or defaults.agent_name),
            routes=routes,
        )


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
