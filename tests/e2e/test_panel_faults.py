"""Every simulator fault on every step, seen from the desk: the panel of the step that met it says
so in plain words and offers the way on (Retry, the fallback model, Settings), which works: the
step runs again against the simulator once the fault is used up or the setting is corrected.
A provider out of reach (a refused connection, a name that does not resolve) is tried the same way.

What the agent sees for each kind (the simulator's FAULT_KINDS, app/sim/control.py):

- recovered by the client itself (app/llm/client.py retries before the first byte is handed on):
  one 429 with Retry-After, one 500, 503 or 529, an in-band error or a dropped connection before
  any text, and one invalid JSON answer (the pipeline asks once for a correction). The panel shows
  the wait or the correction, then ends "done";
- shown as a failure: a retryable status that outlasts the client's two retries, a rejected key
  (401), a prompt over the context window, and every stream fault after text was shown (drop,
  stall, malformed, in-band error): nothing is retried behind the agent's back once text is on
  screen, and that text stays in the panel. A second invalid JSON answer fails the step too.

A stalled stream is given up after the client's read timeout, 30 s in the product
(app.llm.client.STALL_TIMEOUT_S) and not a workspace setting; ``short_read_timeout`` builds the
demo's clients with a short one through ``client_for``'s own options instead.
"""

from __future__ import annotations

import dataclasses
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

import app.workspace
from app.llm import providers
from app.llm.client import LLMClient
from app.pipeline.events import RunFinished
from app.sim.server import Fault
from app.workspace import Workspace
from tests.e2e.conftest import RUN_MS
from ui.main_window import MainWindow
from ui.step_panel import StepPanel

TICKET = "T-1001"  # order #4521: all four steps run, reasoning included
STEPS = ("intent", "retrieval", "reasoning", "reply")
# The simulator streams ~3,000 tokens/s, so no healthy read waits anywhere near this.
READ_TIMEOUT_S = 1.5
# Past the client's two retries (app.llm.retry.MAX_RETRIES): the third attempt fails as well.
OUTLASTS_RETRIES = 3
KEPT_NOTE = "The text produced before the failure is kept above."
# What a user must never read in a panel: a traceback, code, a class name, a raw error body.
NOT_PLAIN = re.compile(
    r"Traceback|File \"|Exception|httpx|[{}\[\]]|\b[A-Z][a-z]+(?:[A-Z][a-z]+)+"
    r"|line \d+ column \d+|\(char \d+\)"  # a JSON parser's own report
)


@pytest.fixture(autouse=True)
def short_read_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build the workspace's clients with a short read timeout (before ``workspace`` opens)."""

    def client_for(*args: Any, **options: Any) -> LLMClient:
        return providers.client_for(*args, stall_timeout_s=READ_TIMEOUT_S, **options)

    monkeypatch.setattr(app.workspace, "client_for", client_for)


@dataclass
class Seen:
    """What the window showed while a run went on: each wait and note, with the panel's state."""

    waits: list[tuple[str, str, str]] = field(default_factory=list)  # (step, message, state)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (step, message)

    @classmethod
    def watch(cls, window: MainWindow) -> Seen:
        seen = cls()
        # Connected after the window's own slots: the panel has already taken the wait.
        window.bridge.stepWaiting.connect(
            lambda step, message: seen.waits.append((step, message, window.panels[step].state()))
        )
        window.bridge.stepNoted.connect(lambda step, message: seen.notes.append((step, message)))
        return seen

    def waits_of(self, step: str) -> list[tuple[str, str]]:
        return [(message, state) for s, message, state in self.waits if s == step]


@dataclass(frozen=True)
class Shown:
    """A fault the agent sees as a failure: the key words of its message, and whether text
    streamed before it stays in the panel."""

    fault: Fault
    words: tuple[str, ...]
    partial: bool = False
    retried: bool = False  # the client tried again (and said so) before giving up
    times: int = 1  # injected this many times (each use of a fresh fault counts from 0)


def failure(
    fault: Fault,
    *words: str,
    partial: bool = False,
    retried: bool = False,
    times: int = 1,
    name: str = "",
    marks: Any = (),
) -> Any:
    case = Shown(fault, words, partial, retried, times)
    return pytest.param(case, id=name or f"{fault.kind}-{fault.step}", marks=marks)


