"""What the pipeline engine adds to a run beyond its model calls, against the naive design.

    /work/venv/bin/python -m tests.benchmarks.pipeline_overhead [--runs N] [--no-check]
        [--profile N] [--nagle] [--no-memo]

A child process (``sim_server``) runs the simulator with scripted latencies: every answer for a
step takes ``STEP_MS[step]`` (intent 400 ms, retrieval 400, reasoning 600, reply 400) from the
request's arrival to its last byte. The measured process runs ``app.pipeline.runner.Runner`` on
demo ticket T-1001 ``--runs`` (50) times on one asyncio loop, ``use_cache=False``, with one pooled
``LLMClient`` and a temporary seeded SQLite store; every run must finish ok with its four steps
called once each (no skip, retry, fallback or repair). Its end-to-end time is from calling
``run()`` to receiving ``RunFinished``.

The scripted critical path is the longest path through the steps' declared dependencies
(``StepSpec.needs``: before the call starts; ``joins``: before the answer is used) with the
scripted durations: max(400, 400) + 600 + 400 = 1400 ms today. The pipeline's overhead is
end-to-end minus that. Alternating with the pipeline runs, the baseline makes the same four calls
(the messages a pipeline run recorded, the ``demo_routes()`` models) one after the other with a
blocking ``httpx.Client`` and ``stream=False``: the naive design, 1800 ms of script.

The simulator's clock starts when a request arrives, but a call still costs a few ms beyond its
script that no client can avoid: the request's way through httpx, the socket and the
simulator's HTTP server before the clock starts, its timer waking up to a millisecond late, the
last bytes' way back. That time is in the end-to-end figures, and so in the overhead as the issue
defines it (end-to-end minus the script). To tell it from the pipeline's own, a third design runs
in turn with the other two: the floor, the same streamed requests (the bytes a pipeline run sent)
in the same order and overlap as the pipeline's (each call starts when what it ``needs`` is done)
from a bare ``httpx.AsyncClient`` that reads each body to its end and does nothing else. The
pipeline's own overhead is its end-to-end minus the floor's, run by run (the runs alternate, so
each pipeline run is paired with the floor run after it). The table also gives, per step, when
each step starts after what it needs, how late it finishes after its scripted end, and the time
from the last step to ``RunFinished``.

Targets: the pipeline's own overhead (over the floor) median <= 5 ms; pipeline median <= 0.8x
the naive median. The overhead over the script is reported beside it. Exit code 1 on a failed
target (unless ``--no-check``) or a run that did not go as scripted. ``--profile N``
profiles the pipeline runs alone (cProfile counting CPU time, which inflates the timings) and
prints the top N functions by cumulative and by own time, then the app's own by cumulative.
``--nagle`` switches Nagle's algorithm on in the simulator (see ``sim_server``): every
non-streamed answer after a connection's first then waits ~40 ms for a delayed ACK. ``--no-memo``
has the simulator write every answer afresh.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson

from app.config import Settings, demo_routes
from app.llm.chat import ChatRequest
from app.llm.client import LLMClient
from app.llm.openai_compat import OpenAIAdapter
from app.pipeline.events import (
    PolicyFlag,
    ReasoningDelta,
    RunFinished,
    StepBudget,
    StepFinished,
    StepStarted,
    TextDelta,
)
from app.pipeline.runner import Runner
from app.pipeline.steps import STEPS, StepSpec
from app.store import Store, seed_demo
from tests.benchmarks.child import ROOT
from tests.benchmarks.sim_server import STEP_MS, running_simulator

APP = str(ROOT / "app")  # the app's own functions, in a profile
TICKET = "T-1001"
KEY = "sim-key"
TARGET_OVERHEAD_MS = 5.0  # median of end-to-end minus the scripted critical path
TARGET_RATIO = 0.8  # pipeline median / naive median
# What a clean run yields besides StepStarted/StepFinished/RunFinished. Anything else (a skip, a
# wait for a retry or a budget, a fallback, a repair, a failure) is not the scripted run.
_PASSING_EVENTS = (TextDelta, ReasoningDelta, StepBudget, PolicyFlag)


class OffScript(Exception):
    """A run did not go as scripted: its timing would not mean what the table says."""


def scripted_finish_ms(steps: Sequence[StepSpec], step_ms: dict[str, float]) -> dict[str, float]:
    """When each step is done at the earliest, from the declarations: its call starts when its
    ``needs`` are done and takes ``step_ms``; its answer is used once its ``joins`` are done."""
    by_name = {spec.name: spec for spec in steps}
    finish: dict[str, float] = {}

    def done(name: str) -> float:
        if name not in finish:
            spec = by_name[name]
            start = max((done(need) for need in spec.needs), default=0.0)
            finish[name] = max([start + step_ms[name], *(done(join) for join in spec.joins)])
        return finish[name]

    for spec in steps:
        done(spec.name)
    return finish


def critical_calls(steps: Sequence[StepSpec], step_ms: dict[str, float]) -> list[str]:
    """The steps whose calls make up the critical path, first to last."""
    by_name = {spec.name: spec for spec in steps}
    finish = scripted_finish_ms(steps, step_ms)
    calls: list[str] = []
    name: str | None = max(finish, key=finish.__getitem__)
    while name is not None:
        spec = by_name[name]
        start = max((finish[need] for need in spec.needs), default=0.0)
        if finish[name] == start + step_ms[name]:  # its own call ends last: it is on the path
            calls.append(name)
            name = max(spec.needs, key=finish.__getitem__) if spec.needs else None
        else:  # a step it joins ends last: the path goes through that one
            name = max(spec.joins, key=finish.__getitem__)
    return calls[::-1]


@dataclass(frozen=True)
class PipelineSample:
    run_id: str
    wall_ms: float  # run() called → RunFinished received
    cpu_ms: float  # this process's CPU time over the same span
    tail_ms: float  # the last StepFinished → RunFinished
    wait_ms: dict[str, float]  # step → from what it needs being done (or run()) to StepStarted
    late_ms: dict[str, float]  # step → StepFinished after its scripted earliest


@dataclass(frozen=True)
class NaiveSample:
    wall_ms: float
    over_ms: list[float]  # per call: wall time minus its scripted duration


def _since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


async def pipeline_once(runner: Runner, store: Store, steps: Sequence[StepSpec]) -> PipelineSample:
    ticket = store.ticket(TICKET)
    started: dict[str, float] = {}
    finished: dict[str, float] = {}
    end: RunFinished | None = None
    end_at = 0.0
    cpu, start = time.process_time(), time.perf_counter()
    async for event in runner.run(ticket, use_cache=False):
        now = _since(start)
        if isinstance(event, StepStarted):
            started[event.step] = now
        elif isinstance(event, StepFinished):
            finished[event.step] = now
        elif isinstance(event, RunFinished):
            end, end_at = event, now  # what the agent waits for; the record is written after
        elif not isinstance(event, _PASSING_EVENTS):
            raise OffScript(f"the pipeline run yielded {event!r}")
    cpu = (time.process_time() - cpu) * 1000
    if end is None or not end.ok:
        raise OffScript(f"the pipeline run did not finish ok: {end!r}")
    missing = [spec.name for spec in steps if spec.name not in finished]
    if missing:
        raise OffScript(f"the pipeline run did not finish {missing}")
    wait, late = {}, {}
    for spec in steps:
        ready = max((finished[need] for need in spec.needs), default=0.0)
        wait[spec.name] = started[spec.name] - ready
        earliest = started[spec.name] + STEP_MS[spec.name]
        late[spec.name] = finished[spec.name] - max([earliest, *(finished[j] for j in spec.joins)])
    return PipelineSample(end.run_id, end_at, cpu, end_at - max(finished.values()), wait, late)


def naive_calls(record: dict[str, Any], steps: Sequence[StepSpec]) -> list[dict[str, Any]]:
    """The request bodies of the four calls a pipeline run made, non-streamed."""
    messages = {step["step"]: step["messages_json"] for step in record["steps"]}
    routes = demo_routes()
    calls = []
    for spec in steps:
        route = routes[spec.name]
        body: dict[str, Any] = {
            "model": route.model,
            "messages": messages[spec.name],
            "max_tokens": route.max_tokens,
            "temperature": route.temperature,
            "stream": False,
        }
        if spec.output == "json":
            body["response_format"] = {"type": "json_object"}
        calls.append(body)
    return calls


def floor_bodies(record: dict[str, Any]) -> dict[str, bytes]:
    """The request bodies a pipeline run sent, step by step, as bytes."""
    return {step["step"]: orjson.dumps(step_request(step)) for step in record["steps"]}


def step_request(step: dict[str, Any]) -> dict[str, Any]:
    """The body the pipeline's client sends for a recorded step (``OpenAIAdapter.body``)."""
    route = demo_routes()[step["step"]]
    request = ChatRequest(
        step["model"],
        step["messages_json"],
        route.temperature,
        route.max_tokens,
        json_output=next(s for s in STEPS if s.name == step["step"]).output == "json",
    )
    return OpenAIAdapter().body(request)


