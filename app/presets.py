"""Provider presets: the settings dialog's starting points for the providers agents use.

A preset fills the base URL, the wire protocol, a default model per step and what the provider
supports. Everything stays editable. Facts come from PROTOCOLS.md and the providers' public
endpoints; the local servers' model names are only examples (use the model you have loaded).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.config import ProviderProfile


def _models(fast: str, strong: str, writer: str | None = None) -> dict[str, str]:
    """A cheap model for intent and retrieval, a strong one for reasoning, a writer for the
    reply (DESIGN.md, "The pipeline")."""
    return {"intent": fast, "retrieval": fast, "reasoning": strong, "reply": writer or strong}


@dataclass(frozen=True)
class Preset:
    key: str  # stable id, also the provider profile's name (the keyring entry's name)
    name: str  # shown in the dialog
    base_url: str  # empty: the agent must type one (a gateway, a custom server)
    adapter: str = "openai"  # one of app.config.ADAPTERS
    models: dict[str, str] = field(default_factory=dict)  # step → model; empty: keep current
    fallback_model: str = ""
    json_schema: bool = False  # accepts response_format json_schema
    needs_key: bool = True  # False for local servers, which answer without one
    has_models_endpoint: bool = True  # GET {base}/models lists models (Test connection)

    def profile(self, base_url: str | None = None) -> ProviderProfile:
        return ProviderProfile(
            name=self.key,
            base_url=base_url if base_url is not None else self.base_url,
            adapter=self.adapter,
            json_schema=self.json_schema,
        )


PRESETS: tuple[Preset, ...] = (
    Preset(
        "gateway",
        "OpenAI-compatible gateway",
        "",
        models=_models("gpt-4.1-mini", "gpt-4.1"),
    ),
    Preset(
        "openai",
        "OpenAI",
        "https://api.openai.com/v1",
        models=_models("gpt-4.1-mini", "gpt-4.1"),
        fallback_model="gpt-4.1-mini",
        json_schema=True,
    ),
    Preset(
        "deepseek",
        "DeepSeek",
        "https://api.deepseek.com/v1",
        models=_models("deepseek-chat", "deepseek-reasoner", "deepseek-chat"),
        fallback_model="deepseek-chat",
    ),
    Preset(
        "gemini",
        "Google Gemini (OpenAI endpoint)",
        "https://generativelanguage.googleapis.com/v1beta/openai",
        models=_models("gemini-2.5-flash", "gemini-2.5-pro"),
        fallback_model="gemini-2.5-flash",
        json_schema=True,
    ),
    Preset(
        "openrouter",
        "OpenRouter",
        "https://openrouter.ai/api/v1",
        models=_models("google/gemini-2.5-flash", "openai/gpt-4.1", "anthropic/claude-sonnet-4.5"),
        fallback_model="openai/gpt-4.1-mini",
    ),
    Preset(
        "anthropic",
        "Anthropic",
        "https://api.anthropic.com/v1",
        adapter="anthropic",
        models=_models("claude-haiku-4-5", "claude-sonnet-4-5"),
        fallback_model="claude-haiku-4-5",
        has_models_endpoint=False,  # tested with a one-token message instead
    ),
    Preset(
        "ollama",
        "Ollama (this computer)",
        "http://localhost:11434/v1",
        models=_models("llama3.1", "llama3.1"),
        needs_key=False,
    ),
    Preset(
        "lmstudio",
        "LM Studio (this computer)",
        "http://localhost:1234/v1",
        models=_models("local-model", "local-model"),
        needs_key=False,
    ),
    Preset("custom", "Custom", ""),
)

CUSTOM = PRESETS[-1]
_BY_KEY = {preset.key: preset for preset in PRESETS}


def preset(key: str) -> Preset:
    """The preset named ``key``; Custom for a name we do not know."""
    return _BY_KEY.get(key, CUSTOM)


def match(profile: ProviderProfile) -> Preset:
    """The preset a saved provider came from: by its name, else by base URL, else Custom."""
    if profile.name in _BY_KEY and profile.name != CUSTOM.key:
        return _BY_KEY[profile.name]
    url = profile.base_url.rstrip("/")
    for candidate in PRESETS:
        if candidate.base_url and candidate.base_url == url:
            return candidate
    return CUSTOM
