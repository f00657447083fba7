"""The UI streaming benchmark's load: four long streams from the simulator, as pipeline events.

Qt-free. The simulator's answers are short (a reply of a few paragraphs), so each of the four
panels (named after the pipeline's steps) gets one long stream made of consecutive reply-writer
answers from the simulator (``paced_sim``): the real reply request
(``app.pipeline.messages.build_messages`` for the ``reply`` step) with a long "Resolution:" in its
CONTEXT block, which the simulated reply writer turns into the reply's middle paragraph. An answer
is ~540 tokens (~0.18 s at 3,000 tokens/s) in six paragraphs, the middle one ~2.5 KB; a panel asks
again, cycling through its own ``VARIANTS`` requests, until it has received its quota of tokens
(``--rate`` x ``--seconds``), the answers joined by a blank line. The requests go out on a
timetable so that the answers follow each other end to start, at the rate (``_Answer``).

``LoadWorkspace.run`` is the ``WorkspaceLike.run`` the bridge iterates: like
``app.pipeline.runner.Runner.run`` it runs one task per step, each streaming with our
``LLMClient`` and an ``Accumulator`` and putting ``StepStarted``, ``TextDelta`` and
``StepFinished`` on one queue, and yields the events as they come, then ``RunFinished``. It notes
when each ``TextDelta`` is handed on (``StepLoad``): the "last token" time of the table.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from app.llm.accumulate import Accumulator
from app.llm.chat import ChatRequest, TextChunk
from app.llm.client import LLMClient
from app.pipeline.events import (
    PipelineEvent,
    RunFinished,
    StepFinished,
    StepStarted,
    TextDelta,
    Usage,
)
from app.pipeline.messages import build_messages
from app.pipeline.steps import STEPS
from app.sim.content import generate
from app.sim.control import SimConfig
from app.sim.plan import make_plan
from app.store.models import Ticket

MODEL = "sim-writer"  # a plain writer: no thinking streamed before the text
MAX_TOKENS = 4000  # far above one answer: never cut
VARIANTS = 3  # distinct requests per panel, cycled
SENTENCES = 24  # in each request's resolution: ~470 tokens of the answer's ~540
SEPARATOR = "\n\n"  # between two answers in one panel
SEED = 20261127
TICKET_ID = "T-UI-BENCH"

_SUBJECTS = ("parcel", "refund", "replacement", "order", "delivery", "invoice", "return label")
_VERBS = (
    "has left",
    "is waiting at",
    "was scanned at",
    "is booked for",
    "has been cleared by",
    "is on its way from",
)
_PLACES = (
    "the Leeds depot",
    "our Rotterdam warehouse",
    "the courier's hub in Lyon",
    "the returns desk",
    "the finance team",
    "the regional sorting centre",
)
_TAILS = (
    "and the tracking page will update within a few hours",
    "so nothing more is needed from your side",
    "which is the fastest option the carrier offers for this route",
    "and we will email the new tracking number as soon as we have it",
    "because the first attempt could not be completed",
    "as agreed with the warehouse team this morning",
)


@dataclass(frozen=True)
class Variant:
    """One of a panel's requests, and what the simulator answers to it."""

    request: ChatRequest
    text: str  # the answer
    tokens: int  # the answer's tokens, as the simulator's usage counts them
    paced: int  # the tokens the simulator paces the answer by (``pacing_ratio``)


@dataclass
class StepLoad:
    """One panel's stream: what it asks, and what came back (filled while it runs)."""

    step: str
    title: str
    variants: Sequence[Variant]  # cycled, one answer each
    quota: int  # tokens to receive before the step finishes
    tokens: int = 0  # completion tokens, as the simulator reports them
    answers: int = 0
    deltas: int = 0  # TextDelta events handed on
    parts: list[str] = field(default_factory=list)  # the text handed on, in order
    first_delta_at: float | None = None  # time.perf_counter()
    last_delta_at: float | None = None
    finished_at: float | None = None  # StepFinished handed on
    # When the simulator was due to send the last token (its request's time on the timetable +
    # LEAD_S + the answer at the simulator's pace): how late the last TextDelta was handed on
    # shows a design that could not keep up with the stream.
    due_at: float | None = None

    def text(self) -> str:
        return "".join(self.parts)

    def expected_text(self) -> str:
        """What the simulator was asked to say, in the order it was asked."""
        count = len(self.variants)
        return SEPARATOR.join(self.variants[i % count].text for i in range(self.answers))


