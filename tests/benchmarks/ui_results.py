"""The UI streaming benchmark's figures: one design's run measured, the table, the targets.

``Measurement`` watches one design's run: the idle ticks first (for reference), then from the
run's start to the moment the last panel had its whole text on screen (``ui_probes``). ``Result``
holds what it found; ``print_report`` and ``check`` print the table and the targets' verdicts.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QAbstractScrollArea

from tests.benchmarks.cpu_meter import CpuSample, CpuUse
from tests.benchmarks.ui_load import StepLoad
from tests.benchmarks.ui_probes import PaintLog, Ticks, utf16_length

TARGET_MAX_STALL_MS = 50.0
TARGET_P99_STALL_MS = 16.0
TARGET_RENDERED_MS = 100.0
SHORT_OF_RATE = 0.95  # a load below this share of --rate is noted under the table
LATE_MS = 500.0  # a design whose last token came this late did not keep up: noted too
IDLE_S = 1.0  # ticks with the window shown and nothing streaming, for reference
RENDER_TIMEOUT_S = 10.0  # after the run's end, how long the panels may take to show their text


@dataclass(frozen=True)
class Result:
    design: str
    steps: list[str]  # the panels, in the order of the lists below
    tokens: list[int]  # per panel, as the simulator counted them
    deltas: list[int]  # TextDelta events per panel
    streamed_s: list[float]  # per panel: first TextDelta → last
    gaps_ms: list[float]  # between 1 ms ticks, from the run's start to the last panel rendered
    window_s: float  # that span
    paints: list[int]  # per panel, its text views' paint events in that span
    rendered_ms: list[float | None]  # per panel: last TextDelta → whole text painted; None: never
    behind_ms: list[float]  # per panel: last TextDelta handed on - when the simulator was due
    cpu: CpuUse | None  # cores used in that span: this process, the simulator, the rest
    text_ok: list[bool]  # per panel: on screen == handed on == what the simulator was asked

    @property
    def max_stall(self) -> float:
        return max(self.gaps_ms)

    @property
    def p99_stall(self) -> float:
        return percentile(self.gaps_ms, 99)

    @property
    def worst_rendered(self) -> float:
        return max((float("inf") if ms is None else ms) for ms in self.rendered_ms)


def percentile(values: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    rank = -(-len(ordered) * pct // 100)  # ceil
    return ordered[int(min(max(rank, 1), len(ordered))) - 1]


class Measurement:
    """One design's run: the ticks and paints from its start to its panels showing their text."""

    def __init__(self, design: str, loads: Sequence[StepLoad], ticks: Ticks) -> None:
        self.design = design
        self.loads = loads
        self.ticks = ticks
        self.start = 0.0
        self.cpu: CpuSample | None = None
        self.paints: PaintLog | None = None

    async def begin(
        self,
        streams: Mapping[str, QAbstractScrollArea],
        finals: Mapping[str, QAbstractScrollArea] | None = None,
    ) -> list[float]:
        """Watch the views' paints; return the tick gaps of an idle second; start the clock."""
        self.paints = PaintLog(streams, finals)
        idle_from = time.perf_counter()
        await asyncio.sleep(IDLE_S)
        idle = self.ticks.gaps_ms(idle_from, time.perf_counter())
        gc.collect()
        self.cpu = CpuSample.now()
        self.start = self.cpu.at
        return idle

    def _rendered_at(self) -> dict[str, float | None]:
        assert self.paints is not None
        return {
            load.step: self.paints.rendered_at(load.step, utf16_length(load.text()), self.ticks)
            for load in self.loads
        }

    async def wait_rendered(self) -> None:
        """Until every panel has painted its whole text (or ``RENDER_TIMEOUT_S`` passed)."""
        deadline = time.perf_counter() + RENDER_TIMEOUT_S
        while None in self._rendered_at().values() and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)

    def result(self, shown: Callable[[str], str]) -> Result:
        """What was measured; ``shown(step)`` is the text in the step's panel."""
        assert self.paints is not None and self.cpu is not None
        cpu = CpuUse.between(self.cpu, CpuSample.now())
        rendered_at = self._rendered_at()
        done = [at for at in rendered_at.values() if at is not None]
        end = max(done) if len(done) == len(self.loads) else time.perf_counter()
        self.paints.detach()
        return Result(
            design=self.design,
            steps=[load.step for load in self.loads],
            tokens=[load.tokens for load in self.loads],
            deltas=[load.deltas for load in self.loads],
            streamed_s=[_span(load.first_delta_at, load.last_delta_at) for load in self.loads],
            gaps_ms=self.ticks.gaps_ms(self.start, end),
            window_s=end - self.start,
            paints=[self.paints.count(load.step, self.start, end) for load in self.loads],
            rendered_ms=[_ms(load.last_delta_at, rendered_at[load.step]) for load in self.loads],
            behind_ms=[_span(load.due_at, load.last_delta_at) * 1000 for load in self.loads],
            cpu=cpu,
            text_ok=[shown(s.step) == s.text() == s.expected_text() for s in self.loads],
        )