async def floor_once(
    http: httpx.AsyncClient, bodies: dict[str, bytes], steps: Sequence[StepSpec]
) -> float:
    """The same calls as a pipeline run, overlapping as its steps' declarations allow, each body
    read to its end and nothing else done: the end-to-end time no client on httpx can beat."""
    done = {spec.name: asyncio.Event() for spec in steps}

    async def step(spec: StepSpec) -> None:
        for need in spec.needs:
            await done[need].wait()
        async with http.stream("POST", "chat/completions", content=bodies[spec.name]) as response:
            if response.status_code != 200:
                raise OffScript(f"the floor's {spec.name} call answered {response.status_code}")
            async for _ in response.aiter_raw():
                pass
        for join in spec.joins:
            await done[join].wait()
        done[spec.name].set()

    start = time.perf_counter()
    await asyncio.gather(*(step(spec) for spec in steps))
    return _since(start)


def naive_once(http: httpx.Client, calls: list[dict[str, Any]]) -> NaiveSample:
    over = []
    start = time.perf_counter()
    for spec, body in zip(STEPS, calls, strict=True):
        call_start = time.perf_counter()
        response = http.post("chat/completions", json=body)
        if response.status_code != 200:
            raise OffScript(f"the naive {spec.name} call answered {response.status_code}")
        if not response.json()["choices"][0]["message"]["content"]:
            raise OffScript(f"the naive {spec.name} call answered no text")
        over.append(_since(call_start) - STEP_MS[spec.name])
    return NaiveSample(_since(start), over)