JSON_STEPS = ("intent", "retrieval")  # a bad JSON answer only means something to these
# Every fault the client cannot absorb, each on every step it can meet: (fault, words the panel
# says, whether text streamed before it stays, whether the client retried first, injections).
CANNOT_ABSORB: list[tuple[Fault, tuple[str, ...], dict[str, Any]]] = [
    (Fault("rate_limit", retry_after_s=0.1, count=OUTLASTS_RETRIES), ("rate-limiting",),
     {"retried": True}),
    (Fault("server_error", count=OUTLASTS_RETRIES), ("internal error",), {"retried": True}),
    (Fault("unavailable", count=OUTLASTS_RETRIES), ("overloaded",), {"retried": True}),
    (Fault("overloaded", count=OUTLASTS_RETRIES), ("overloaded",), {"retried": True}),
    (Fault("context_length"), ("too long",), {}),
    (Fault("drop", after_tokens=3), ("connection dropped",), {"partial": True}),
    (Fault("stall", after_tokens=3), ("stopped sending",), {"partial": True}),
    (Fault("malformed", after_tokens=3), ("malformed",), {"partial": True}),
    (Fault("inband_error", after_tokens=3), ("error",), {"partial": True}),
    # The first answer does not parse, the corrected one lacks a required key.
    (Fault("bad_json", count=2), ("not in the form", "correction"), {"partial": True}),
    # Both answers fail to parse: plain words, never the JSON parser's position and all.
    (Fault("bad_json"), ("not valid JSON", "correction"), {"partial": True, "times": 2,
     "name": "bad_json-twice-unparsable"}),
]  # fmt: skip


def on_every_step(fault: Fault) -> list[Fault]:
    steps = JSON_STEPS if fault.kind == "bad_json" else STEPS
    return [dataclasses.replace(fault, step=step) for step in steps]


FAILURES = [
    failure(
        placed,
        *words,
        **{**options, "name": f"{options['name']}-{placed.step}" if "name" in options else ""},
    )
    for fault, words, options in CANNOT_ABSORB
    for placed in on_every_step(fault)
]
# Statuses a status fault is answered with (app/sim/wire.py); stream and content faults get 200.
STATUS = {
    "rate_limit": 429,
    "server_error": 500,
    "unavailable": 503,
    "overloaded": 529,
    "auth": 401,
    "context_length": 400,
}


def recovered(fault: Fault, shows: str) -> Any:
    tag = f"-after{fault.after_tokens}" if fault.kind in ("drop", "inband_error") else ""
    return pytest.param(fault, shows, id=f"{fault.kind}{tag}-{fault.step}")


ABSORBED = [
    (Fault("rate_limit", retry_after_s=0.2), "rate-limiting"),
    (Fault("server_error"), "internal error"),
    (Fault("unavailable"), "overloaded"),
    (Fault("overloaded"), "overloaded"),
    (Fault("inband_error", after_tokens=0), "internal error"),
    (Fault("drop", after_tokens=0), "connection dropped"),
    (Fault("bad_json"), "not valid JSON"),
]
THINKS = "reasoning"  # its model streams thinking first: the agent has seen something
RECOVERED = [
    recovered(placed, shows)
    for fault, shows in ABSORBED
    for placed in on_every_step(fault)
    # Nothing is retried behind the agent's back once anything is on screen, thinking included:
    # on the reasoning step a fault "before any text" comes after its thinking, and fails it
    # (CANNOT_ABSORB's drop and in-band error after text cover that case).
    if not (placed.step == THINKS and fault.kind in ("drop", "inband_error"))
]


def draft(qtbot: QtBot, window: MainWindow) -> RunFinished:
    assert window.inbox.select(TICKET)
    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS) as finished:
        window.draft_action.trigger()
    qtbot.waitUntil(lambda: not window.bridge.is_running(), timeout=RUN_MS)
    assert finished.args is not None
    event: RunFinished = finished.args[0]
    return event


def retry(qtbot: QtBot, window: MainWindow, panel: StepPanel) -> RunFinished:
    button = panel.error.retry_button
    assert button.isVisible() and button.isEnabled()
    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS) as finished:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.bridge.is_running(), timeout=RUN_MS)
    assert finished.args is not None
    event: RunFinished = finished.args[0]
    return event


def errors_answered(workspace: Workspace) -> list[int]:
    """The error statuses the simulator answered generation requests with, oldest first."""
    assert workspace.simulator is not None
    return [r.status for r in list(workspace.simulator.recorded) if r.status >= 400]


def status_errors(fault: Fault) -> list[int]:
    """What ``errors_answered`` holds once every use of ``fault`` met a request."""
    status = STATUS.get(fault.kind)
    return [status] * fault.count if status is not None else []


def states(window: MainWindow) -> dict[str, str]:
    return {name: panel.state() for name, panel in window.panels.items()}


def after_failure(step: str) -> dict[str, str]:
    """The panels once ``step`` failed: the steps it needs are done (retrieval's planner runs
    alongside intent, so it finishes even when intent fails), the ones that need it not run."""
    if step == "intent":
        return {"intent": "failed", "retrieval": "done", "reasoning": "not run", "reply": "not run"}
    index = STEPS.index(step)
    before = dict.fromkeys(STEPS[:index], "done")
    return before | {step: "failed"} | dict.fromkeys(STEPS[index + 1 :], "not run")