def _span(start: float | None, end: float | None) -> float:
    return 0.0 if start is None or end is None else end - start


def _ms(start: float | None, end: float | None) -> float | None:
    return None if start is None or end is None else (end - start) * 1000


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


HEADER = (
    f"{'design':<6} {'tokens':>7} {'tok/s':>6} {'secs':>5} {'behind':>7} {'stall':>6} {'p99':>6}"
    f" {'paints':>7} {'/s':>4} {'render':>7} (per panel)"
)
LEGEND = """\
  tokens: per panel (mean of the four, as the simulator counts them); tok/s: from a panel's
  first TextDelta to its last; secs: that span, the longest panel; behind: ms from when the
  simulator was due to send a panel's last token to its last TextDelta being handed on, the
  worst panel; stall, p99: max and p99 gap (ms) between 1 ms timer ticks on the main thread,
  from the run's start to the last panel rendered; paints: paint events of a panel's text
  views in that span (mean), and per second; render: ms from a panel's last TextDelta to the
  first tick after its whole text was painted, the worst panel (then each)"""


def token_rate(result: Result) -> float:
    """Tokens/s per panel, from its first TextDelta to its last (mean of the panels)."""
    return _mean([t / s for t, s in zip(result.tokens, result.streamed_s, strict=True) if s > 0])


def _row(result: Result) -> str:
    rate = token_rate(result)
    paints = _mean(result.paints)
    rendered = " ".join("never" if ms is None else f"{ms:.0f}" for ms in result.rendered_ms)
    return (
        f"{result.design:<6} {_mean(result.tokens):>7,.0f} {rate:>6,.0f}"
        f" {max(result.streamed_s):>5.1f} {max(result.behind_ms):>7,.0f}"
        f" {result.max_stall:>6.1f} {result.p99_stall:>6.1f}"
        f" {paints:>7,.0f} {paints / result.window_s:>4.0f} {result.worst_rendered:>7.1f}"
        f" ({rendered})"
    )


def _cpu_line(result: Result) -> str:
    if result.cpu is None:
        return f"  {result.design}: not measured (no /proc)"
    tokens = sum(result.tokens)
    per_token = result.cpu.own * result.window_s / tokens * 1e6 if tokens else 0.0
    return f"  {result.design}: {result.cpu.describe()}; this process {per_token:.0f} us/token"


def print_report(
    idle_ms: Sequence[float], results: Sequence[Result], rate: float, sim_rate: float
) -> None:
    print(HEADER)
    print(
        f"{'idle':<6} {'':>7} {'':>6} {IDLE_S:>5.1f} {'':>7}"
        f" {max(idle_ms):>6.1f} {percentile(idle_ms, 99):>6.1f}"
    )
    for result in results:
        print(_row(result))
    print(LEGEND)
    print("CPU, in cores (mean over each span):")
    for result in results:
        print(_cpu_line(result))
    print(f"  (the simulator paced its answers at {sim_rate:,.0f} of its own tokens/s)")
    _note_pace(results[0], rate)
    if len(results) == 2:
        real, naive = results
        print(
            f"naive / real: max stall {naive.max_stall / real.max_stall:.1f}x,"
            f" p99 stall {naive.p99_stall / real.p99_stall:.1f}x,"
            f" paints per second {_paint_rate(naive) / _paint_rate(real):.0f}x"
        )


def _note_pace(real: Result, rate: float) -> None:
    """Say so when the real design did not get (or take) the stream at the rate asked."""
    got, behind = token_rate(real), max(real.behind_ms)
    if behind > LATE_MS:
        print(
            f"NOTE: the real design did not keep up: it handed its last token on"
            f" {behind / 1000:.1f} s after the simulator was due to send it ({got:,.0f} tokens/s"
            f" per panel, not {rate:,.0f}); render counts from that late hand-over"
        )
    elif got < SHORT_OF_RATE * rate:
        print(
            f"NOTE: the stream came at {got:,.0f} tokens/s per panel, not {rate:,.0f}: the"
            " simulator lacked CPU (above), so the load was lighter than asked"
        )


def _paint_rate(result: Result) -> float:
    return _mean(result.paints) / result.window_s


def check(results: Sequence[Result]) -> tuple[bool, bool]:
    """Print the targets' verdicts for the real design (the first result); return (targets met,
    every panel's text right)."""
    real = results[0]
    checks = (
        (real.max_stall, TARGET_MAX_STALL_MS, "max stall"),
        (real.p99_stall, TARGET_P99_STALL_MS, "p99 stall"),
        (real.worst_rendered, TARGET_RENDERED_MS, "last token -> fully rendered (worst panel)"),
    )
    for got, target, name in checks:
        verdict = "PASS" if got <= target else "FAIL"
        print(f"{verdict}: real {name} <= {target:g} ms (got {got:.1f} ms)")
    texts_ok = True
    for result in results:
        for step, ok in zip(result.steps, result.text_ok, strict=True):
            if not ok:
                texts_ok = False
                print(f"!!! {result.design}: the {step} panel's text is not what was sent")
    return all(got <= target for got, target, _ in checks), texts_ok
