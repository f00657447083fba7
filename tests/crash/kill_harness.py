"""Kill the app with SIGKILL while it streams, while the agent types and while it sends; restart
it on the same data folder and check that nothing was lost.

    /work/venv/bin/python -m tests.crash.kill_harness --kills 60 [--seed N] [--keep]

Each round starts the real app (``stepwise --demo`` under ``QT_QPA_PLATFORM=offscreen``, driven
by ``tests.crash.driver``) on one temporary ``STEPWISE_DATA_DIR`` kept for the whole run, waits
for the phase to begin, kills the process at a random moment of it, and starts the next round,
whose first report is what came back. The checks after every kill:

* the app starts again: the workspace lock of the killed process is taken over;
* ``PRAGMA integrity_check`` is ``ok``;
* typing: the draft in the store, and in the editor once the ticket is opened, is the text as it
  was at some moment of the last LOSS_BOUND_S (2 s) before the kill: nothing typed earlier is
  lost, nothing is garbled;
* streaming: the draft is the last one the app saved (a finished run's), never a half-streamed
  one; the run in flight at the kill may have finished and been saved;
* sending: every reply whose Send was acknowledged is recorded as sent, with its text, exactly
  once (the ticket shows it read-only and Send is off); a send in flight at the kill is recorded
  at most once; no other ticket changed state; replies sent earlier are unchanged.

A last round closes the app normally; its exit code must be 0 and the database must pass the
integrity check read by this process too. The summary prints kills per phase, how many survived,
and what, if anything, was lost. The kill moments come from a seeded RNG; the seed is printed
(``--seed`` repeats a run). ``tests/crash/test_kill_harness.py`` runs 6 kills in the suite.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parents[2]
PHASES = ("streaming", "typing", "sending")
LOSS_BOUND_S = 2.0  # at most the last ~2 s of typing may be lost (the words)
# When in a phase the kill lands, in seconds after it began. Typing starts after 2.5 s so that
# there are more than LOSS_BOUND_S of keystrokes to lose.
KILL_WINDOWS = {"streaming": (0.3, 6.0), "typing": (2.5, 5.5), "sending": (0.1, 2.0)}
# Besides kills at a random moment, kills aimed at a moment that matters, drawn as often: each
# waits for a line of the child and then for up to a few milliseconds (or, mid-reply, longer).
# (line, at most this many seconds after it)
AIMS: dict[str, list[tuple[str, float]]] = {
    "streaming": [
        ("reply_text", 0.8),  # the reply streaming into the editor
        ("run_finished", 0.004),  # its draft just saved, the run's record being written
    ],
    "typing": [],
    "sending": [("send_click", 0.004)],  # the reply being recorded as sent
}
START_TIMEOUT_S = 90.0  # a cold start on a busy 2-core machine takes 3-5 s
EXIT_TIMEOUT_S = 30.0

Event = dict[str, Any]


class Child:
    """One run of the app; its stdout lines arrive on a queue with their arrival time."""

    def __init__(self, data_dir: Path, phase: str, seed: int, check: list[str], log: Path):
        env = {
            **os.environ,
            "STEPWISE_DATA_DIR": str(data_dir),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, "-m", "tests.crash.driver", "--phase", phase]
        command += ["--seed", str(seed), "--check", ",".join(check)]
        self.stderr = log.open("ab")
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=self.stderr
        )
        self.lines: queue.Queue[Event | None] = queue.Queue()
        self._ended = False  # the end of the output was taken from the queue
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            try:
                event = json.loads(raw)
            except ValueError:
                continue  # not ours (a library printing to stdout)
            if isinstance(event, dict):
                self.lines.put(event)
        self.lines.put(None)  # end of output: the process is gone

    def next(self, deadline: float) -> Event | None:
        """The next line, or None at the end of the output; raises queue.Empty at ``deadline``."""
        if self._ended:
            return None
        event = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        self._ended = event is None
        return event

    def wait_for(self, name: str, timeout: float, seen: Callable[[Event], None]) -> Event:
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self.next(deadline)
            except queue.Empty:
                raise HarnessError(f"no {name!r} line within {timeout:.0f} s") from None
            if event is None:
                raise HarnessError(f"the app ended before {name!r} (exit {self.proc.wait()})")
            seen(event)
            if event["ev"] == name:
                return event

    def kill(self) -> float:
        """SIGKILL (TerminateProcess on Windows); returns the moment it was sent."""
        moment = time.monotonic()
        self.proc.kill()
        self.proc.wait()
        return moment

    def rest(self) -> list[Event]:
        """Every line written before the process ended (the pipe keeps them)."""
        found: list[Event] = []
        while (event := self.next(time.monotonic() + EXIT_TIMEOUT_S)) is not None:
            found.append(event)
        self._reader.join(EXIT_TIMEOUT_S)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        self.stderr.close()
        return found


class HarnessError(Exception):
    pass


@dataclass
class Round:
    """What one phase did before it was killed: what must survive."""

    phase: str
    ticket: str = ""
    base: str = ""
    typed: list[tuple[float, str]] = field(default_factory=list)  # (monotonic time, character)
    saved: str | None = None  # streaming: the draft the app last saved
    streamed: str = ""  # streaming: the reply text of the run in flight
    clicked: dict[str, str] = field(default_factory=dict)  # ticket → text, Send clicked
    acked: set[str] = field(default_factory=set)  # Send acknowledged
    problems: list[str] = field(default_factory=list)  # dialogs, driver errors
    step: str = ""  # streaming: the step that started last
    finished_runs: int = 0
    kill_at: float = 0.0  # time.monotonic() when the kill was sent (the child's clock too)
    aimed: bool = False
    failed: bool = False  # the restart after it failed

    def see(self, event: Event) -> None:
        kind = event["ev"]
        if kind == "phase":
            self.ticket, self.base = event.get("ticket", ""), event.get("base", "")
            self.saved = self.base
        elif kind == "typed":
            self.typed.append((event["t"], event["c"]))
        elif kind == "run_started":
            self.streamed, self.step = "", ""
        elif kind == "step":
            self.step = event["step"]
        elif kind == "reply_text":
            self.streamed += event["text"]
        elif kind == "run_finished":
            self.finished_runs += 1
            self.step = "finished"
            if event["ok"] and event["draft"]:
                self.saved = event["draft"]
        elif kind == "send_click":
            self.clicked[event["ticket"]] = event["text"]
        elif kind == "send_ack":
            self.acked.add(event["ticket"])
        elif kind in ("dialog", "driver_error", "send_failed"):
            self.problems.append(json.dumps(event, ensure_ascii=False)[:500])


@dataclass
class Figures:
    seed: int
    kills: Counter[str] = field(default_factory=Counter)
    survived: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    integrity_checks: int = 0
    restarts: int = 0
    typed_chars: int = 0
    lost_chars: int = 0  # typed but not restored (all within the bound, or it is a failure)
    max_lost_s: float = 0.0  # the oldest unsaved keystroke at a kill, in seconds before it
    streaming_steps: Counter[str] = field(default_factory=Counter)  # the step at each kill
    sends_acked: int = 0
    sends_in_flight: int = 0
    in_flight_recorded: int = 0
    crash_reports: int = 0

    def ok(self) -> bool:
        return not self.failures and sum(self.survived.values()) == sum(self.kills.values())


class Harness:
    def __init__(self, data_dir: Path, seed: int, out: TextIO) -> None:
        self.data_dir = data_dir
        self.rng = random.Random(seed)
        self.out = out
        self.figures = Figures(seed)
        self.sent: dict[str, str] = {}  # ticket → text, as recorded after the last restart
        self.log = data_dir.parent / f"{data_dir.name}-stderr.log"

    def run(self, kills: int) -> Figures:
        phases = [p for _ in range(-(-kills // 3)) for p in self.rng.sample(PHASES, 3)][:kills]
        previous: Round | None = None
        for number, phase in enumerate(phases, start=1):
            previous = self._round(number, phase, previous)
        self._last_round(previous)
        return self.figures

    def _start(self, phase: str, check: list[str]) -> tuple[Child, Event, list[Event]]:
        child = Child(self.data_dir, phase, self.rng.randrange(2**31), check, self.log)
        early: list[Event] = []
        try:
            child.wait_for("ready", START_TIMEOUT_S, early.append)
            state = child.wait_for("state", START_TIMEOUT_S, early.append)
        except HarnessError as err:
            if child.proc.poll() is None:
                child.kill()
            said = [e.get("text", "") for e in early + child.rest() if e["ev"] == "dialog"]
            raise HarnessError(" ".join([str(err), *said])) from None
        return child, state, early

    def _round(self, number: int, phase: str, previous: Round | None) -> Round:
        current = Round(phase)
        try:
            child, state, early = self._start(phase, _checks(previous))
        except HarnessError as err:
            self._fail(previous, f"restart failed: {err}")
            if previous is not None:
                previous.failed = True  # still checked at the next restart, never "survived"
            return previous or current
        self._judge(previous, state, early)
        try:
            child.wait_for("phase", START_TIMEOUT_S, current.see)
        except HarnessError as err:
            current.problems.append(f"the {phase} phase did not begin: {err}")
        low, high = KILL_WINDOWS[phase]
        deadline = time.monotonic() + self.rng.uniform(low, high)
        aim = self.rng.choice([None, *AIMS[phase]])
        current.aimed = aim is not None
        ended = not self._follow(child, current, deadline)
        if not ended and aim is not None:
            line, jitter = aim
            ended = not self._follow(child, current, time.monotonic() + START_TIMEOUT_S, line)
            later = time.monotonic() + self.rng.uniform(0.0, jitter)
            ended = ended or not self._follow(child, current, later)
        if ended or child.proc.poll() is not None:
            current.problems.append(f"the app ended by itself (exit {child.proc.wait()})")
            moment = time.monotonic()
        else:
            moment = child.kill()
        for event in child.rest():
            current.see(event)
        current.kill_at = moment
        self.figures.kills[phase] += 1
        if phase == "streaming":
            self.figures.streaming_steps[current.step or "before the first step"] += 1
        self.out.write(f"round {number:3d}: killed while {phase:9s} {_what(current)}\n")
        self.out.flush()
        return current

    @staticmethod
    def _follow(child: Child, current: Round, deadline: float, until: str = "") -> bool:
        """Take the child's lines until ``deadline`` (or the line ``until``); False when the
        child ended by itself."""
        while True:
            try:
                event = child.next(deadline)
            except queue.Empty:
                return True
            if event is None:
                return False
            current.see(event)
            if event["ev"] == until:
                return True

    def _last_round(self, previous: Round | None) -> None:
        try:
            child, state, early = self._start("verify", _checks(previous))
        except HarnessError as err:
            self._fail(previous, f"restart failed: {err}")
            return
        self._judge(previous, state, early)
        rest = child.rest()
        code = child.proc.wait()
        if code != 0 or not any(e["ev"] == "exit" and e["code"] == 0 for e in rest):
            self.figures.failures.append(f"the app did not close cleanly (exit {code})")
        database = self.data_dir / "demo" / "stepwise.db"
        with closing(sqlite3.connect(database)) as conn:
            found = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        self.figures.integrity_checks += 1
        if found != ["ok"]:
            self.figures.failures.append(f"integrity check after the last close: {found}")
        reports = self.data_dir / "crash-reports"
        self.figures.crash_reports = len(list(reports.glob("*.txt"))) if reports.exists() else 0
        if self.figures.crash_reports:
            self.figures.failures.append(f"{self.figures.crash_reports} crash report(s) written")

    # --- the checks after a restart ---

    def _judge(self, previous: Round | None, state: Event, early: list[Event]) -> None:
        self.figures.restarts += 1
        problems = [json.dumps(e)[:300] for e in early if e["ev"] in ("dialog", "driver_error")]
        self.figures.integrity_checks += 1
        if state["integrity"] != ["ok"]:
            problems.append(f"integrity check: {state['integrity']}")
        problems += self._check_sends(previous, state)
        if previous is not None:
            problems += previous.problems
            if previous.phase == "typing":
                problems += self._check_typing(previous, state)
            elif previous.phase == "streaming":
                problems += self._check_streaming(previous, state)
        if previous is None:
            return
        if problems:
            self._fail(previous, "; ".join(problems))
        elif not previous.failed:
            self.figures.survived[previous.phase] += 1

    def _fail(self, previous: Round | None, why: str) -> None:
        phase = previous.phase if previous else "start"
        self.figures.failures.append(f"after a kill while {phase}: {why}")
        self.out.write(f"  FAILED: {why}\n")

    def _check_sends(self, previous: Round | None, state: Event) -> list[str]:
        recorded = {
            ticket_id: ticket["sent_text"]
            for ticket_id, ticket in state["tickets"].items()
            if ticket["status"] == "sent"
        }
        problems: list[str] = []
        acked = previous.acked if previous else set()
        clicked = previous.clicked if previous else {}
        in_flight = {t: text for t, text in clicked.items() if t not in acked}
        expected = {**self.sent, **{t: clicked[t] for t in acked}}
        for ticket_id, text in expected.items():
            if recorded.get(ticket_id) != text:
                problems.append(f"sent reply to {ticket_id} lost or changed")
        for ticket_id, text in recorded.items():
            if ticket_id in expected:
                continue
            if ticket_id not in in_flight:
                problems.append(f"{ticket_id} recorded as sent but Send was never clicked")
            elif text != in_flight[ticket_id]:
                problems.append(f"{ticket_id}: the reply in flight was recorded with other text")
        shown = state["shown"]
        for ticket_id in recorded.keys() & (acked | in_flight.keys()):
            view = shown.get(ticket_id, {})
            if not (view.get("sent") and not view.get("send_enabled")):
                problems.append(f"{ticket_id} is recorded as sent but can be sent again")
            if view.get("editor") != recorded[ticket_id]:
                problems.append(f"{ticket_id} shows another text than the one sent")
        self.figures.sends_acked += len(acked)
        self.figures.sends_in_flight += len(in_flight)
        self.figures.in_flight_recorded += len(in_flight.keys() & recorded.keys())
        self.sent = recorded
        return problems

    def _check_typing(self, previous: Round, state: Event) -> list[str]:
        kill_at = previous.kill_at
        ticket = state["tickets"].get(previous.ticket)
        if ticket is None:
            return [f"ticket {previous.ticket} is gone"]
        stored = ticket["draft"] or ""
        shown = state["shown"].get(previous.ticket, {}).get("editor")
        problems = [] if shown == stored else ["the editor does not show the stored draft"]
        typed = "".join(c for _, c in previous.typed)
        self.figures.typed_chars += len(typed)
        restored = stored[len(previous.base) :]
        if not stored.startswith(previous.base) or not typed.startswith(restored):
            return [*problems, f"the restored draft is not what was typed: {stored[-80:]!r}"]
        kept = len(stored) - len(previous.base)
        required = sum(1 for t, _ in previous.typed if t <= kill_at - LOSS_BOUND_S)
        lost = previous.typed[kept:]
        self.figures.lost_chars += len(lost)
        if lost:
            self.figures.max_lost_s = max(self.figures.max_lost_s, kill_at - lost[0][0])
        if kept < required:
            span = kill_at - lost[0][0]
            problems.append(f"{len(lost)} typed characters lost, the oldest {span:.2f} s old")
        return problems

    def _check_streaming(self, previous: Round, state: Event) -> list[str]:
        ticket = state["tickets"].get(previous.ticket)
        if ticket is None:
            return [f"ticket {previous.ticket} is gone"]
        stored = ticket["draft"] or ""
        shown = state["shown"].get(previous.ticket, {}).get("editor")
        allowed = {previous.saved or "", previous.streamed}
        problems = [] if shown == stored else ["the editor does not show the stored draft"]
        if stored not in allowed:
            problems.append(f"the draft is neither the saved nor a finished one: {stored[:80]!r}")
        return problems


def _checks(previous: Round | None) -> list[str]:
    """The tickets the restarted app opens and reports: the one worked on, the ones sent."""
    if previous is None:
        return []
    return sorted({previous.ticket, *previous.clicked} - {""})


def _what(current: Round) -> str:
    if current.phase == "typing":
        return f"{current.ticket}: {len(current.typed)} characters typed"
    aimed = " (aimed)" if current.aimed else ""
    if current.phase == "streaming" and current.step == "finished":
        return f"{current.ticket}: just after run {current.finished_runs} finished{aimed}"
    if current.phase == "streaming":
        return (
            f"{current.ticket}: run {current.finished_runs + 1}, step {current.step or '-'}, "
            f"{len(current.streamed)} characters of the reply{aimed}"
        )
    in_flight = len(current.clicked) - len(current.acked)
    return f"{len(current.acked)} replies sent, {in_flight} in flight{aimed}"


def summary(figures: Figures) -> str:
    kills = sum(figures.kills.values())
    survived = sum(figures.survived.values())
    lines = [
        f"kill harness: seed {figures.seed}, {kills} kills, {survived} survived",
        f"{'phase':10s} {'kills':>5s} {'survived':>8s}",
        *(
            f"{phase:10s} {figures.kills[phase]:5d} {figures.survived[phase]:8d}"
            for phase in PHASES
        ),
        f"restarts: {figures.restarts} (the killed app's workspace lock taken over each time)",
        f"integrity_check: {figures.integrity_checks} run, "
        f"{'all ok' if not any('integrity' in f for f in figures.failures) else 'FAILED'}",
        f"typing: {figures.typed_chars} characters typed, {figures.lost_chars} lost to kills "
        f"(the oldest {figures.max_lost_s:.2f} s before its kill; bound {LOSS_BOUND_S:.1f} s)",
        "streaming: kills by the step running: "
        + ", ".join(f"{step} {n}" for step, n in sorted(figures.streaming_steps.items())),
        f"sending: {figures.sends_acked} acknowledged sends recorded exactly once; "
        f"{figures.sends_in_flight} in flight at a kill, {figures.in_flight_recorded} of them "
        "recorded (once)",
        f"crash reports written: {figures.crash_reports}",
    ]
    if figures.failures:
        lines += ["FAILURES:", *(f"  {failure}" for failure in figures.failures)]
    else:
        lines.append("nothing lost")
    return "\n".join(lines)


def run_harness(kills: int, seed: int, data_dir: Path, out: TextIO = sys.stdout) -> Figures:
    out.write(f"kill harness: {kills} kills, seed {seed}, data dir {data_dir}\n")
    out.flush()
    figures = Harness(data_dir, seed, out).run(kills)
    out.write(summary(figures) + "\n")
    out.flush()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=60, help="how many kills (default 60)")
    parser.add_argument("--seed", type=int, help="repeat a run (default: a random seed)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder afterwards")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    folder = tempfile.mkdtemp(prefix="stepwise-kill-")
    try:
        figures = run_harness(args.kills, seed, Path(folder) / "data")
    finally:
        if args.keep:
            print(f"data folder kept: {folder}")
        else:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    return 0 if figures.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
