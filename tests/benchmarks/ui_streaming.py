"""Streaming into the four step panels at once: main-loop stalls, paints, last token → on screen.

    /work/venv/bin/python -m tests.benchmarks.ui_streaming [--seconds N] [--rate N]
        [--naive-seconds N] [--skip-naive] [--no-check] [--profile N]

A child process (``paced_sim``) runs the simulator, pacing its answers at ``--rate`` (3,000)
tokens/s. In this process, on the app's qasync loop (``ui.loop.StepwiseLoop``) with the app's
theme and garbage-collection timer, four panels stream at once: each its own stream of
consecutive simulator answers through our ``LLMClient``, until it has ``rate x seconds`` tokens
(``--seconds``, 20; ``ui_load``). Two designs take the same load, one after the other:

* **real**: ``ui.bridge.PipelineBridge`` iterating the load as a workspace's ``run()`` (text
  coalesced per step, flushed at most once per 16 ms frame), wired to ``ui.steps_pane.StepsPane``
  as ``MainWindow`` wires it (``StepPanel.append_text`` → ``StreamView.append``), in a shown
  450 px column tall enough for all four panels.
* **naive**: the same events straight into four ``QTextEdit``s, each delta inserted and the view
  repainted at once (``ui_probes.NaivePanel``), token by token as the simulator sent them. It
  handles ~200 tokens/s per panel here, so it gets ``--naive-seconds`` (1) of the load, which
  takes it ~17 s.

Measured (``ui_results``, ``ui_probes``) from the run's start to the moment the last panel had
its whole text on screen: the gaps between the ticks of a 1 ms precise timer on the main thread
(max and p99: the main-loop stalls), the paint events of the panels' text views, and per panel
the time from its last ``TextDelta`` handed to the bridge (or to the naive panel) to the first
tick after the first paint showing its whole text scrolled to its end; and how long after the
simulator was due to send a panel's last token that token was handed on (``behind``: a design
that does not keep up falls seconds behind). Every panel's text is
compared with what the simulator was asked to say. Targets for the real design: max stall
<= 50 ms, p99 <= 16 ms, last token → rendered <= 100 ms; exit code 1 when one fails (unless
``--no-check``) or a panel's text is wrong. ``--profile N`` profiles the real design's run (wall
clock) and prints the top N functions.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import sys
import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from app.llm.client import LLMClient
from app.pipeline.events import RunFinished, TextDelta
from app.pipeline.steps import STEPS
from app.sim.content import pieces
from tests.benchmarks.child import ROOT
from tests.benchmarks.paced_sim import running_paced_simulator
from tests.benchmarks.ui_load import (
    LEAD_S,
    MODEL,
    TICKET_ID,
    LoadWorkspace,
    make_loads,
    pacing_ratio,
    warm_up,
)
from tests.benchmarks.ui_probes import Ticks, naive_window, real_window
from tests.benchmarks.ui_results import Measurement, Result, check, print_report
from ui.bridge import PipelineBridge
from ui.gc_guard import GuiThreadCollector
from ui.loop import StepwiseLoop
from ui.theme import apply_theme

KEY = "sim-key"
NAIVE_SECONDS = 1.0  # of the load for the naive design: ~17 s of its time
QUIET = ("This plugin does not support propagateSizeHints()",)  # the offscreen platform's, harmless
PRODUCT = "|".join((str(ROOT / "ui"), str(ROOT / "app")))  # the product's own, in a profile


@dataclass(frozen=True)
class Bench:
    client: LLMClient
    ticks: Ticks
    sim_rate: float  # the simulator's tokens_per_s, in its own tokens (ui_load.pacing_ratio)


async def measure_real(
    bench: Bench, seconds: float, rate: float, profiler: cProfile.Profile | None
) -> tuple[Result, list[float], int]:
    """The real design; also returns an idle second's tick gaps and the text views' height."""
    loads = make_loads(rate, seconds)
    window, pane = real_window(STEPS)
    bridge = PipelineBridge(LoadWorkspace(bench.client, loads, bench.sim_rate), window)  # type: ignore[arg-type]
    # As MainWindow._connect and its slots wire them (the reply editor aside).
    bridge.stepStarted.connect(pane.start)
    bridge.textAppended.connect(pane.append_text)
    bridge.stepFinished.connect(pane.finish)
    bridge.runningChanged.connect(lambda running: pane.set_idle(not running))
    outcome: list[RunFinished] = []
    bridge.runFinished.connect(outcome.append)
    stopped: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    bridge.runningChanged.connect(
        lambda running: None if running or stopped.done() else stopped.set_result(None)
    )
    pane.reset({load.step: MODEL for load in loads})
    window.show()
    await asyncio.sleep(0.2)  # laid out and painted once
    measurement = Measurement("real", loads, bench.ticks)
    streams = {step: panel.output for step, panel in pane.panels.items()}
    # A text step's panel may swap its stream view for the answer rendered from markdown once
    # done (``StepPanel.rendered``, short answers only): its first paint counts too.
    finals = {step: panel.rendered for step, panel in pane.panels.items() if _renders(panel)}
    idle = await measurement.begin(streams, finals)
    if profiler is not None:
        profiler.enable()
    bridge.start(TICKET_ID, fresh=True)
    await stopped  # the bridge's task is over: RunFinished was handled
    await measurement.wait_rendered()
    if profiler is not None:
        profiler.disable()
    if not outcome or not outcome[0].ok:
        raise RuntimeError(f"the real design's run failed: {outcome}")
    result = measurement.result(lambda step: pane.panels[step].text())
    height = next(iter(pane.panels.values())).output.height()
    await _close(window)
    return result, idle, height


def _renders(panel: Any) -> bool:
    return getattr(panel, "rendered", None) is not None and getattr(panel, "markdown", False)


async def measure_naive(bench: Bench, seconds: float, rate: float, height: int) -> Result:
    loads = make_loads(rate, seconds)
    workspace = LoadWorkspace(bench.client, loads, bench.sim_rate)
    window, panels = naive_window([load.step for load in loads], height)
    window.show()
    await asyncio.sleep(0.2)
    measurement = Measurement("naive", loads, bench.ticks)
    await measurement.begin(panels)
    async for event in workspace.run(TICKET_ID, use_cache=False):
        if isinstance(event, TextDelta):
            # Per token, as the simulator sent them: our client hands on a whole read at once.
            for piece in pieces(event.text):
                panels[event.step].append_now(piece)
    await measurement.wait_rendered()
    result = measurement.result(lambda step: panels[step].toPlainText())
    await _close(window)
    return result


async def _close(window: Any) -> None:
    window.close()
    window.deleteLater()
    await asyncio.sleep(0.2)


async def measure(
    base_url: str, args: argparse.Namespace, sim_rate: float, profiler: cProfile.Profile | None
) -> tuple[list[float], list[Result]]:
    bench = Bench(LLMClient(base_url, lambda: KEY), Ticks(), sim_rate)
    bench.ticks.start()
    try:
        await warm_up(bench.client, make_loads(args.rate, args.seconds))
        real, idle, height = await measure_real(bench, args.seconds, args.rate, profiler)
        results = [real]
        if not args.skip_naive:
            gc.collect()
            results.append(await measure_naive(bench, args.naive_seconds, args.rate, height))
        return idle, results
    finally:
        bench.ticks.stop()
        await bench.client.aclose()


def print_profile(profiler: cProfile.Profile, top: int) -> None:
    stats = pstats.Stats(profiler, stream=sys.stdout)
    for order, only in (("cumulative", ""), ("tottime", ""), ("cumulative", PRODUCT)):
        print(f"--- real design: top {top} by {order}{', ui/ and app/ only' if only else ''} ---")
        stats.sort_stats(order).print_stats(only, top)


def _quiet_qt() -> None:
    def handler(kind: QtMsgType, context: Any, message: str) -> None:
        if message not in QUIET:
            print(f"Qt {kind.name}: {message}", file=sys.stderr)

    qInstallMessageHandler(handler)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="of streaming per panel")
    parser.add_argument("--rate", type=float, default=3000.0, help="tokens/s per panel")
    parser.add_argument(
        "--naive-seconds",
        type=float,
        default=NAIVE_SECONDS,
        help=f"of the load for the naive design (default {NAIVE_SECONDS:g})",
    )
    parser.add_argument("--skip-naive", action="store_true", help="measure the real design only")
    parser.add_argument("--no-check", action="store_true", help="do not enforce the targets")
    parser.add_argument(
        "--profile", type=int, metavar="N", help="profile the real design; print the top N"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    sim_rate = args.rate * pacing_ratio(make_loads(args.rate, args.seconds))
    naive = "" if args.skip_naive else f", naive {args.naive_seconds:g} s"
    print(
        f"4 panels x {args.rate:,.0f} tokens/s: real {args.seconds:g} s{naive};"
        f" Python {sys.version.split()[0]}, Qt platform {os.environ['QT_QPA_PLATFORM']},"
        f" load average {os.getloadavg()[0]:.2f}"
    )
    _quiet_qt()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # as ui.app.run_gui: closing a window ends no loop
    apply_theme(app)
    loop = StepwiseLoop(app)
    asyncio.set_event_loop(loop)
    collector = GuiThreadCollector(app)  # as ui.app.run_gui: collections on the GUI thread
    collector.start()
    profiler = cProfile.Profile() if args.profile else None
    try:
        with running_paced_simulator(sim_rate, LEAD_S * 1000) as base_url:
            idle, results = loop.run_until_complete(measure(base_url, args, sim_rate, profiler))
    finally:
        collector.stop()
        asyncio.set_event_loop(None)
        loop.close()
    print_report(idle, results, args.rate, sim_rate)
    met, texts_ok = check(results)
    if profiler is not None:
        print_profile(profiler, args.profile)
    print(f"took {time.perf_counter() - started:.1f} s")
    return 0 if texts_ok and (met or args.no_check) else 1


if __name__ == "__main__":
    sys.exit(main())
