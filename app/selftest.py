"""``stepwise --self-test``: headless checks that a build or install can really work.

Each check prints one line; the exit code is 0 only when every check passes. The database check
uses a temporary folder, so the self-test never changes the user's workspace.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.paths import resource_path

Check = tuple[str, Callable[[], str]]

MODULES = (
    "httpx",
    "keyring",
    "tiktoken",
    "platformdirs",
    "starlette",
    "uvicorn",
    "sqlite3",
    "orjson",
    "jsonschema",
)
RESOURCES = (
    ("prompts", "intent.md"),
    ("prompts", "retrieval.md"),
    ("prompts", "reasoning.md"),
    ("prompts", "reply.md"),
    ("tokenizers", "o200k_base.tiktoken"),
    ("tokenizers", "cl100k_base.tiktoken"),
    ("demo", "seed.json"),
    ("schemas", "intent.json"),
    ("schemas", "retrieval.json"),
    ("taxonomy.json",),
    ("prices.json",),
    ("models.json",),
    ("icons", "stepwise.png"),
)


def check_imports() -> str:
    for name in MODULES:
        importlib.import_module(name)
    return f"{len(MODULES)} modules"


def check_resources() -> str:
    missing = [
        str(resource_path(*parts)) for parts in RESOURCES if not resource_path(*parts).is_file()
    ]
    if missing:
        raise FileNotFoundError("missing: " + ", ".join(missing))
    return f"{len(RESOURCES)} files in {resource_path()}"


# The OS keyring backend a build must carry (keyring finds backends through entry points, which
# a frozen app loses unless keyring's metadata is bundled). Whether a keyring daemon runs is the
# machine's business: the backend in use is reported, not judged.
KEYRING_BACKENDS = {
    "linux": ("SecretService", "keyring.backends.SecretService"),
    "win32": ("Windows", "keyring.backends.Windows"),
    "darwin": ("macOS", "keyring.backends.macOS"),
}


def check_keyring() -> str:
    from importlib.metadata import entry_points

    import keyring

    platform = next((p for p in KEYRING_BACKENDS if sys.platform.startswith(p)), None)
    if platform is None:
        return f"no OS keyring expected on {sys.platform}"
    entry, module = KEYRING_BACKENDS[platform]
    names = {point.name for point in entry_points(group="keyring.backends")}
    if entry not in names:
        raise LookupError(f"keyring's {entry} backend is not registered (found: {sorted(names)})")
    importlib.import_module(module)
    backend = keyring.get_keyring()
    return f"{module} loads; in use: {type(backend).__module__}.{type(backend).__name__}"


def check_tokenizer() -> str:
    from app.llm.tokens import SHIPPED_ENCODINGS, get_encoding

    counts = [
        len(get_encoding(name).encode("Where is my order #4521?")) for name in SHIPPED_ENCODINGS
    ]
    return ", ".join(f"{n}={c}" for n, c in zip(SHIPPED_ENCODINGS, counts, strict=True))


def check_database() -> str:
    from app.store import Store, seed_demo

    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "check.db") as store:
        seed_demo(store)
        tickets = store.list_tickets()
        if not store.order("4521"):
            raise LookupError("demo order 4521 missing after seeding")
        return f"{len(tickets)} demo tickets, FTS hits {len(store.search_policies('refund'))}"


def check_simulator() -> str:
    return asyncio.run(_simulator_round_trip())


async def _simulator_round_trip() -> str:
    from app.llm.chat import ChatRequest, TextChunk, UsageReport
    from app.llm.client import LLMClient
    from app.sim.server import SimConfig, Simulator

    with Simulator(SimConfig(ttft_ms=0, tokens_per_s=0)) as sim:
        client = LLMClient(sim.base_url, lambda: sim.config.api_key)
        text, usage = "", None
        request = ChatRequest("sim-writer", [{"role": "user", "content": "Hello"}])
        try:
            async with client.stream(request) as events:
                async for event in events:
                    text += event.text if isinstance(event, TextChunk) else ""
                    usage = event if isinstance(event, UsageReport) else usage
        finally:
            await client.aclose()
    if not text or usage is None:
        raise RuntimeError("the simulator streamed no text or no usage")
    return f"{len(text)} chars, {usage.output_tokens} tokens over loopback HTTP"


CORE_CHECKS: list[Check] = [
    ("imports", check_imports),
    ("keyring", check_keyring),
    ("resources", check_resources),
    ("tokenizer", check_tokenizer),
    ("database", check_database),
    ("simulator", check_simulator),
]


def run_checks(checks: list[Check]) -> int:
    failures = 0
    for name, check in checks:
        started = time.perf_counter()
        try:
            detail = check()
        except Exception as err:  # a self-test reports every failure and goes on
            failures += 1
            print(f"FAIL {name}: {type(err).__name__}: {err}", flush=True)
            continue
        # Flushed line by line: a check that aborts the process (Qt without its platform
        # plugin calls abort()) must not take the earlier lines with it.
        print(f"ok   {name}: {detail} ({time.perf_counter() - started:.2f} s)", flush=True)
    print("self-test passed" if not failures else f"self-test failed: {failures} check(s)")
    sys.stdout.flush()
    return 0 if not failures else 1


def check_demo_pipeline() -> str:
    return asyncio.run(_demo_pipeline())


async def _demo_pipeline() -> str:
    """The whole pipeline on the demo's #4521 ticket, through the simulator."""
    from app.pipeline.events import RunFinished
    from app.sim.server import SimConfig
    from app.workspace import Workspace

    workspace = Workspace.open(demo=True, sim_config=SimConfig(ttft_ms=0, tokens_per_s=0))
    try:
        finished = [e async for e in workspace.run("T-1001") if isinstance(e, RunFinished)]
    finally:
        await workspace.aclose()
    if not finished or not finished[0].ok:
        failed = finished[0].failed_steps if finished else ()
        raise RuntimeError(f"the demo run did not finish (failed steps: {failed})")
    return f"4 steps on T-1001, draft of {len(finished[0].draft)} chars"


def run_self_test(*, demo: bool = False, extra: list[Check] | None = None) -> int:
    """Core checks, then ``extra`` (the GUI adds its own); with ``demo`` also a full demo run."""
    demo_checks: list[Check] = [("demo pipeline", check_demo_pipeline)] if demo else []
    return run_checks(CORE_CHECKS + demo_checks + (extra or []))