def after_retry(step: str) -> dict[str, str]:
    """Retry runs the step and those after it; the earlier ones are kept from the failed run."""
    index = STEPS.index(step)
    return dict.fromkeys(STEPS[:index], "kept") | dict.fromkeys(STEPS[index:], "done")


def assert_plain(message: str) -> None:
    assert message.strip(), "the failure says nothing"
    found = NOT_PLAIN.search(message)
    assert found is None, f"not plain words: {found.group(0)!r} in {message!r}"


def assert_draft_landed(window: MainWindow) -> None:
    draft_text = window.editor.text()
    assert draft_text.strip() and draft_text == window.panels["reply"].text()
    assert "Emily" in draft_text  # the demo ticket's customer is greeted by name


@pytest.mark.parametrize("case", FAILURES)
def test_a_fault_the_client_cannot_absorb_fails_its_panel_and_retry_recovers(
    qtbot: QtBot, workspace: Workspace, window: MainWindow, case: Shown
) -> None:
    assert workspace.simulator is not None
    step = case.fault.step
    assert step is not None
    for _ in range(case.times):
        workspace.simulator.inject(case.fault)
    seen = Seen.watch(window)

    finished = draft(qtbot, window)
    assert not finished.ok and finished.failed_steps == (step,)
    assert states(window) == after_failure(step)
    # Every attempt went over the wire: the client's retries each met the fault.
    assert errors_answered(workspace) == status_errors(case.fault)
    panel = window.panels[step]
    assert panel.error.isVisible() and panel.is_expanded()
    message = panel.error.message.text()
    for word in case.words:
        assert word.lower() in message.lower(), f"{word!r} not in {message!r}"
    assert_plain(message)
    if case.retried:  # the panel said it was trying again before it gave up
        waits = seen.waits_of(step)
        assert len(waits) == 2 and all(state == "waiting" for _, state in waits), waits
        assert all("Retrying in" in said for said, _ in waits)
    if case.partial:
        assert panel.text().strip() and message.endswith(KEPT_NOTE)
    else:
        assert not panel.text() and KEPT_NOTE not in message
    assert window.editor.text() == window.panels["reply"].text()
    assert not panel.error.fallback_button.isVisible()  # the demo routes have no fallback model
    # Settings only where a setting is the way on: the key, URL, model, account, a model that
    # takes longer tickets.
    wants_settings = case.fault.kind == "context_length"
    assert panel.error.settings_button.isVisible() == wants_settings

    rerun = retry(qtbot, window, panel)
    assert rerun.ok
    assert states(window) == after_retry(step)
    assert not panel.error.isVisible() and panel.text().strip()
    assert_draft_landed(window)


@pytest.mark.parametrize(("fault", "shows"), RECOVERED)
def test_a_fault_the_client_absorbs_shows_the_wait_and_the_step_finishes(
    qtbot: QtBot, workspace: Workspace, window: MainWindow, fault: Fault, shows: str
) -> None:
    assert workspace.simulator is not None
    step = fault.step
    assert step is not None
    workspace.simulator.inject(fault)
    seen = Seen.watch(window)

    finished = draft(qtbot, window)
    assert finished.ok, finished
    assert errors_answered(workspace) == status_errors(fault)
    assert states(window) == dict.fromkeys(STEPS, "done")
    panel = window.panels[step]
    assert not panel.error.isVisible()
    if fault.kind == "bad_json":  # corrected, not retried: the panel said it asked again
        assert (step, "The answer was not valid JSON: asking again.") in seen.notes
        assert "corrected answer" in panel.text()
    else:
        [(message, state)] = seen.waits_of(step)
        assert state == "waiting" and "Retrying in" in message
        assert shows in message, message
        assert_plain(message)
    assert_draft_landed(window)


@pytest.mark.parametrize("step", STEPS)
def test_a_rejected_key_offers_settings_and_retry_works_once_it_is_accepted(
    qtbot: QtBot, workspace: Workspace, window: MainWindow, shot: Callable[..., Path], step: str
) -> None:
    assert workspace.simulator is not None
    workspace.simulator.inject(Fault("auth", step=step))

    finished = draft(qtbot, window)
    assert not finished.ok and finished.failed_steps == (step,)
    assert states(window) == after_failure(step)
    panel = window.panels[step]
    error = panel.error
    assert "rejected the API key" in error.message.text()
    assert "Settings" in error.message.text()
    assert_plain(error.message.text())
    assert error.settings_button.isVisible() and error.retry_button.isVisible()
    assert not error.fallback_button.isVisible()  # another model would be refused the same way
    if step == "intent":
        shot(panel, "e2e_failed_panel_rejected_key", fit_height=True)

    qtbot.mouseClick(error.settings_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(QDialog, "settingsDialog")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=RUN_MS)
    dialog.reject()
    assert not dialog.isVisible()

    # The simulator accepts the key again (its one rejection is used up): Retry drafts.
    assert retry(qtbot, window, panel).ok
    assert states(window) == after_retry(step)
    assert_draft_landed(window)


