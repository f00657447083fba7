"""The dashboard's figures as the tiles' texts and the charts' series: plain data, no drawing.

Kept apart from ``charts`` (which imports pyqtgraph, about a second) and from the view, so what
each chart shows can be read, and tested, in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.store.period import END_TO_END
from app.supervisor.figures import ALL_STEPS, NO_MODEL, Dashboard
from ui.core_text import step_name
from ui.formatting import format_cost, humanize
from ui.i18n import translate
from ui.theme import colours

TOTALS = {
    END_TO_END: QT_TRANSLATE_NOOP("DashboardView", "End to end"),
    ALL_STEPS: QT_TRANSLATE_NOOP("DashboardView", "All steps"),
}


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: Sequence[float | None]  # one per category; None draws no bar and writes "–"


Chart = tuple[list[str], list[Series]]  # categories, and a series of bars over them


def percent(value: float) -> str:
    return f"{value * 100:.1f}%" if value < 0.1 else f"{value * 100:.0f}%"


def seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 100 else f"{value:.0f} s"


def tile_texts(found: Dashboard) -> dict[str, str]:
    """The tiles' values, by tile key."""
    accepted = found.acceptance.unedited_share
    failed = f"{found.failed_runs:,}"
    if found.run_error_rate is not None:
        failed += f" ({percent(found.run_error_rate)})"
    per_1000 = found.cost_per_1000_tickets
    return {
        "runs": f"{found.runs:,}",
        "tickets": f"{found.tickets:,}",
        "failed": failed,
        "cost": format_cost(found.cost_usd),
        "per_1000": "–" if per_1000 is None else format_cost(per_1000),
        "unedited": "–" if accepted is None else percent(accepted),
    }


def chart_series(found: Dashboard) -> dict[str, Chart]:
    """Each chart's categories and series, by chart key, in the theme's colours now in use."""
    c = colours()
    latency = found.latency
    names = [_step_name(name) for name in latency]
    rates = found.rates
    rate_names = [_step_name(name) for name in rates]
    accepted = found.acceptance
    by_step = found.cost_per_1000_tickets_by_step
    by_model = found.cost_per_1000_tickets_by_model
    return {
        "latency": (
            names,
            [
                Series("p50", c.accent, [v.p50 for v in latency.values()]),
                Series("p95", c.warning, [v.p95 for v in latency.values()]),
                Series("p99", c.danger, [v.p99 for v in latency.values()]),
            ],
        ),
        "cost_by_step": (
            [_step_name(name) for name in by_step],
            [Series(translate("DashboardView", "Cost"), c.accent, list(by_step.values()))],
        ),
        "cost_by_model": (
            [
                translate("DashboardView", "No model") if name == NO_MODEL else name
                for name in by_model
            ],
            [Series(translate("DashboardView", "Cost"), c.accent, list(by_model.values()))],
        ),
        "acceptance": (
            [
                translate("DashboardView", "Unedited"),
                translate("DashboardView", "Lightly edited"),
                translate("DashboardView", "Rewritten"),
            ]
            if accepted.sent
            else [],
            [
                Series(
                    translate("DashboardView", "Sent"),
                    c.success,
                    [accepted.unedited_share, accepted.light_share, accepted.rewritten_share],
                )
            ],
        ),
        "intents": (
            [humanize(item.intent).capitalize() for item in found.intent_mix],
            [
                Series(
                    translate("DashboardView", "Tickets"),
                    c.accent,
                    [i.share for i in found.intent_mix],
                )
            ],
        ),
        "rates": (
            rate_names if any(r.records for r in rates.values()) else [],
            [
                Series(
                    translate("DashboardView", "Errors"),
                    c.danger,
                    [r.error_rate for r in rates.values()],
                ),
                Series(
                    translate("DashboardView", "Retries"),
                    c.warning,
                    [r.retry_rate for r in rates.values()],
                ),
                Series(
                    translate("DashboardView", "Skipped"),
                    c.muted,
                    [r.skip_rate for r in rates.values()],
                ),
            ],
        ),
    }


def _step_name(name: str) -> str:
    """A category's name: a step's title, or one of the two totals."""
    total = TOTALS.get(name)
    if total is not None:
        return translate("DashboardView", str(total))
    return step_name(name)