@contextmanager
def _profiling(profiler: cProfile.Profile | None) -> Iterator[None]:
    if profiler is not None:
        profiler.enable()
    try:
        yield
    finally:
        if profiler is not None:
            profiler.disable()


@dataclass(frozen=True)
class Samples:
    pipeline: list[PipelineSample]
    floor_ms: list[float]  # end-to-end, paired with the pipeline's run by run
    naive: list[NaiveSample]


async def measure(base_url: str, runs: int, profiler: cProfile.Profile | None) -> Samples:
    """One warm-up of each design, then ``runs`` of each, taking turns."""
    samples = Samples([], [], [])
    headers = {"Authorization": f"Bearer {KEY}"}
    with tempfile.TemporaryDirectory(prefix="stepwise-bench-") as folder:
        store = Store.open(Path(folder) / "bench.db")
        client = LLMClient(base_url, lambda: KEY)
        bare = httpx.AsyncClient(base_url=base_url + "/", headers=headers, timeout=30)
        http = httpx.Client(base_url=base_url + "/", headers=headers, timeout=30)
        try:
            seed_demo(store)
            settings = Settings.single(base_url, "bench", routes=demo_routes())
            runner = Runner(store, lambda step: client, settings)
            warm = store.run((await pipeline_once(runner, store, STEPS)).run_id)
            bodies, calls = floor_bodies(warm), naive_calls(warm, STEPS)
            await floor_once(bare, bodies, STEPS)
            naive_once(http, calls)
            for _ in range(runs):
                gc.collect()  # every run starts with the same heap, not the last run's garbage
                with _profiling(profiler):
                    samples.pipeline.append(await pipeline_once(runner, store, STEPS))
                gc.collect()
                samples.floor_ms.append(await floor_once(bare, bodies, STEPS))
                gc.collect()
                # Blocking the loop on purpose: the naive design has none, and nothing else runs.
                samples.naive.append(naive_once(http, calls))
        finally:
            http.close()
            await bare.aclose()
            await client.aclose()
            store.close()
    return samples


def p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def _row(name: str, values: Sequence[float]) -> str:
    return (
        f"{name:<38} {statistics.median(values):>8.1f} {p95(values):>8.1f}"
        f" {min(values):>8.1f} {max(values):>8.1f}"
    )


def _describe_steps(steps: Sequence[StepSpec]) -> str:
    """``intent 300, retrieval 250 (joins intent), ...``: the script and the declarations."""
    parts = []
    for spec in steps:
        waits = [f"needs {', '.join(spec.needs)}"] if spec.needs else []
        waits += [f"joins {', '.join(spec.joins)}"] if spec.joins else []
        parts.append(
            f"{spec.name} {STEP_MS[spec.name]:g}" + (f" ({'; '.join(waits)})" * bool(waits))
        )
    return ", ".join(parts)


