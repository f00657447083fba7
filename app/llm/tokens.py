"""Offline token counting with tiktoken.

``tiktoken.get_encoding`` downloads its BPE files on first use, which fails on offline machines.
We ship the files in ``resources/tokenizers/`` and build encodings from tiktoken's own constructors
(``tiktoken_ext.openai_public``), handing them our local file instead of a URL. The sha256 each
constructor passes (tiktoken's own expected hash) is checked against our file before it is used,
so a corrupted or swapped file fails loudly and nothing is ever downloaded.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

import tiktoken
import tiktoken_ext.openai_public as openai_public

from app.paths import resource_path

SHIPPED_ENCODINGS = ("o200k_base", "cl100k_base")
_swap_lock = threading.Lock()


class TokenizerError(RuntimeError):
    """A bundled tokenizer file is missing or does not match tiktoken's expected hash."""


def _read_local_bpe(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
    path = resource_path("tokenizers", url.rsplit("/", 1)[-1])
    try:
        contents = path.read_bytes()
    except OSError as err:
        raise TokenizerError(f"Tokenizer file {path.name} is missing from {path.parent}") from err
    digest = hashlib.sha256(contents).hexdigest()
    if expected_hash is None or digest != expected_hash:
        raise TokenizerError(
            f"Tokenizer file {path.name} has sha256 {digest}, tiktoken expects {expected_hash}"
        )
    # Same format tiktoken.load.load_tiktoken_bpe parses: "<base64 token> <rank>" per line.
    return {
        base64.b64decode(token): int(rank)
        for token, rank in (line.split() for line in contents.splitlines() if line)
    }


@cache
def get_encoding(name: str = "o200k_base") -> tiktoken.Encoding:
    if name not in SHIPPED_ENCODINGS:
        raise TokenizerError(f"Encoding {name} is not shipped with Stepwise")
    constructor: Callable[[], dict[str, Any]] = openai_public.ENCODING_CONSTRUCTORS[name]
    # The constructor calls the module-level load_tiktoken_bpe(url, expected_hash); swap in our
    # local reader for the duration of the call only.
    with _swap_lock:
        original = openai_public.load_tiktoken_bpe
        openai_public.load_tiktoken_bpe = _read_local_bpe
        try:
            kwargs = constructor()
        finally:
            openai_public.load_tiktoken_bpe = original
    return tiktoken.Encoding(**kwargs)


def encoding_for_model(model: str) -> str:
    """cl100k_base for the GPT-3.5/GPT-4 generation, o200k_base for everything else.

    Other vendors' tokenizers are not public; o200k_base is a close estimate for modern models.
    """
    lowered = model.lower()
    if lowered.startswith(("gpt-3.5", "gpt-4-", "text-embedding-3", "text-embedding-ada")) or (
        lowered == "gpt-4"
    ):
        return "cl100k_base"
    return "o200k_base"


def count_tokens(text: str, model: str = "") -> int:
    return len(get_encoding(encoding_for_model(model)).encode(text, disallowed_special=()))


def count_message_tokens(messages: list[dict[str, str]], model: str = "") -> int:
    """Prompt tokens of a chat request, with OpenAI's per-message overhead (3 + 3 for priming)."""
    return sum(3 + count_tokens(m.get("content", ""), model) for m in messages) + 3
