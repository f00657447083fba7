"""Starting and stopping: threads joined, stalled streams cut, Ctrl+C on ``serve`` is clean."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from app.sim.control import Fault
from app.sim.server import SimConfig, Simulator
from tests.sim.conftest import KEY, chat_body

ROOT = Path(__file__).resolve().parents[2]


def _sim_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "stepwise-simulator"]


def test_start_stop_is_idempotent_and_joins_the_thread() -> None:
    before = len(_sim_threads())
    simulator = Simulator(SimConfig(ttft_ms=0, tokens_per_s=0, api_key=None))
    simulator.stop()  # before start: nothing to do
    url = simulator.start()
    assert simulator.start() == url and url.startswith("http://127.0.0.1:") and url.endswith("/v1")
    assert len(_sim_threads()) == before + 1
    # api_key=None accepts requests without any Authorization header.
    assert httpx.post(f"{url}/chat/completions", json=chat_body()).status_code == 200
    simulator.stop()
    simulator.stop()
    assert len(_sim_threads()) == before
    with pytest.raises(RuntimeError):
        _ = simulator.base_url
    with simulator:  # a stopped simulator starts again, on a fresh port
        assert httpx.get(f"{simulator.base_url}/models").status_code == 200
    assert len(_sim_threads()) == before


def test_answers_are_paced() -> None:
    # Lower bounds only, timed from before the request: a loaded machine is slower, never faster.
    with Simulator(SimConfig(ttft_ms=150, tokens_per_s=400, api_key=None)) as simulator:
        url = f"{simulator.base_url}/chat/completions"
        started = time.monotonic()
        with httpx.stream("POST", url, json=chat_body(stream=True)) as response:
            arrivals = [time.monotonic() - started for line in response.iter_lines() if line]
    tokens = len(arrivals) - 3  # role, finish and [DONE] are not paced tokens
    assert arrivals[1] >= 0.15  # the first token waits for ttft_ms (sim-writer runs at 1x)
    assert arrivals[-1] >= 0.15 + (tokens - 1) / 400


@pytest.mark.asyncio
async def test_stop_cuts_stalled_and_paced_streams() -> None:
    # Slow enough that the paced stream is still running when stop() comes.
    simulator = Simulator(SimConfig(ttft_ms=0, tokens_per_s=20))
    simulator.start()
    simulator.inject(Fault("stall", after_tokens=1))
    headers = {"Authorization": f"Bearer {KEY}"}
    async with httpx.AsyncClient(base_url=simulator.base_url, headers=headers, timeout=30) as http:
        streams = [
            await http.send(
                http.build_request("POST", "/chat/completions", json=chat_body(stream=True)),
                stream=True,
            )
            for _ in range(2)
        ]
        lines = [response.aiter_lines() for response in streams]
        try:
            for stream_lines in lines:  # both are under way: the role chunk has arrived
                assert (await anext(stream_lines)).startswith("data: ")
            await asyncio.to_thread(simulator.stop)
            for stream_lines in lines:
                with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
                    async for _line in stream_lines:
                        pass
        finally:
            for response in streams:
                await response.aclose()
    assert not any(t.is_alive() for t in _sim_threads())


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child needs a POSIX platform")
def test_serve_prints_its_url_and_stops_cleanly_on_ctrl_c() -> None:
    code = (
        "from app.sim.server import serve, SimConfig; "
        "serve('127.0.0.1', 0, SimConfig(ttft_ms=0, tokens_per_s=0))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        line = process.stdout.readline().strip()
        url = line.removeprefix("Stepwise simulator on ").removesuffix(" (simulated)")
        assert line.startswith("Stepwise simulator on http://127.0.0.1:") and url.endswith("/v1")
        response = httpx.get(f"{url}/models", headers={"Authorization": f"Bearer {KEY}"})
        assert response.status_code == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert out == "" and err == ""
