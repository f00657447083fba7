"""The status bar's permanent part: the provider and how it is doing, this run's tokens, and what
today's runs spent (from the store, so it survives restarts and counts re-runs).

The provider's state follows the pipeline's events: a step that finished means it answered; a
rate-limit or retry wait says so with its seconds; a failure names its cause in a word or two.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QLabel, QStatusBar

from app.pipeline.events import StepFailed, Usage
from app.store import RunTotals, StoreError
from ui.contracts import WorkspaceLike
from ui.formatting import format_cost, format_tokens
from ui.i18n import translate

# A failure's kind → the provider's state in a word or two (the panel says the rest).
_FAILED_STATES = {
    "AuthError": QT_TRANSLATE_NOOP("StatusLine", "key rejected"),
    "PermissionDenied": QT_TRANSLATE_NOOP("StatusLine", "access denied"),
    "PaymentRequired": QT_TRANSLATE_NOOP("StatusLine", "out of credit"),
    "NotFound": QT_TRANSLATE_NOOP("StatusLine", "model not found"),
    "ConfigError": QT_TRANSLATE_NOOP("StatusLine", "not set up"),
    "RateLimited": QT_TRANSLATE_NOOP("StatusLine", "rate-limited"),
    "ServerError": QT_TRANSLATE_NOOP("StatusLine", "failing"),
    "Overloaded": QT_TRANSLATE_NOOP("StatusLine", "overloaded"),
    "NetworkError": QT_TRANSLATE_NOOP("StatusLine", "unreachable"),
    "Unreachable": QT_TRANSLATE_NOOP("StatusLine", "unreachable"),
    "TLSFailure": QT_TRANSLATE_NOOP("StatusLine", "certificate not accepted"),
    "ConnectTimeout": QT_TRANSLATE_NOOP("StatusLine", "unreachable"),
    "StreamStalled": QT_TRANSLATE_NOOP("StatusLine", "stalled"),
}
_NO_STATE = frozenset({"StepCancelled"})  # the agent stopped it: says nothing of the provider


class StatusLine:
    """Three labels on the window's status bar (objectNames ``providerStatus``, ``tokenStatus``,
    ``todayStatus``)."""

    def __init__(self, bar: QStatusBar, workspace: WorkspaceLike) -> None:
        self._workspace = workspace
        self.provider = _label("providerStatus")
        self.tokens = _label("tokenStatus")
        self.today = _label("todayStatus")
        self.today.setToolTip(translate("StatusLine", "What today's runs spent, re-runs included"))
        for widget in (self.provider, self.tokens, self.today):
            bar.addPermanentWidget(widget)
        self._state = ""
        self.show_provider()
        self.refresh_today()

    def show_provider(self) -> None:
        if self._workspace.demo:
            where = translate("StatusLine", "Simulator (demo)")
        else:
            where = self._workspace.settings.provider.base_url
        text = translate("StatusLine", "Provider: {where}").format(where=where)
        if self._state:
            text = translate("StatusLine", "{provider} · {state}").format(
                provider=text, state=self._state
            )
        self.provider.setText(text)

    def answered(self) -> None:
        self._set_state(translate("StatusLine", "connected"))

    def waiting(self, reason: str, seconds: float) -> None:
        """A rate-limit budget ("budget") or a retry after a failure ("retry")."""
        wait = max(1, round(seconds))
        if reason == "budget":
            text = translate("StatusLine", "rate limit: sending in {seconds} s")
        else:
            text = translate("StatusLine", "retrying in {seconds} s")
        self._set_state(text.format(seconds=wait))

    def failed(self, event: StepFailed) -> None:
        if event.kind in _NO_STATE:
            return
        state = _FAILED_STATES.get(event.kind)
        self._set_state(
            translate("StatusLine", state) if state else translate("StatusLine", "error")
        )

    def show_run(self, usage: list[Usage], running: bool) -> None:
        total = Usage(
            sum(u.input_tokens for u in usage),
            sum(u.output_tokens for u in usage),
            any(u.estimated for u in usage),
        )
        which = (
            translate("StatusLine", "This run: {tokens} tokens")
            if running
            else translate("StatusLine", "Last run: {tokens} tokens")
        )
        self.tokens.setText(which.format(tokens=format_tokens(total)))

    def refresh_today(self) -> None:
        """Re-read today's totals (local midnight on): after each run, and at start."""
        midnight = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
        try:
            totals = self._workspace.store.totals_since(midnight)
        except StoreError:
            return  # the totals are a courtesy: a store problem shows where it matters
        self.today.setText(today_text(totals))

    def _set_state(self, state: str) -> None:
        self._state = state
        self.show_provider()


def today_text(totals: RunTotals) -> str:
    cost = format_cost(totals.cost_usd)
    if totals.cost_estimated:
        cost = "~" + cost
    if totals.runs == 1:
        text = translate("StatusLine", "Today: 1 run · {tokens} tokens · {cost}")
    else:
        text = translate("StatusLine", "Today: {runs} runs · {tokens} tokens · {cost}")
    usage = Usage(totals.input_tokens, totals.output_tokens)
    return text.format(runs=totals.runs, tokens=format_tokens(usage), cost=cost)


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    return label