def route_step(workspace: Workspace, step: str, **changes: Any) -> None:
    """Change ``step``'s route as Settings would (demo settings are otherwise fixed); with
    ``base_url``, the step goes to a provider profile of its own at that address."""
    settings = workspace.settings
    route = settings.routes[step]
    providers = dict(settings.providers)
    base_url = changes.pop("base_url", None)
    if base_url is not None:
        providers["elsewhere"] = dataclasses.replace(
            settings.provider, name="elsewhere", base_url=base_url
        )
        changes["provider"] = "elsewhere"
    routes = {**settings.routes, step: dataclasses.replace(route, **changes)}
    workspace.settings = dataclasses.replace(settings, providers=providers, routes=routes)
    workspace._reset_client()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again: nothing listens there


# Addresses that never answer: a closed port here, a name that resolves nowhere (.invalid).
UNREACHABLE = {
    "refused": ("http://127.0.0.1:{port}/v1", "nothing accepted the connection"),
    "dns": ("https://stepwise-test.invalid/v1", "its address was not found"),
}


@pytest.mark.parametrize("where", sorted(UNREACHABLE))
@pytest.mark.parametrize("step", STEPS)
def test_an_unreachable_provider_offers_settings_and_retry_works_once_the_address_is_fixed(
    qtbot: QtBot, workspace: Workspace, window: MainWindow, step: str, where: str
) -> None:
    assert workspace.simulator is not None
    address, words = UNREACHABLE[where]
    simulator_url = workspace.settings.provider.base_url
    route_step(workspace, step, base_url=address.format(port=closed_port()))

    finished = draft(qtbot, window)
    assert not finished.ok and finished.failed_steps == (step,)
    assert states(window) == after_failure(step)
    panel = window.panels[step]
    message = panel.error.message.text()
    assert "Could not reach the provider" in message and words in message, message
    assert_plain(message.replace(address.split("{")[0], ""))  # the address itself may have "/"
    assert panel.error.settings_button.isVisible() and panel.error.retry_button.isVisible()
    assert not panel.error.fallback_button.isVisible()  # the same provider for any model
    assert window.isVisible()

    route_step(workspace, step, base_url=simulator_url)  # the agent corrects the address
    assert retry(qtbot, window, panel).ok
    assert states(window) == after_retry(step)
    assert_draft_landed(window)


def fallback_for(step: str) -> str:
    return "sim-writer" if step != "reply" else "sim-flash"


# Text was on screen when the step failed, so nothing ran behind the agent's back: the panel
# offers the route's fallback model, and that button runs the step on it.
@pytest.mark.parametrize("step", STEPS)
def test_the_fallback_model_offered_after_a_failure_runs_the_step(
    qtbot: QtBot, workspace: Workspace, window: MainWindow, step: str
) -> None:
    assert workspace.simulator is not None
    fallback = fallback_for(step)
    route_step(workspace, step, fallback_model=fallback)
    workspace.simulator.inject(Fault("drop", after_tokens=3, step=step))

    finished = draft(qtbot, window)
    assert not finished.ok and finished.failed_steps == (step,)
    panel = window.panels[step]
    button = panel.error.fallback_button
    assert button.isVisible() and button.isEnabled() and fallback in button.text()
    sent_before = len(workspace.simulator.requests)
    with qtbot.waitSignal(window.bridge.runFinished, timeout=RUN_MS) as rerun:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.bridge.is_running(), timeout=RUN_MS)
    assert rerun.args is not None and rerun.args[0].ok
    assert states(window) == after_retry(step)
    assert list(workspace.simulator.requests)[sent_before]["model"] == fallback
    assert panel.header.model.text() == fallback
    assert_draft_landed(window)


def test_a_step_whose_model_keeps_failing_falls_back_on_its_own_before_any_text(
    qtbot: QtBot, workspace: Workspace, window: MainWindow
) -> None:
    assert workspace.simulator is not None
    route_step(workspace, "reasoning", fallback_model="sim-writer")
    workspace.simulator.inject(Fault("server_error", step="reasoning", count=OUTLASTS_RETRIES))
    seen = Seen.watch(window)

    assert draft(qtbot, window).ok
    assert states(window) == dict.fromkeys(STEPS, "done")
    assert window.panels["reasoning"].header.model.text() == "sim-writer"
    assert any("sim-writer" in note for step, note in seen.notes if step == "reasoning"), seen
    assert_draft_landed(window)