def print_report(samples: Samples, critical_ms: float) -> tuple[float, float]:
    """Print the table; return the pipeline's own overhead median and the pipeline/naive
    ratio."""
    pipeline, naive = samples.pipeline, samples.naive
    walls = [s.wall_ms for s in pipeline]
    own = [wall - floor for wall, floor in zip(walls, samples.floor_ms, strict=True)]
    naive_walls = [s.wall_ms for s in naive]
    ratio = statistics.median(walls) / statistics.median(naive_walls)
    names = [spec.name for spec in STEPS]
    naive_over = {
        name: statistics.median(s.over_ms[i] for s in naive) for i, name in enumerate(names)
    }
    print(f"{'ms':<38} {'median':>8} {'p95':>8} {'min':>8} {'max':>8}")
    print(_row("pipeline end-to-end", walls))
    print(_row("floor end-to-end (bare httpx)", samples.floor_ms))
    print(_row("naive end-to-end", naive_walls))
    print(
        _row(
            f"pipeline overhead (end-to-end - {critical_ms:.0f})", [w - critical_ms for w in walls]
        )
    )
    print(
        _row(
            f"floor overhead (end-to-end - {critical_ms:.0f})",
            [f - critical_ms for f in samples.floor_ms],
        )
    )
    print(_row("pipeline's own overhead (- floor)", own))
    print(_row("pipeline CPU time per run", [s.cpu_ms for s in pipeline]))
    print(f"pipeline / naive (medians): {ratio:.3f}x")
    print("where the pipeline's time goes (medians, ms):")
    print(f"  {'step':<10} {'ready->StepStarted':>18} {'late':>6} {'naive call over script':>23}")
    for name in names:
        wait = statistics.median(s.wait_ms[name] for s in pipeline)
        late = statistics.median(s.late_ms[name] for s in pipeline)
        print(f"  {name:<10} {wait:>18.2f} {late:>6.2f} {naive_over[name]:>23.2f}")
    tail = statistics.median(s.tail_ms for s in pipeline)
    print(f"  last StepFinished -> RunFinished: {tail:.2f}")
    print(
        "  ready: run() called, or what the step needs finished; late: StepFinished after its\n"
        "  call's scripted end (or the end of a step it joins), the simulator's time included"
    )
    return statistics.median(own), ratio


def check_targets(overhead_ms: float, ratio: float) -> bool:
    checks = (
        (
            overhead_ms <= TARGET_OVERHEAD_MS,
            f"the pipeline's own overhead median <= {TARGET_OVERHEAD_MS:g} ms",
            f"{overhead_ms:.1f} ms",
        ),
        (ratio <= TARGET_RATIO, f"pipeline <= {TARGET_RATIO:g}x naive", f"{ratio:.3f}x"),
    )
    for ok, target, got in checks:
        print(f"{'PASS' if ok else 'FAIL'}: {target} (got {got})")
    return all(ok for ok, _, _ in checks)


def print_profile(profiler: cProfile.Profile, top: int) -> None:
    """The top functions of the pipeline runs by cumulative and own time, then ours alone."""
    stats = pstats.Stats(profiler, stream=sys.stdout)
    for order, only in (("cumulative", ""), ("tottime", ""), ("cumulative", APP)):
        print(f"--- pipeline runs: top {top} by {order}{f', {APP} only' if only else ''} ---")
        stats.sort_stats(order).print_stats(only, top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="runs of each design")
    parser.add_argument("--no-check", action="store_true", help="do not enforce the targets")
    parser.add_argument(
        "--profile", type=int, metavar="N", help="profile the pipeline runs; print the top N"
    )
    parser.add_argument(
        "--nagle", action="store_true", help="switch Nagle's algorithm on in the simulator"
    )
    parser.add_argument(
        "--no-memo", action="store_true", help="the simulator writes every answer afresh"
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    critical = max(scripted_finish_ms(STEPS, STEP_MS).values())
    naive_floor = sum(STEP_MS[spec.name] for spec in STEPS)
    print(f"ticket {TICKET}, {args.runs} runs per design, Python {sys.version.split()[0]}")
    print(f"script (ms): {_describe_steps(STEPS)}")
    print(
        f"critical path {critical:g} ms ({' -> '.join(critical_calls(STEPS, STEP_MS))}),"
        f" naive {naive_floor:g} ms: {critical / naive_floor:.3f}x with no overhead at all"
    )
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    try:
        with running_simulator(args.nagle, memo=not args.no_memo) as base_url:
            samples = asyncio.run(measure(base_url, args.runs, profiler))
    except OffScript as err:
        print(f"!!! OFF SCRIPT: {err}")
        return 1
    overhead, ratio = print_report(samples, critical)
    met = args.no_check or check_targets(overhead, ratio)
    if profiler is not None:
        print_profile(profiler, args.profile)
    print(f"took {time.perf_counter() - started:.1f} s")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
