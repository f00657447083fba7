"""The supervisor's history: rows, order, paging, every filter, the search index kept in step with
every write, edit levels measured at send time, and query plans that use the indexes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.store import HistoryFilter, Store, StoreBug
from app.store import history as history_sql
from tests.store.run_factory import record, step, steps

DRAFT = (
    "Hi Emily, thank you for your patience. Your order #4521 left Chicago this morning on an"
    " express upgrade at no cost to you, and UPS now expects to deliver it on December 9, a day"
    " before your daughter's birthday. Your VIP discount of 10% has been refunded to your card."
    " Best regards, Dana"
)


def ids(store: Store, flt: HistoryFilter | None = None, offset: int = 0, limit: int = 100) -> list:
    return [row.run_id for row in store.history_page(flt, offset, limit)]


def test_a_row_shows_what_the_history_table_shows(seeded: Store) -> None:
    run_steps = steps(intents=["shipping_expedite", "discount_request"])
    run_steps[2] = step("reasoning", "skipped", model="gpt-4.1", skipped_reason="simple")
    run_steps[3]["model"] = "flash"  # a model used twice is listed once
    flags = [{"rule": "refund_agent_cap_usd", "message": "Above the cap.", "policy_id": "P"}]
    record(seeded, "R-1", seconds=7.5, run_steps=run_steps, flags_json=flags, needs_approval=True)

    (row,) = seeded.history_page()
    assert (row.run_id, row.ticket_id, row.agent_name, row.status) == (
        "R-1",
        "T-1001",
        "Dana",
        "ok",
    )
    assert row.subject == seeded.ticket("T-1001").subject
    assert row.customer_name == "Emily Carter"
    assert row.intents == ("shipping_expedite", "discount_request")
    assert row.models == ("flash", "deepseek")  # the skipped step's model did not run
    assert row.latency_s == 7.5  # end to end, not the sum of the steps
    assert row.cost_usd == pytest.approx(0.03)  # the three steps that ran
    assert (row.flags, row.needs_approval) == (("refund_agent_cap_usd",), True)
    assert (row.edit_level, row.edit_ratio, row.marked_wrong) == (None, None, 0)
    assert seeded.history_row("R-1") == row


def test_a_run_without_an_answer_from_intent_or_an_end_has_no_intents_or_latency(
    seeded: Store,
) -> None:
    failed = [step("intent", "failed", error="timeout"), step("retrieval", "skipped")]
    record(seeded, "R-1", ok=False, seconds=None, run_steps=failed)
    row = seeded.history_row("R-1")
    assert (row.intents, row.latency_s, row.status, row.models) == ((), None, "failed", ("flash",))


def test_a_kept_intent_step_still_classifies_the_rerun(seeded: Store) -> None:
    kept = steps(intents=["refund_request"])
    kept[0] = {**kept[0], "status": "kept", "kept_from": "R-0"}
    record(seeded, "R-1", run_steps=kept, rerun_of="R-0", from_step="reply")
    assert seeded.history_row("R-1").intents == ("refund_request",)
    assert ids(seeded, HistoryFilter(intent="refund_request")) == ["R-1"]


def test_pages_are_newest_first_with_ties_by_id_and_never_overlap(seeded: Store) -> None:
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    for n in range(25):
        at = start + timedelta(minutes=n // 2)  # pairs share a start time
        record(seeded, f"R-{n:02d}", at=at.isoformat())
    expected = sorted(
        (f"R-{n:02d}" for n in range(25)), key=lambda rid: (int(rid[2:]) // 2, rid), reverse=True
    )
    pages = [ids(seeded, None, offset, 10) for offset in (0, 10, 20)]
    assert [len(page) for page in pages] == [10, 10, 5]
    assert pages[0] + pages[1] + pages[2] == expected
    assert seeded.history_count() == 25
    assert ids(seeded, None, 25, 10) == []
    with pytest.raises(ValueError, match="must be >= 0"):
        seeded.history_page(None, -1, 10)


@pytest.fixture
def varied(seeded: Store) -> Store:
    """Five runs, each differing from the others in what one filter looks at."""
    store = seeded
    record(store, "R-a", at="2026-11-30T23:59:59+00:00", agent_name="Ann", cost_usd=0.01)
    record(
        store,
        "R-b",
        ticket="T-1026",
        at="2026-12-01T00:00:00+00:00",
        run_steps=steps(intents=["refund_request"]),
        draft="Hi Tom, we will refund the espresso machine in full.",
        cost_usd=0.05,
        needs_approval=True,
        flags_json=[{"rule": "refund_agent_cap_usd", "message": "Above the cap."}],
    )
    other_model = steps()
    other_model[3]["model"] = "gpt-4.1-mini"
    record(store, "R-c", ticket="T-1002", at="2026-12-02T08:00:00+00:00", run_steps=other_model)
    record(store, "R-d", ticket="T-1005", at="2026-12-03T08:00:00+00:00", ok=False, cost_usd=0.2)
    skipped_model = steps()
    skipped_model[2] = step("reasoning", "skipped", model="o3")
    record(store, "R-e", ticket="T-1002", at="2026-12-04T08:00:00+00:00", run_steps=skipped_model)
    return store


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (HistoryFilter(), ["R-e", "R-d", "R-c", "R-b", "R-a"]),
        # since is inclusive, until exclusive; a time in another zone is compared in UTC
        (HistoryFilter(since=datetime(2026, 12, 1, tzinfo=UTC)), ["R-e", "R-d", "R-c", "R-b"]),
        (HistoryFilter(until=datetime(2026, 12, 1, tzinfo=UTC)), ["R-a"]),
        (
            HistoryFilter(until=datetime(2026, 12, 1, 1, tzinfo=timezone(timedelta(hours=1)))),
            ["R-a"],
        ),
        (HistoryFilter(since=datetime(2026, 12, 2), until=datetime(2026, 12, 3)), ["R-c"]),
        (HistoryFilter(agent="Ann"), ["R-a"]),
        (HistoryFilter(intent="refund_request"), ["R-b"]),
        (HistoryFilter(intent="order_status"), ["R-e", "R-d", "R-c", "R-a"]),
        (HistoryFilter(model="gpt-4.1-mini"), ["R-c"]),
        (HistoryFilter(model="o3"), []),  # a skipped step's model was not used
        (HistoryFilter(status="failed"), ["R-d"]),
        (HistoryFilter(min_cost=0.05), ["R-d", "R-b"]),
        (HistoryFilter(min_cost=0.01, max_cost=0.05), ["R-e", "R-c", "R-b", "R-a"]),
        (HistoryFilter(max_cost=0.01), ["R-a"]),
        (HistoryFilter(min_cost=1, max_cost=0), []),
        (HistoryFilter(flagged=True), ["R-b"]),
        (HistoryFilter(flagged=False, status="ok"), ["R-e", "R-c", "R-a"]),
        (HistoryFilter(agent="Dana", intent="order_status", model="gpt-4.1-mini"), ["R-c"]),
    ],
)
def test_each_filter_lets_through_exactly_its_runs(
    varied: Store, flt: HistoryFilter, expected: list[str]
) -> None:
    assert ids(varied, flt) == expected
    assert varied.history_count(flt) == len(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("espresso", ["R-b"]),  # in the ticket body and the draft
        ("REFUNDS", ["R-e", "R-c", "R-b"]),  # any case; stemmed: "refunds" finds "refund"
        ("espresso refund", ["R-b"]),  # every word, wherever it is
        ("espresso chicago", []),  # not one run has both
        ("Chicago", ["R-a"]),  # the subject of T-1001
        ("espr", ["R-b"]),  # the last word of three letters or more is also a prefix
        ("ex", []),  # shorter: matched whole ("express" is in T-1001)
        ("espresso OR chicago", []),  # operators are words: "or" is required too
        ('espresso* NOT "(', []),  # no syntax error: "not" is a word too
        ("  ,;  ", ["R-e", "R-d", "R-c", "R-b", "R-a"]),  # no word: no text filter
    ],
)
def test_text_search_needs_every_word_in_ticket_or_reply(
    varied: Store, text: str, expected: list[str]
) -> None:
    flt = HistoryFilter(text=text)
    assert ids(varied, flt) == expected
    assert varied.history_count(flt) == len(expected)


def test_the_search_index_follows_every_write(seeded: Store) -> None:
    record(seeded, "R-1", draft="Hello, we shipped it.")
    assert ids(seeded, HistoryFilter(text="kindly")) == []
    seeded.mark_sent("T-1001", "Hello, we kindly shipped it.")
    assert ids(seeded, HistoryFilter(text="kindly")) == ["R-1"]
    record(seeded, "R-2", at="2026-12-02T10:00:00+00:00", draft="A later draft.")
    assert ids(seeded, HistoryFilter(text="kindly")) == ["R-2", "R-1"]  # the ticket's reply
    assert ids(seeded, HistoryFilter(text="later draft")) == ["R-2"]
    new = seeded.add_ticket("My parcel from Zanzibar never came.")
    record(seeded, "R-3", ticket=new.id, draft="Sorry about that.")
    assert ids(seeded, HistoryFilter(text="zanzibar")) == ["R-3"]
    assert seeded._conn.execute("INSERT INTO runs_fts(runs_fts) VALUES ('integrity-check')")


def test_sending_measures_the_newest_ok_draft_only(seeded: Store) -> None:
    record(seeded, "R-old", at="2026-12-01T09:00:00+00:00", draft="Old draft, never shown.")
    record(seeded, "R-new", at="2026-12-01T10:00:00+00:00", draft=DRAFT)
    record(seeded, "R-failed", at="2026-12-01T11:00:00+00:00", ok=False)
    seeded.mark_sent("T-1001", "  " + DRAFT.replace(" Best", "\n\nBest") + "\n")
    levels = {row.run_id: row.edit_level for row in seeded.history_page()}
    assert levels == {"R-old": None, "R-new": "unedited", "R-failed": None}
    assert seeded.history_row("R-new").edit_ratio == 0.0
    assert ids(seeded, HistoryFilter(edited=False)) == ["R-new"]
    assert ids(seeded, HistoryFilter(edited=True)) == []


@pytest.mark.parametrize(
    ("sent", "level"),
    [
        (DRAFT.replace("Hi Emily,", "Hello Emily,"), "light"),
        (DRAFT + " PS: we added a coupon for the trouble.", "light"),
        ("Dear customer, we cannot help with this request at this time.", "rewritten"),
        ("", "rewritten"),
    ],
)
def test_edit_levels_after_sending(seeded: Store, sent: str, level: str) -> None:
    record(seeded, "R-1", draft=DRAFT)
    seeded.mark_sent("T-1001", sent)
    row = seeded.history_row("R-1")
    assert row.edit_level == level
    assert row.edit_ratio is not None and (row.edit_ratio <= 0.2) == (level == "light")
    assert ids(seeded, HistoryFilter(edited=True)) == ["R-1"]
    assert ids(seeded, HistoryFilter(edit_level=level)) == ["R-1"]


def test_a_reply_sent_without_any_draft_has_no_edit_level(seeded: Store) -> None:
    record(seeded, "R-1", ok=False)
    seeded.mark_sent("T-1001", "Typed by hand.")
    assert seeded.history_row("R-1").edit_level is None


def test_marked_wrong_filter_and_column_follow_the_annotations(varied: Store) -> None:
    note = varied.annotate("R-c", "intent", "wrong", label="wrong_intent")
    varied.annotate("R-b", "reply", "right")
    assert ids(varied, HistoryFilter(marked_wrong=True)) == ["R-c"]
    assert varied.history_count(HistoryFilter(marked_wrong=False)) == 4
    assert varied.history_row("R-c").marked_wrong == 1
    varied.delete_annotation(note.id)
    assert ids(varied, HistoryFilter(marked_wrong=True)) == []


def test_bad_filter_values_are_caller_bugs() -> None:
    with pytest.raises(ValueError, match="status"):
        HistoryFilter(status="done")
    with pytest.raises(ValueError, match="edit_level"):
        HistoryFilter(edit_level="heavy")


@pytest.mark.expected_errors
def test_an_unknown_run_and_a_closed_store_raise_store_errors(seeded: Store) -> None:
    with pytest.raises(Exception, match="Run R-x was not found"):
        seeded.history_row("R-x")
    seeded.close()
    with pytest.raises(StoreBug, match="Could not count the runs in the history"):
        seeded.history_count()


FILTERS = [
    HistoryFilter(),
    HistoryFilter(since=datetime(2026, 12, 1), until=datetime(2026, 12, 2)),
    HistoryFilter(agent="Dana", status="failed", min_cost=0.1, max_cost=1.0),
    HistoryFilter(intent="refund_request", model="gpt-4.1", text="refund"),
    HistoryFilter(edited=True, flagged=True),
    HistoryFilter(marked_wrong=True),
]


@pytest.mark.parametrize("flt", FILTERS)
def test_no_filter_scans_a_table(seeded: Store, flt: HistoryFilter) -> None:
    """Every table is read through an index; the page's runs are cut from runs_by_time and
    counted from an index alone, without reading a run row."""
    where, params = history_sql.conditions(flt)
    page = history_sql._PAGE.format(where=where)
    count = f"SELECT count(*) FROM runs r WHERE {where}"
    for sql, extra in ((page, {"limit": 100, "offset": 0}), (count, {})):
        plan = [row[3] for row in seeded._conn.execute(f"EXPLAIN QUERY PLAN {sql}", params | extra)]
        scans = [line for line in plan if re.match(r"SCAN (?!runs_fts|p$)", line)]
        assert all(" USING " in line for line in scans), plan
        if sql is page:  # the page is cut in the history's order, from the index
            assert any(
                line.startswith("SCAN r USING COVERING INDEX runs_by_time")
                or line.startswith("SEARCH r USING COVERING INDEX runs_by_time")
                for line in plan
            ), plan
        else:  # a count never reads run rows
            assert re.search(r"(SCAN|SEARCH) r USING COVERING INDEX", "\n".join(plan)), plan
