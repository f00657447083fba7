"""The headless commands: ``simulate``, ``draft``, ``chat``, ``report`` and ``--self-test``.

The ``stepwise`` entry point (``ui.main``) parses the command line with ``build_parser`` and hands
every headless command to ``run_headless`` here, so none of them loads Qt.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TextIO

from app import __version__
from app.chat_cli import add_parser as add_chat_parser
from app.chat_cli import chat_command
from app.config import STEP_NAMES
from app.pipeline.events import (
    PipelineEvent,
    PolicyFlag,
    ReasoningDelta,
    RunFinished,
    StepFailed,
    StepFallback,
    StepFinished,
    StepRepair,
    StepSkipped,
    StepStarted,
    StepWaiting,
    TextDelta,
    event_to_json,
)
from app.report_cli import add_parser as add_report_parser
from app.report_cli import report_command
from app.sim.server import SimConfig, serve
from app.store import StoreError
from app.workspace import Workspace


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stepwise", description="Stepwise agent-assist desk.")
    parser.add_argument("--version", action="version", version=f"stepwise {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="use the demo workspace and the built-in simulator"
    )
    parser.add_argument("--self-test", action="store_true", help="run headless checks and exit")
    commands = parser.add_subparsers(dest="command")
    sim = commands.add_parser("simulate", help="serve the simulated OpenAI-compatible provider")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=8765)
    sim.add_argument("--ttft-ms", type=float, default=250.0, help="delay before the first token")
    sim.add_argument("--tokens-per-s", type=float, default=120.0, help="0 = as fast as possible")
    sim.add_argument("--api-key", default="sim-key", help="bearer key to require ('' = any)")
    sim.add_argument("--requests-per-minute", type=int, help="answer 429 beyond this rate")
    sim.add_argument("--tokens-per-minute", type=int, help="answer 429 beyond this many tokens")
    draft = commands.add_parser("draft", help="run the pipeline on a ticket without a window")
    draft.add_argument("--ticket", help="ticket id, e.g. T-1001")
    draft.add_argument("--rerun", metavar="RUN_ID", help="re-run a recorded run (with --from)")
    draft.add_argument(
        "--from", dest="from_step", choices=STEP_NAMES, help="the step to re-run from"
    )
    draft.add_argument("--model", help="with --rerun: the model for the re-run step")
    draft.add_argument(
        "--instruction", default="", help='with --rerun: e.g. "shorter", "in Spanish"'
    )
    draft.add_argument("--no-cache", action="store_true", help="call every model afresh")
    draft.add_argument("--json", action="store_true", help="one JSON object per event on stdout")
    draft.add_argument("--demo", action="store_true", default=argparse.SUPPRESS)
    add_chat_parser(commands)
    add_report_parser(commands)
    return parser


def is_headless(args: argparse.Namespace) -> bool:
    return bool(args.self_test or args.command)


def run_headless(args: argparse.Namespace) -> int:
    if args.self_test:
        from app.selftest import run_self_test

        return run_self_test(demo=args.demo)
    if args.command == "simulate":
        config = SimConfig(
            args.ttft_ms,
            args.tokens_per_s,
            args.api_key or None,
            requests_per_minute=args.requests_per_minute,
            tokens_per_minute=args.tokens_per_minute,
        )
        try:
            serve(args.host, args.port, config)
        except OSError as err:  # the port is taken, or the address is not ours
            print(
                f"stepwise: cannot serve on {args.host}:{args.port}: {err.strerror}",
                file=sys.stderr,
            )
            return 2
        return 0
    if args.command == "chat":
        return chat_command(args)
    if args.command == "report":
        return report_command(args, demo=args.demo)
    if not args.ticket and not (args.rerun and args.from_step):
        print("stepwise draft: give --ticket ID, or --rerun RUN_ID --from STEP", file=sys.stderr)
        return 2
    return asyncio.run(draft_command(args, demo=args.demo, as_json=args.json))


async def draft_command(
    args: argparse.Namespace, *, demo: bool, as_json: bool, out: TextIO = sys.stdout
) -> int:
    try:
        workspace = Workspace.open(demo=demo, single_instance=True)
    except StoreError as err:
        print(f"stepwise: {err}", file=sys.stderr)
        return 2
    try:
        try:
            if args.rerun:
                events = workspace.rerun(args.rerun, args.from_step, args.model, args.instruction)
            else:
                events = workspace.run(args.ticket, use_cache=not args.no_cache)
        except StoreError as err:
            print(f"stepwise: {err}", file=sys.stderr)
            return 2
        ok = False
        async for event in events:
            _print_event(event, as_json, out)
            if isinstance(event, RunFinished):
                ok = event.ok
        return 0 if ok else 1
    finally:
        await workspace.aclose()


def _print_event(event: PipelineEvent, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(event_to_json(event), ensure_ascii=False) + "\n")
    elif isinstance(event, StepStarted):
        out.write(f"\n── {event.title} ({event.model}) ──\n")
    elif isinstance(event, TextDelta | ReasoningDelta):
        out.write(event.text)
    elif isinstance(event, StepFinished):
        tokens = f"in {event.usage.input_tokens} · out {event.usage.output_tokens}"
        how = " · cached" if event.cached else " · kept" if event.kept else ""
        out.write(f"\n   [{event.duration_s:.2f} s · {tokens}{how}]\n")
    elif isinstance(event, StepFailed):
        out.write(f"\n   [failed: {event.message}]\n")
    elif isinstance(event, StepSkipped):
        out.write(f"\n── {event.step}: skipped ({event.reason}) ──\n")
    elif isinstance(event, StepFallback | StepRepair | PolicyFlag | StepWaiting):
        out.write(f"\n   [{_note(event)}]\n")
    elif isinstance(event, RunFinished):
        cost = "no price" if event.cost_usd is None else f"${event.cost_usd:.4f}"
        approval = " · needs approval" if event.needs_approval else ""
        out.write(f"\n── run {event.run_id}: {event.status} · {cost}{approval} ──\n")
    out.flush()


def _note(event: StepFallback | StepRepair | PolicyFlag | StepWaiting) -> str:
    if isinstance(event, StepFallback):
        return f"{event.from_model} failed ({event.reason}); trying {event.to_model}"
    if isinstance(event, StepRepair):
        return f"invalid JSON ({event.problem}); asking for a correction"
    if isinstance(event, PolicyFlag):
        return f"needs approval: {event.message} [{event.policy_id}]"
    return event.message
