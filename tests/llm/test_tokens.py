"""The bundled tokenizer files: tiktoken's own hashes, and no network ever."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import tiktoken_ext.openai_public as openai_public

from app.llm import tokens
from app.paths import resource_path

ROOT = Path(__file__).resolve().parents[2]


def _tiktoken_expected_hash(name: str) -> str:
    """Ask tiktoken's own constructor which sha256 it expects for this encoding."""
    seen: list[str] = []

    def capture(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
        seen.append(expected_hash or "")
        raise LookupError

    original = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = capture  # type: ignore[assignment]
    try:
        with pytest.raises(LookupError):
            openai_public.ENCODING_CONSTRUCTORS[name]()
    finally:
        openai_public.load_tiktoken_bpe = original  # type: ignore[assignment]
    return seen[0]


@pytest.mark.parametrize("name", tokens.SHIPPED_ENCODINGS)
def test_shipped_file_matches_tiktokens_expected_hash(name: str) -> None:
    data = resource_path("tokenizers", f"{name}.tiktoken").read_bytes()
    assert hashlib.sha256(data).hexdigest() == _tiktoken_expected_hash(name)


def test_counts_tokens_with_networking_disabled() -> None:
    """A fresh interpreter whose sockets all fail still builds both encodings and counts."""
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network disabled in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from app.llm.tokens import count_tokens, get_encoding\n"
        "assert count_tokens('Hello, world!', 'gpt-4.1') == 4\n"
        "assert count_tokens('Hello, world!', 'gpt-4') == 4\n"
        "enc = get_encoding('o200k_base')\n"
        "assert enc.decode(enc.encode('你好')) == '你好'\n"
        "print('ok')\n"
    )
    env = {"PATH": "", "TIKTOKEN_CACHE_DIR": "/nonexistent-cache", "HOME": "/nonexistent"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert result.stdout.strip() == "ok", result.stderr
    assert socket.socket.connect is not None  # this process was not touched


def test_tampered_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tokenizers").mkdir()
    (tmp_path / "tokenizers" / "cl100k_base.tiktoken").write_bytes(b"YQ== 0\n")
    monkeypatch.setattr(tokens, "resource_path", lambda *p: tmp_path.joinpath(*p))
    tokens.get_encoding.cache_clear()
    try:
        with pytest.raises(tokens.TokenizerError, match="tiktoken expects"):
            tokens.get_encoding("cl100k_base")
    finally:
        tokens.get_encoding.cache_clear()


def test_message_overhead() -> None:
    messages = [{"role": "user", "content": "Hello, world!"}]
    assert tokens.count_message_tokens(messages, "gpt-4.1") == 3 + 4 + 3