def _resolution(rng: random.Random) -> str:
    sentences = []
    for _ in range(SENTENCES):
        what = f"The {rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_PLACES)}"
        sentences.append(f"{what}, {rng.choice(_TAILS)}.")
    return "Resolution: " + " ".join(sentences)


def reply_request(step: str, variant: int) -> ChatRequest:
    """The reply writer's real request, with a long resolution to turn into the reply."""
    rng = random.Random(f"{SEED}-{step}-{variant}")
    ticket = Ticket(
        id=TICKET_ID,
        customer_id=None,
        subject=f"Where is my {rng.choice(_SUBJECTS)}?",
        body="Hello, my order has not arrived yet and I need it by Friday.\n\nThanks,\nSam",
        channel="email",
        received_at="2026-11-20T09:14:00",
        status="open",
    )
    context = {"resolution": _resolution(rng), "agent_name": "Dana", "language": "en"}
    reply = next(spec for spec in STEPS if spec.name == "reply")
    messages, _budget = build_messages(reply, ticket, context, model=MODEL, max_tokens=MAX_TOKENS)
    return ChatRequest(MODEL, messages, temperature=None, max_tokens=MAX_TOKENS)


def variant(request: ChatRequest) -> Variant:
    """The simulator's answer to ``request``: the same pure functions it runs."""
    body = {"model": request.model, "messages": request.messages}
    answer = generate(body)
    plan = make_plan(body, answer, SimConfig(ttft_ms=0, tokens_per_s=1), None, 0)
    paced = sum(piece.tokens for piece in plan.content)
    return Variant(request, answer.text, plan.usage.completion, paced)


def make_loads(rate: float, seconds: float) -> list[StepLoad]:
    quota = round(rate * seconds)
    return [
        StepLoad(
            spec.name,
            spec.title,
            [variant(reply_request(spec.name, v)) for v in range(VARIANTS)],
            quota,
        )
        for spec in STEPS
    ]


def pacing_ratio(loads: Sequence[StepLoad]) -> float:
    """The simulator's tokens per answer token: it paces by the tokens of each piece alone
    (``app.sim.plan._pieces``), and a word with its trailing space counts two ("Thank" and " "),
    so its ``tokens_per_s`` streams ~2x fewer of the answer's tokens (those its usage reports).
    The benchmark asks it for ``rate`` x this ratio so that the answers come at ``rate``."""
    variants = [v for load in loads for v in load.variants]
    return sum(v.paced for v in variants) / sum(v.tokens for v in variants)


class LoadWorkspace:
    """The part of ``WorkspaceLike`` the bridge uses: ``run`` streams the loads at once."""

    def __init__(self, client: LLMClient, loads: Sequence[StepLoad], sim_rate: float) -> None:
        self.client = client
        self.loads = {load.step: load for load in loads}
        self.sim_rate = sim_rate  # the simulator's tokens_per_s (its own tokens, see Variant)

    async def run(self, ticket_id: str, *, use_cache: bool = True) -> AsyncIterator[PipelineEvent]:
        run_id = uuid.uuid4().hex[:12]
        queue: asyncio.Queue[PipelineEvent | None] = asyncio.Queue()
        tasks = [
            asyncio.create_task(self._step(run_id, load, queue)) for load in self.loads.values()
        ]
        clock = time.perf_counter
        try:
            remaining = len(tasks)
            while remaining:
                event = await queue.get()
                if event is None:
                    remaining -= 1
                    continue
                if isinstance(event, TextDelta):
                    load = self.loads[event.step]
                    load.deltas += 1
                    load.parts.append(event.text)
                    load.last_delta_at = now = clock()
                    if load.first_delta_at is None:
                        load.first_delta_at = now
                elif isinstance(event, StepFinished):
                    self.loads[event.step].finished_at = clock()
                yield event
            for task in tasks:
                task.result()  # a failed stream fails the benchmark, loudly
            yield RunFinished(run_id, ticket_id, ok=True)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _step(
        self, run_id: str, load: StepLoad, queue: asyncio.Queue[PipelineEvent | None]
    ) -> None:
        """The panel's answers end to start until the quota is in: each request goes out on a
        timetable (``_Answer``), the next one while the one before still streams."""
        started = time.monotonic()
        loop = asyncio.get_running_loop()
        current = first = _Answer(self.client, run_id, load.step, load.variants[0], loop.time())
        following: _Answer | None = None
        try:
            queue.put_nowait(StepStarted(run_id, load.step, load.title, MODEL))
            prompt, texts = 0, []
            while True:
                if load.tokens + current.variant.tokens < load.quota:
                    chosen = load.variants[(load.answers + 1) % len(load.variants)]
                    send_at = current.send_at + current.variant.paced / self.sim_rate
                    following = _Answer(self.client, run_id, load.step, chosen, send_at)
                current.go_live(queue)
                answer = await current.task
                if answer.usage is None:
                    raise RuntimeError(f"the simulator sent {load.step} no usage")
                load.tokens += answer.usage.output_tokens
                prompt += answer.usage.input_tokens
                load.answers += 1
                load.due_at = current.due_at(loop.time(), self.sim_rate)
                texts.append(answer.text)
                if following is None:
                    break
                queue.put_nowait(TextDelta(run_id, load.step, SEPARATOR))
                current, following = following, None
            usage = Usage(prompt, load.tokens)
            duration = time.monotonic() - started
            text = SEPARATOR.join(texts)
            ttft = first.ttft_s(started)
            step = StepFinished(run_id, load.step, text, usage, duration, ttft, model=MODEL)
            queue.put_nowait(step)
        finally:
            tasks = [each.task for each in (current, following) if each is not None]
            for task in tasks:
                task.cancel()  # done already, unless the run was cancelled
            await asyncio.gather(*tasks, return_exceptions=True)
            queue.put_nowait(None)


