"""The benchmark's fixture: an HTTP/1.1 server that streams one pre-built OpenAI chat stream.

Run as its own process (``python -m tests.benchmarks.sse_server --chunks N``) so its CPU never
competes with the measured client for the GIL; it prints its port on stdout once it listens and
exits when its stdin closes, so it cannot outlive the benchmark. ``running_server`` does both ends.

Every ``POST /v1/chat/completions`` (whatever the body) gets the same ``text/event-stream``,
chunked, over a keep-alive connection. The body and its HTTP framing are built once at start-up
and written to the socket 64 KiB at a time, so serving costs almost nothing. Two framings:

* ``bulk`` (the default): 64 KiB HTTP chunks, several hundred events each, so ``raw`` does
  almost nothing per event and is the ceiling the targets are measured against.
* ``event``: one HTTP chunk per SSE event, as OpenAI and the other providers send them. Every
  reader, ``raw`` included, then pays httpx's per-chunk parsing (h11, ~15-20 µs per event here),
  which dwarfs the differences between readers.

Why hand-written asyncio and not uvicorn: measured against uvicorn (h11, a minimal ASGI app sending
the same 64 KiB pieces), both fed the ``raw`` reader at the same rate (~1.2M chunks/s best: the
client is the bottleneck), but this server spends half the CPU per stream (5 ms against 9 ms for
13 MB) and needs nothing beyond the standard library.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tests.benchmarks.child import child_process

HTTP_CHUNK = 64 * 1024
SEED = 4521

# Short tokens shaped like a support reply, and a sprinkling of non-ASCII ones (2-, 3- and 4-byte
# UTF-8), so a decoder that splits a character across reads gets its chance to fail.
_WORDS = (
    " the",
    " order",
    " refund",
    " is",
    " on",
    " its",
    " way",
    ",",
    ".",
    " we",
    " have",
    " shipped",
    " your",
    " package",
    " to",
    " Chicago",
    " and",
    " it",
    " should",
    " arrive",
    " by",
    " December",
    " 10",
    " Thanks",
    " for",
    " waiting",
    " Emily",
    " express",
    "\n",
)
_NON_ASCII = (" café", " Größe", " déjà", " заказ", " 配送", " ありがとう", " 👍", " naïve")


FRAMINGS = ("event", "bulk")


@dataclass(frozen=True)
class ChatStream:
    body: bytes  # the whole ``text/event-stream`` body, as the client reads it
    events: list[bytes]  # the body, event by event
    text: str  # the assistant's text: every content delta joined
    chunks: int  # content chunks, the unit of throughput


def build_stream(chunks: int, seed: int = SEED) -> ChatStream:
    """The same stream every time for a given ``chunks``: the client rebuilds it to verify."""
    rng = random.Random(seed)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    head = {
        "id": "chatcmpl-" + "".join(rng.choices(alphabet, k=29)),
        "object": "chat.completion.chunk",
        "created": 1765185240,
        "model": "gpt-4.1-2025-04-14",
        "system_fingerprint": "fp_" + "".join(rng.choices("0123456789abcdef", k=10)),
    }

    def event(choices: list[dict[str, Any]], **extra: Any) -> str:
        payload = json.dumps(
            {**head, "choices": choices, **extra}, ensure_ascii=False, separators=(",", ":")
        )
        return f"data: {payload}\n\n"

    def choice(delta: dict[str, str], finish_reason: str | None = None) -> dict[str, Any]:
        return {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}

    words = [rng.choice(_NON_ASCII if rng.random() < 0.05 else _WORDS) for _ in range(chunks)]
    events = [event([choice({"role": "assistant", "content": ""})])]
    events += [event([choice({"content": word})]) for word in words]
    events.append(event([choice({}, "stop")]))
    usage = {"prompt_tokens": 412, "completion_tokens": chunks, "total_tokens": 412 + chunks}
    events.append(event([], usage=usage))
    events.append("data: [DONE]\n\n")
    encoded = [e.encode() for e in events]
    return ChatStream(b"".join(encoded), encoded, "".join(words), chunks)


def chunked(stream: ChatStream, framing: str, size: int = HTTP_CHUNK) -> list[bytes]:
    """The body framed for ``transfer-encoding: chunked`` (RFC 9112 §7.1), in socket writes of
    about ``size`` bytes: one HTTP chunk per event, or per ``size`` bytes (``bulk``)."""
    body = stream.body
    if framing == "bulk":
        parts = [body[i : i + size] for i in range(0, len(body), size)]
    else:
        parts = stream.events
    wire = b"".join(b"%x\r\n%b\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"
    return [wire[i : i + size] for i in range(0, len(wire), size)]


_STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
    b"transfer-encoding: chunked\r\n\r\n"
)
_NOT_FOUND = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"


async def _handle(
    pieces: list[bytes], reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:  # keep-alive: one request after another on this connection
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                return  # the client closed the connection between requests
            request_line, *header_lines = head.decode("latin-1").split("\r\n")
            headers = dict(line.lower().split(":", 1) for line in header_lines if ":" in line)
            await reader.readexactly(int(headers.get("content-length", "0")))
            if request_line.startswith("POST /v1/chat/completions "):
                writer.write(_STREAM_HEAD)
                for piece in pieces:
                    writer.write(piece)
                    await writer.drain()
            else:
                writer.write(_NOT_FOUND)
                await writer.drain()
    except ConnectionError:
        return  # the client stopped reading early
    finally:
        writer.close()


async def serve(chunks: int, framing: str) -> None:
    pieces = chunked(build_stream(chunks), framing)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()

    def watch_stdin() -> None:
        sys.stdin.buffer.read()  # returns when the parent closes the pipe or dies
        loop.call_soon_threadsafe(stopped.set)

    server = await asyncio.start_server(
        lambda r, w: _handle(pieces, r, w), "127.0.0.1", 0, reuse_address=True
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    threading.Thread(target=watch_stdin, daemon=True).start()
    async with server:
        await stopped.wait()


@contextmanager
def running_server(chunks: int, framing: str = "bulk") -> Iterator[str]:
    """Start the server in a child process; yield its ``/v1`` base URL; stop it."""
    args = ("--chunks", str(chunks), "--framing", framing)
    with child_process("tests.benchmarks.sse_server", *args, stop_timeout_s=5) as port:
        if not port.isdigit():
            raise RuntimeError("the benchmark server did not start")
        yield f"http://127.0.0.1:{int(port)}/v1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=50_000)
    parser.add_argument("--framing", choices=FRAMINGS, default="bulk")
    args = parser.parse_args()
    asyncio.run(serve(args.chunks, args.framing))


if __name__ == "__main__":
    main()
