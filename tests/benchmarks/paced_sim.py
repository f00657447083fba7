"""The UI streaming benchmark's fixture: the simulator pacing every answer by tokens per second.

Run as its own process (``python -m tests.benchmarks.paced_sim --rate N``) so its CPU (the
pacing, the SSE encoding and uvicorn's h11, one event per streamed piece) never competes with the
measured UI process for the GIL; it prints its ``/v1`` base URL once it listens and stops when its
stdin closes, so it cannot outlive the benchmark. ``running_paced_simulator`` does both ends.

``SimConfig(ttft_ms=T, tokens_per_s=N)``: the first piece of an answer ``T`` ms after its request
arrived, then one piece (a word and its punctuation, ``app.sim.content.pieces``) every ``1/N`` s
per token it counts, on a schedule from the request's arrival (``app.sim.pacing``): a piece that
is late goes at once, so the rate holds on average as long as the simulator keeps up. The
answers are remembered by request (``sim_server.remembered``): the benchmark repeats a few
distinct requests many times, and writing one (tokenising a few hundred tokens, cutting them into
pieces) would otherwise take milliseconds of the simulator's only thread per answer.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tests.benchmarks.child import child_process
from tests.benchmarks.sim_server import remembered


@contextmanager
def running_paced_simulator(rate: float, ttft_ms: float) -> Iterator[str]:
    """Start the simulator at ``rate`` tokens/s, ``ttft_ms`` before each answer's first token,
    in a child process; yield its base URL; stop it."""
    args = ("--rate", str(rate), "--ttft-ms", str(ttft_ms))
    with child_process("tests.benchmarks.paced_sim", *args) as base_url:
        if not base_url.startswith("http://"):
            raise RuntimeError("the simulator did not start")
        yield base_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, required=True, help="tokens/s of every answer")
    parser.add_argument("--ttft-ms", type=float, default=0.0, help="before the first token")
    args = parser.parse_args()
    # Imported here: the parent process only needs ``running_paced_simulator``.
    from app.sim import api
    from app.sim.server import SimConfig, Simulator

    api.generate = remembered(api.generate)
    api.prompt_tokens = remembered(api.prompt_tokens)
    api.make_plan = remembered(api.make_plan)
    with Simulator(SimConfig(ttft_ms=args.ttft_ms, tokens_per_s=args.rate)) as simulator:
        print(simulator.base_url, flush=True)
        sys.stdin.read()  # returns when the parent closes the pipe or dies


if __name__ == "__main__":
    main()
