"""``stepwise chat``: stream one completion from a provider, for admins testing a set-up.

    stepwise chat --provider NAME [--model M] "prompt"
    stepwise chat --base-url URL [--adapter anthropic] --api-key-env VAR --model M "prompt"

The answer goes to stdout as it streams; thinking, waits and a closing summary go to stderr, so
``> answer.txt`` keeps only the answer. The key comes from the OS keyring entry of the named
profile, or from the environment variable given (never from the command line, where it would sit
in the shell history). On failure it prints the typed error's plain message and exits non-zero:
1 for a provider error, 2 for a set-up problem.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from typing import TextIO
from urllib.parse import urlsplit

from app.config import ADAPTERS, ProviderProfile, load_settings
from app.llm.accumulate import Accumulator
from app.llm.chat import ChatRequest, ReasoningChunk, TextChunk, Waiting
from app.llm.client import is_loopback
from app.llm.errors import ConfigError, LLMError
from app.llm.providers import client_for
from app.paths import workspace_dir
from app.secrets import KeyStore
from app.workspace import CONFIG_NAME

# Local servers (Ollama, LM Studio, llama.cpp) take any key; the client still wants one.
LOCAL_PLACEHOLDER_KEY = "local"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    chat = commands.add_parser("chat", help="stream one completion from a provider")
    where = chat.add_mutually_exclusive_group(required=True)
    where.add_argument("--provider", help="a provider profile from Settings")
    where.add_argument("--base-url", help="an OpenAI-compatible or Anthropic base URL")
    chat.add_argument("--adapter", choices=ADAPTERS, default="openai", help="with --base-url")
    chat.add_argument("--model", help="model id (default: the reply step's model)")
    chat.add_argument("--api-key-env", metavar="VAR", help="read the key from this variable")
    chat.add_argument("--system", help="a system message")
    chat.add_argument("--max-tokens", type=int, default=800)
    chat.add_argument("prompt")


def chat_command(
    args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    try:
        profile, key, model = _resolve(args)
    except ConfigError as problem:
        print(f"stepwise chat: {problem.user_message}", file=err)
        return 2
    messages = [{"role": "user", "content": args.prompt}]
    if args.system:
        messages.insert(0, {"role": "system", "content": args.system})
    request = ChatRequest(model, messages, max_tokens=args.max_tokens)
    try:
        return asyncio.run(_stream(profile, key, request, out, err))
    except KeyboardInterrupt:
        print("\nstepwise chat: stopped", file=err)
        return 130


def _resolve(args: argparse.Namespace) -> tuple[ProviderProfile, str | None, str]:
    settings = load_settings(workspace_dir(demo=False) / CONFIG_NAME)
    if args.provider:
        profile = settings.providers.get(args.provider)
        if profile is None:
            known = ", ".join(sorted(settings.providers)) or "none"
            raise ConfigError(f"No provider profile named {args.provider!r} (known: {known}).")
    else:
        profile = ProviderProfile("command line", args.base_url, args.adapter)
    if args.api_key_env:
        key = os.environ.get(args.api_key_env)
        if not key:
            raise ConfigError(f"The environment variable {args.api_key_env} is not set.")
    elif args.provider:
        keys = KeyStore()
        key = keys.get(profile.name)
        if not key:
            raise ConfigError(keys.problem or f"No API key is stored for {profile.name!r}.")
    elif is_loopback(_host(profile.base_url)):
        key = LOCAL_PLACEHOLDER_KEY
    else:
        raise ConfigError("Give the key's environment variable with --api-key-env VAR.")
    return profile, key, args.model or settings.routes["reply"].model


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""


async def _stream(
    profile: ProviderProfile, key: str | None, request: ChatRequest, out: TextIO, err: TextIO
) -> int:
    started = time.monotonic()
    answer = Accumulator()
    try:
        client = client_for(profile, lambda: key)
    except LLMError as problem:
        print(f"stepwise chat: {problem.user_message}", file=err)
        return 2
    thinking = False  # thinking is being written to stderr: end its line before anything else
    try:
        async with client.stream(request) as events:
            async for event in events:
                answer.add(event)
                if isinstance(event, ReasoningChunk) and event.text:
                    err.write(event.text)
                    err.flush()
                    thinking = True
                    continue
                if thinking and isinstance(event, TextChunk | Waiting):
                    err.write("\n")
                    thinking = False
                if isinstance(event, TextChunk):
                    out.write(event.text)
                    out.flush()
                elif isinstance(event, Waiting):
                    print(f"[{event.describe()}]", file=err)
    except LLMError as problem:
        out.write("\n" if answer.text else "")
        err.write("\n" if thinking else "")
        print(f"stepwise chat: {problem.user_message}", file=err)
        return 2 if isinstance(problem, ConfigError) else 1
    finally:
        await client.aclose()
    out.write("\n")
    err.write("\n" if thinking else "")
    usage = answer.usage
    tokens = f" · in {usage.input_tokens} · out {usage.output_tokens} tokens" if usage else ""
    elapsed = time.monotonic() - started
    print(f"[{request.model}{tokens} · {elapsed:.1f} s · {answer.finish_reason}]", file=err)
    return 0
