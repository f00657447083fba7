"""How fast each client reads one long OpenAI chat stream, against a ceiling measured in the run.

    /work/venv/bin/python -m tests.benchmarks.stream_throughput [--chunks N] [--repeat N]
        [--only READER ...] [--no-check]

A child process (``sse_server``, a hand-written asyncio server: lighter than uvicorn) streams
``--chunks`` (50,000) ``chat.completion.chunk`` events over loopback HTTP/1.1 as fast as it can.
Each reader then reads the whole stream, ``--repeat`` (5) times, each time on a fresh plain asyncio
event loop with a fresh client, the readers taking turns so machine noise hits them alike:

- ``raw``: httpx ``aiter_raw()``, bytes only: the ceiling;
- ``httpx-sse``: httpx-sse events + ``json.loads`` + the content delta: the obvious baseline;
- ``openai-sdk``: the official SDK's streaming (reported unavailable without ``openai``);
- ``stepwise``: ``app.llm.client.LLMClient.stream``, keeping the ``TextChunk`` events.

Throughput is chunks/s over the wall time from sending the request to the last event; the table
gives the best and the median, ratios of the best to ``raw`` and to ``httpx-sse`` (machines are
shared and noisy: only ratios within one run mean anything), and the process CPU time per chunk,
the number to optimise. Every reader's output is checked against what the server sent. Targets:
``stepwise`` >= 0.25x ``raw`` and >= 2x ``httpx-sse``. Exit code 1 on a failed target (unless
``--no-check``) or on wrong output. To profile our client alone:

    /work/venv/bin/python -m cProfile -s cumtime -m tests.benchmarks.stream_throughput \\
        --only stepwise --no-check
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import AnyStr, cast

from tests.benchmarks.readers import READERS, OpenReader
from tests.benchmarks.sse_server import FRAMINGS, ChatStream, build_stream, running_server

TARGETS = (("stepwise", "raw", 0.25), ("stepwise", "httpx-sse", 2.0))


@dataclass
class Result:
    name: str
    walls: list[float] = field(default_factory=list)  # seconds per stream
    cpus: list[float] = field(default_factory=list)  # process CPU seconds per stream
    error: str | None = None  # the reader could not run: its runs are dropped
    mismatch: str | None = None  # it ran, but read something other than what was sent


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    pieces: list[str] | list[bytes]


async def _read_once(open_reader: OpenReader, base_url: str) -> Sample:
    async with open_reader(base_url) as fetch:
        gc.collect()  # start every run with the same heap, not the last run's garbage
        cpu, wall = time.process_time(), time.perf_counter()
        pieces = await fetch()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return Sample(wall, cpu, pieces)


def _difference(name: str, pieces: list[str] | list[bytes], stream: ChatStream) -> str | None:
    """Where ``pieces`` differ from what the server sent, or None when they match."""
    if name == "raw":
        return _first_difference(b"".join(cast("list[bytes]", pieces)), stream.body)
    return _first_difference("".join(cast("list[str]", pieces)), stream.text)


def _first_difference(got: AnyStr, want: AnyStr) -> str | None:
    if got == want:
        return None
    at = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), len(got))
    return (
        f"{len(got)} instead of {len(want)} long, first difference at {at}: {got[at : at + 40]!r}"
    )


def _run_round(results: list[Result], base_url: str, stream: ChatStream) -> None:
    for result in results:
        if result.error:
            continue
        try:
            sample = asyncio.run(_read_once(READERS[result.name], base_url))
        except Exception as err:
            result.error = f"{type(err).__name__}: {err}"
            continue
        result.mismatch = result.mismatch or _difference(result.name, sample.pieces, stream)
        result.walls.append(sample.wall)
        result.cpus.append(sample.cpu)


def _best(results: dict[str, Result], name: str, chunks: int) -> float | None:
    result = results.get(name)
    if result is None or result.error or result.mismatch or not result.walls:
        return None
    return chunks / min(result.walls)


def _ratio(results: dict[str, Result], name: str, base: str, chunks: int) -> float | None:
    value, baseline = _best(results, name, chunks), _best(results, base, chunks)
    return None if value is None or baseline is None else value / baseline


def _print_table(results: dict[str, Result], chunks: int) -> None:
    print(
        f"{'reader':<11} {'best/s':>9} {'median/s':>9} {'x raw':>6} {'x httpx-sse':>11}"
        f" {'CPU us/chunk best':>17} {'median':>6}"
    )
    for name, result in results.items():
        if result.error:
            print(f"{name:<11} unavailable: {result.error}")
            continue
        ratios = [_ratio(results, name, base, chunks) for base in ("raw", "httpx-sse")]
        raw_x, sse_x = (f"{r:.2f}" if r is not None else "-" for r in ratios)
        cpu_us = [cpu / chunks * 1e6 for cpu in result.cpus]
        print(
            f"{name:<11} {chunks / min(result.walls):>9,.0f}"
            f" {chunks / statistics.median(result.walls):>9,.0f} {raw_x:>6} {sse_x:>11}"
            f" {min(cpu_us):>17.2f} {statistics.median(cpu_us):>6.2f}"
        )
        if result.mismatch:
            print(f"  !!! MISMATCH: {name} read the wrong text: {result.mismatch}")


def _check_targets(results: dict[str, Result], chunks: int) -> bool:
    passed = True
    for name, base, target in TARGETS:
        ratio = _ratio(results, name, base, chunks)
        ok = ratio is not None and ratio >= target
        passed = passed and ok
        got = f"{ratio:.2f}x" if ratio is not None else "not measured"
        print(f"{'PASS' if ok else 'FAIL'}: {name} >= {target}x {base} (got {got})")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=50_000, help="content chunks per stream")
    parser.add_argument("--repeat", type=int, default=5, help="runs per reader")
    parser.add_argument("--only", nargs="+", choices=list(READERS), help="run these readers")
    parser.add_argument("--no-check", action="store_true", help="do not enforce the targets")
    parser.add_argument(
        "--framing",
        choices=FRAMINGS,
        default="bulk",
        help="64 KiB HTTP chunks (default: raw is then the ceiling), or one per SSE event",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    stream = build_stream(args.chunks)
    results = [Result(name) for name in READERS if not args.only or name in args.only]
    print(
        f"{args.chunks:,} chunks ({len(stream.body) / 1e6:.1f} MB) x {args.repeat} runs,"
        f" {args.framing} framing, Python {sys.version.split()[0]}"
    )
    with running_server(args.chunks, args.framing) as base_url:
        for _ in range(args.repeat):
            _run_round(results, base_url, stream)
    by_name = {result.name: result for result in results}
    _print_table(by_name, args.chunks)
    correct = not any(result.mismatch for result in results)
    met = args.no_check or _check_targets(by_name, args.chunks)
    print(f"took {time.perf_counter() - started:.1f} s")
    return 0 if correct and met else 1


if __name__ == "__main__":
    sys.exit(main())