LEAD_S = 0.1  # the simulator's time to first token (``paced_sim``): a request's way there


class _Answer:
    """One answer of a panel's stream, read in its own task with our client.

    One request after the other would leave a gap between two answers (the next request's way
    to the simulator: ~5 ms, and 30-80 ms with the main loop busy), and a request sent early
    would overlap them; either way the rate would be off. So the simulator waits ``LEAD_S``
    before an answer's first token (its ``ttft_ms``), and a panel's requests go out on a
    timetable: the next one ``LEAD_S`` before the answer in progress is due to end, which is one
    answer's duration (at the simulator's pace) after that answer's own request. The answers
    then follow each other end to start at the rate, whatever the request's way took below
    ``LEAD_S``. The next answer's text waits in ``held`` until the one before ends (a few
    tokens, when the request was faster than the one before), then goes on live.
    """

    def __init__(
        self, client: LLMClient, run_id: str, step: str, variant: Variant, send_at: float
    ) -> None:
        self.variant = variant
        self.send_at = send_at  # the loop's time
        self._run_id, self._step = run_id, step
        self._held: list[TextDelta] | None = []  # None: live
        self._queue: asyncio.Queue[PipelineEvent | None] | None = None
        self._first_at: float | None = None  # time.monotonic()
        self.task = asyncio.create_task(self._read(client))

    def go_live(self, queue: asyncio.Queue[PipelineEvent | None]) -> None:
        for delta in self._held or ():
            queue.put_nowait(delta)
        self._held, self._queue = None, queue

    def ttft_s(self, started: float) -> float | None:
        return None if self._first_at is None else self._first_at - started

    def due_at(self, loop_now: float, sim_rate: float) -> float:
        """When the simulator was due to send the last token, on ``time.perf_counter()``."""
        due = self.send_at + LEAD_S + self.variant.paced / sim_rate
        return time.perf_counter() - (loop_now - due)

    async def _read(self, client: LLMClient) -> Accumulator:
        await asyncio.sleep(self.send_at - asyncio.get_running_loop().time())
        answer = Accumulator()
        async with client.stream(self.variant.request) as events:
            async for event in events:
                answer.add(event)
                if isinstance(event, TextChunk):
                    self._text(event.text)
        return answer

    def _text(self, text: str) -> None:
        delta = TextDelta(self._run_id, self._step, text)
        if self._held is None:
            assert self._queue is not None
            self._queue.put_nowait(delta)
        else:
            self._held.append(delta)
        if self._first_at is None:
            self._first_at = time.monotonic()


async def warm_up(client: LLMClient, loads: Sequence[StepLoad]) -> None:
    """Every request once, so the simulator has its answers in memory and the client its
    connections; the panels' own four at once, as in the run."""

    async def one(request: ChatRequest) -> None:
        async with client.stream(request) as events:
            async for _ in events:
                pass

    for index in range(VARIANTS):
        await asyncio.gather(*(one(load.variants[index].request) for load in loads))
