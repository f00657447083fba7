"""The pipeline benchmark's fixture: the simulator with fixed, scripted latencies per step.

Run as its own process (``python -m tests.benchmarks.sim_server``) so its CPU never competes with
the measured pipeline for the GIL; it prints its ``/v1`` base URL on stdout once it listens and
stops when its stdin closes, so it cannot outlive the benchmark. ``running_simulator`` does both
ends. Every response for a step takes exactly ``STEP_MS[step]`` from the request's arrival to
its last byte (``SimConfig.step_ms``), streamed or not, whatever its length.

The simulator's answers are remembered by request: writing one is 4-6 ms of Python on the
simulator's only thread (reading the ticket, counting tokens, cutting the answer into pieces), and
a request arriving meanwhile (retrieval's, sent with intent's) is not even read until it is done,
so its scripted clock would start late. A benchmark repeats the same run, so after the warm-up
every request is answered from memory and the simulator's clock is the script's.
``--no-memo`` writes every answer afresh.

``app.sim.server.bind`` switches Nagle's algorithm off (``TCP_NODELAY`` on the listening socket,
which accepted sockets inherit on Linux and macOS); ``--nagle`` switches it back on, to see what it
cost: on a keep-alive connection a response written in two pieces (headers, then body) waits for
the client's delayed ACK, about 40 ms on Linux loopback, at the end of every non-streamed answer
after a connection's first.
"""

from __future__ import annotations

import argparse
import functools
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson

from tests.benchmarks.child import child_process

# Intent and the retrieval planner are both short JSON answers from fast models, so they are
# scripted alike; reasoning is the longest call. The ratio to the naive design is bounded by the
# script alone: (400 + 600 + 400) / 1800 = 0.78 with no overhead at all.
STEP_MS: dict[str, float] = {"intent": 400, "retrieval": 400, "reasoning": 600, "reply": 400}
START_TIMEOUT_S = 30.0


@contextmanager
def running_simulator(nagle: bool = False, memo: bool = True) -> Iterator[str]:
    """Start the simulator in a child process; yield its ``/v1`` base URL; stop it."""
    args = ["--nagle"] * nagle + ["--no-memo"] * (not memo)
    with child_process("tests.benchmarks.sim_server", *args) as base_url:
        if not base_url.startswith("http://"):
            raise RuntimeError("the simulator did not start")
        yield base_url


def remembered(answer: Callable[..., Any]) -> Callable[..., Any]:
    """``answer`` (a pure function of JSON-able arguments), computed once per distinct call."""
    done: dict[bytes, Any] = {}

    @functools.wraps(answer)
    def wrapper(*args: Any) -> Any:
        key = orjson.dumps(args, default=repr, option=orjson.OPT_SORT_KEYS)
        if key not in done:
            done[key] = answer(*args)
        return done[key]

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nagle", action="store_true", help="switch Nagle's algorithm on")
    parser.add_argument("--no-memo", action="store_true", help="write every answer afresh")
    args = parser.parse_args()
    # Imported here: the parent process only needs ``running_simulator``.
    from app.sim import api, server
    from app.sim.server import SimConfig, Simulator

    if not args.no_memo:
        # Each is pure: the answer to a body; the prompt's tokens; the answer's pieces and pace,
        # which also depend on the fault the request met (always none here).
        api.generate = remembered(api.generate)
        api.prompt_tokens = remembered(api.prompt_tokens)
        api.make_plan = remembered(api.make_plan)

    if args.nagle:
        bind = server.bind

        def bind_with_nagle(host: str, port: int) -> socket.socket:
            sock = bind(host, port)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
            return sock

        server.bind = bind_with_nagle

    config = SimConfig(ttft_ms=0, tokens_per_s=0, step_ms=dict(STEP_MS))
    with Simulator(config) as simulator:
        print(simulator.base_url, flush=True)
        sys.stdin.read()  # returns when the parent closes the pipe or dies


if __name__ == "__main__":
    main()
