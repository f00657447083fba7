"""The dashboard's figures equal the ones worked out by hand below, for the runs recorded by
``tests/supervisor/hand_runs.py`` (its docstring tabulates them: durations, costs, retries)."""

from __future__ import annotations

import statistics

import pytest

from app.store import Store
from app.supervisor.figures import Dashboard, dashboard, percentile
from tests.supervisor.hand_runs import SINCE, UNTIL, record_hand_runs


@pytest.fixture
def figures(seeded: Store) -> Dashboard:
    record_hand_runs(seeded)
    return dashboard(seeded, SINCE, UNTIL)


def test_latency_percentiles_by_step_and_end_to_end(figures: Dashboard) -> None:
    # Linear interpolation: h = (n - 1) p, x[floor h] + frac(h) (x[floor h + 1] - x[floor h]).
    # End to end, ok runs only: [2, 3, 4, 5]; p50 h=1.5 -> 3.5; p95 h=2.85 -> 4.85; p99 -> 4.97.
    # Intent, done only (not kept, not cached): [0.4, 0.5, 0.7]; p50 h=1 -> 0.5;
    #   p95 h=1.9 -> 0.5 + 0.9 * 0.2 = 0.68; p99 h=1.98 -> 0.696.
    # Retrieval: [0.2, 0.25, 0.3, 0.35]; p50 0.275; p95 h=2.85 -> 0.3425; p99 0.3485.
    # Reasoning, done only (R4 failed): [2, 3]; p50 h=0.5 -> 2.5; p95 2.95; p99 2.99.
    # Reply: [1.0, 1.1, 1.2, 1.5]; p50 h=1.5 -> 1.15; p95 h=2.85 -> 1.2 + 0.85 * 0.3 = 1.455;
    #   p99 h=2.97 -> 1.491.
    expected = {
        "intent": (3, 0.5, 0.68, 0.696),
        "retrieval": (4, 0.275, 0.3425, 0.3485),
        "reasoning": (2, 2.5, 2.95, 2.99),
        "reply": (4, 1.15, 1.455, 1.491),
        "end_to_end": (4, 3.5, 4.85, 4.97),
    }
    assert list(figures.latency) == list(expected)
    for name, (count, p50, p95, p99) in expected.items():
        found = figures.latency[name]
        assert found.count == count, name
        assert (found.p50, found.p95, found.p99) == pytest.approx((p50, p95, p99)), name


def test_costs_per_1000_tickets_by_step_and_model(figures: Dashboard) -> None:
    # Spent: R1 0.0315 + R2 0.020 + R3 0.0165 + R4 0.0055 + R5 0.0305 = 0.104 over 4 tickets.
    assert (figures.runs, figures.tickets) == (5, 4)
    assert figures.cost_usd == pytest.approx(0.104)
    assert figures.cost_per_1000_tickets == pytest.approx(26.0)
    # intent 3 x 0.001; retrieval 4 x 0.0005; reasoning 0.010 + 0.004 + 0.012; reply 0.073.
    assert figures.cost_per_1000_tickets_by_step == pytest.approx(
        {"intent": 0.75, "retrieval": 0.5, "reasoning": 6.5, "reply": 18.25}
    )
    assert list(figures.cost_per_1000_tickets_by_step) == ["intent", "retrieval", "reasoning",
                                                            "reply"]  # fmt: skip
    # gpt-4.1: 0.026 reasoning + 0.018 R5's reply; sonnet: 0.020 + 0.020 + 0.015.
    assert figures.cost_per_1000_tickets_by_model == pytest.approx(
        {"deepseek": 0.5, "flash": 0.75, "gpt-4.1": 11.0, "sonnet": 13.75}
    )


def test_acceptance_of_the_sent_drafts(figures: Dashboard) -> None:
    acceptance = figures.acceptance
    assert (acceptance.sent, acceptance.unedited, acceptance.light, acceptance.rewritten) == (
        3,
        1,
        1,
        1,
    )
    assert acceptance.unedited_share == pytest.approx(1 / 3)
    assert acceptance.light_share == acceptance.rewritten_share == pytest.approx(1 / 3)


def test_intent_mix_counts_tickets_not_runs(figures: Dashboard) -> None:
    # T-1001 twice (R1, R2) counts once; shipping_expedite is on T-1001 and T-1002.
    assert figures.classified_tickets == 4
    mix = [(share.intent, share.tickets, share.share) for share in figures.intent_mix]
    assert mix == [
        ("shipping_expedite", 2, 0.5),
        ("address_change", 1, 0.25),
        ("complaint_escalation", 1, 0.25),
        ("discount_request", 1, 0.25),
        ("order_status", 1, 0.25),
        ("refund_request", 1, 0.25),
    ]


def test_error_retry_and_skip_rates(figures: Dashboard) -> None:
    # (records, ran, failed, retried, skipped) -> error = failed/ran, retry = retried/ran,
    # skip = skipped/records.
    expected = {
        "intent": (5, 3, 0, 0, 0, 0.0, 0.0, 0.0),
        "retrieval": (5, 4, 0, 0, 0, 0.0, 0.0, 0.0),
        "reasoning": (5, 3, 1, 2, 1, 1 / 3, 2 / 3, 0.2),
        "reply": (5, 4, 0, 1, 1, 0.0, 0.25, 0.2),
        "all": (20, 14, 1, 3, 2, 1 / 14, 3 / 14, 0.1),
    }
    assert list(figures.rates) == list(expected)
    for name, values in expected.items():
        rates = figures.rates[name]
        found = (rates.records, rates.ran, rates.failed, rates.retried, rates.skipped)
        assert found == values[:5], name
        assert (rates.error_rate, rates.retry_rate, rates.skip_rate) == pytest.approx(values[5:])
    assert (figures.failed_runs, figures.cancelled_runs, figures.run_error_rate) == (1, 0, 0.2)


def test_an_empty_period_has_counts_of_zero_and_no_ratios(seeded: Store) -> None:
    empty = dashboard(seeded, SINCE, UNTIL)
    assert (empty.runs, empty.tickets, empty.cost_usd, empty.cost_per_1000_tickets) == (
        0,
        0,
        0.0,
        None,
    )
    assert empty.latency["end_to_end"].count == 0 and empty.latency["end_to_end"].p50 is None
    assert empty.acceptance.unedited_share is None and empty.intent_mix == ()
    assert empty.rates["all"].error_rate is None
    assert empty.to_json()["acceptance"]["sent"] == 0


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([7.0], 0.99, 7.0),
        ([1.0, 2.0], 0.5, 1.5),
        ([float(n) for n in range(1, 11)], 0.95, 9.55),  # h = 8.55
        ([float(n) for n in range(1, 101)], 0.99, 99.01),  # h = 98.01
        ([float(n) for n in range(1, 101)], 0.5, 50.5),
    ],
)
def test_percentile_is_linear_interpolation_like_numpy(
    values: list[float], p: float, expected: float
) -> None:
    assert percentile(dict(enumerate(values)), len(values), p) == pytest.approx(expected)
    if len(values) > 1:  # the standard library's "inclusive" method is the same definition
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        assert cuts[round(p * 100) - 1] == pytest.approx(expected)
