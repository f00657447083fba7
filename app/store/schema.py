"""The schema, as versioned migrations: ``MIGRATIONS[n]`` takes a database from version n-1 to n.

``db.migrate`` runs them in one write transaction and records the version in ``PRAGMA
user_version``. A migration, once released, is never edited: a database a user already has went
through it. A new version appends a new entry (and raises SCHEMA_VERSION).

An entry is SQL text, or a function of the connection for a backfill SQL cannot do alone (an edit
distance): it runs in the same transaction, in its place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from . import facets, replies

SCHEMA_VERSION = 5

Migration = str | Callable[[sqlite3.Connection], None]

_SCHEMA_V1 = (
    """CREATE TABLE IF NOT EXISTS customers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        vip INTEGER NOT NULL CHECK (vip IN (0, 1)),
        vip_tier TEXT,
        customer_since TEXT NOT NULL,
        language TEXT NOT NULL,
        lifetime_orders INTEGER NOT NULL DEFAULT 0,
        notes TEXT NOT NULL DEFAULT ''
    )""",
    # Money is kept in integer cents so sums never drift; records expose floats.
    """CREATE TABLE IF NOT EXISTS orders (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL REFERENCES customers(id),
        placed_at TEXT NOT NULL,
        total_cents INTEGER NOT NULL,
        currency TEXT NOT NULL,
        status TEXT NOT NULL,
        shipping_method TEXT NOT NULL,
        carrier TEXT NOT NULL,
        tracking_number TEXT NOT NULL,
        tracking_status TEXT NOT NULL,
        tracking_location TEXT NOT NULL,
        last_scan_at TEXT NOT NULL,
        eta TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS orders_by_customer ON orders(customer_id, placed_at)",
    """CREATE TABLE IF NOT EXISTS order_items (
        order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        line_no INTEGER NOT NULL,
        sku TEXT NOT NULL,
        name TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        unit_price_cents INTEGER NOT NULL,
        PRIMARY KEY (order_id, line_no)
    )""",
    """CREATE TABLE IF NOT EXISTS policies (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]'
    )""",
    # A standalone FTS5 index kept in step by triggers, so no write path can forget it. Porter
    # stemming lets "refunds"/"refunded" find "refund" in text written by customers and models.
    """CREATE VIRTUAL TABLE IF NOT EXISTS policies_fts USING fts5(
        policy_id UNINDEXED, title, body, tags,
        tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER IF NOT EXISTS policies_ai AFTER INSERT ON policies BEGIN
        INSERT INTO policies_fts (policy_id, title, body, tags) VALUES (new.id, new.title,
            new.body, (SELECT group_concat(value, ' ') FROM json_each(new.tags)));
    END""",
    """CREATE TRIGGER IF NOT EXISTS policies_ad AFTER DELETE ON policies BEGIN
        DELETE FROM policies_fts WHERE policy_id = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS policies_au AFTER UPDATE ON policies BEGIN
        DELETE FROM policies_fts WHERE policy_id = old.id;
        INSERT INTO policies_fts (policy_id, title, body, tags) VALUES (new.id, new.title,
            new.body, (SELECT group_concat(value, ' ') FROM json_each(new.tags)));
    END""",
    """CREATE TABLE IF NOT EXISTS tickets (
        id TEXT PRIMARY KEY,
        customer_id TEXT REFERENCES customers(id),
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        channel TEXT NOT NULL,
        received_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'draft', 'sent')),
        draft TEXT,
        draft_saved_at TEXT,
        sent_text TEXT,
        sent_at TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS tickets_by_received ON tickets(received_at)",
    """CREATE TABLE IF NOT EXISTS runs (
        id TEXT PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES tickets(id),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        draft TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS runs_by_ticket ON runs(ticket_id, started_at)",
    # ``seq`` keeps the steps in the order they were recorded and lets a step appear twice
    # (a retried step) without a key clash.
    """CREATE TABLE IF NOT EXISTS run_steps (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        step TEXT NOT NULL,
        model TEXT,
        input_tokens INTEGER,
        output_tokens INTEGER,
        tokens_estimated INTEGER NOT NULL DEFAULT 0 CHECK (tokens_estimated IN (0, 1)),
        duration_s REAL,
        ttft_s REAL,
        status TEXT NOT NULL,
        output_text TEXT,
        error TEXT,
        PRIMARY KEY (run_id, seq)
    )""",
)


def _add_columns(table: str, *columns: str) -> tuple[str, ...]:
    return tuple(f"ALTER TABLE {table} ADD COLUMN {column}" for column in columns)


def _flag(name: str) -> str:
    """A boolean column: 0 or 1, never NULL."""
    return f"{name} INTEGER NOT NULL DEFAULT 0 CHECK ({name} IN (0, 1))"


def _step_sum(column: str) -> str:
    return f"(SELECT ifnull(sum(s.{column}), 0) FROM run_steps s WHERE s.run_id = runs.id)"


# Schema 2: runs a supervisor can inspect whole and re-run from any step, policy limits as data,
# and delivery dates. New NOT NULL columns carry defaults, so the rows of schema 1 stay valid; the
# UPDATEs after the ALTERs fill in what the old rows already tell us.
_RUNS_V2 = (
    *_add_columns(
        "runs",
        "status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'failed', 'cancelled'))",
        _flag("needs_approval"),
        "flags_json TEXT NOT NULL DEFAULT '[]'",
        "cost_usd REAL NOT NULL DEFAULT 0",
        _flag("cost_estimated"),
        "input_tokens INTEGER NOT NULL DEFAULT 0",
        "output_tokens INTEGER NOT NULL DEFAULT 0",
        # No foreign key on purpose: a re-run must still be recorded when the run it re-ran
        # could not be (a full disk at the time), and it keeps the id the agent saw.
        "rerun_of TEXT",
        "from_step TEXT",
        "config_json TEXT NOT NULL DEFAULT '{}'",
        "agent_name TEXT",
    ),
    "UPDATE runs SET status = 'failed' WHERE ok = 0",
    # Schema 1 kept tokens per step only; a run's totals are their sum. Costs were not recorded.
    f"UPDATE runs SET input_tokens = {_step_sum('input_tokens')},"
    f" output_tokens = {_step_sum('output_tokens')}",
    "CREATE INDEX IF NOT EXISTS runs_by_rerun_of ON runs(rerun_of) WHERE rerun_of IS NOT NULL",
)

_RUN_STEPS_V2 = (
    *_add_columns(
        "run_steps",
        "messages_json TEXT",
        "raw_output TEXT",
        "parsed_json TEXT",
        "reasoning_text TEXT",
        "cost_usd REAL",
        "retries INTEGER NOT NULL DEFAULT 0",
        _flag("cache_hit"),
        "route_json TEXT",
        _flag("fallback_used"),
        "started_at TEXT",
        "skipped_reason TEXT",
        "prompt_tokens INTEGER",
        "pruned_messages INTEGER NOT NULL DEFAULT 0",
        _flag("repaired"),
        "kept_from TEXT",
    ),
    # Schema 1's output_text was the model's answer exactly as streamed: the raw output.
    "UPDATE run_steps SET raw_output = output_text",
)

_ORDERS_V2 = (
    "ALTER TABLE orders ADD COLUMN delivered_at TEXT",
    # A delivered parcel's last carrier scan is the delivery scan: its date is the delivery date.
    "UPDATE orders SET delivered_at = substr(last_scan_at, 1, 10)"
    " WHERE tracking_status = 'delivered'",
)

_POLICY_LIMITS_V2 = (
    """CREATE TABLE IF NOT EXISTS policy_limits (
        key TEXT NOT NULL,
        tier TEXT CHECK (tier IN ('silver', 'gold', 'platinum')),
        value REAL NOT NULL,
        unit TEXT NOT NULL,
        policy_id TEXT NOT NULL REFERENCES policies(id),
        note TEXT NOT NULL DEFAULT ''
    )""",
    # One row per key and tier. NULLs never collide in a UNIQUE index, so the untiered row is
    # indexed under '' to keep it unique too.
    "CREATE UNIQUE INDEX IF NOT EXISTS policy_limits_by_key"
    " ON policy_limits(key, ifnull(tier, ''))",
)

_SCHEMA_V2 = (*_RUNS_V2, *_RUN_STEPS_V2, *_ORDERS_V2, *_POLICY_LIMITS_V2)

# Schema 3: unread tickets (issue "Inbox": a ticket is unread until the agent opens it once). A
# ticket an older Stepwise already drafted, answered or ran the pipeline on was opened by then, so
# it counts as read from the earliest of those moments; every other ticket starts unread.
_TICKETS_V3 = (
    "ALTER TABLE tickets ADD COLUMN read_at TEXT",
    "UPDATE tickets SET read_at = (SELECT min(moment) FROM (SELECT tickets.draft_saved_at AS moment"
    " UNION ALL SELECT tickets.sent_at"
    " UNION ALL SELECT min(started_at) FROM runs WHERE runs.ticket_id = tickets.id))",
)

_SCHEMA_V3 = _TICKETS_V3

# Schema 4: runs by time, for the status bar's totals of the day and the supervisor's history.
_SCHEMA_V4 = ("CREATE INDEX IF NOT EXISTS runs_by_start ON runs(started_at)",)

# Schema 5: the supervisor's view (issue 6). Runs carry what the history shows and filters on
# (``facets``: intents, models, end-to-end latency; ``replies``: how much the sent reply changed
# the run's draft), ``run_intents`` indexes the intents, ``annotations`` hold supervisors' verdicts
# on steps, and ``runs_fts`` indexes the ticket and reply text of every run for the history search.
_RUNS_V5: tuple[Migration, ...] = (
    *_add_columns(
        "runs",
        "intents_json TEXT",  # NULL: the run has no classification
        "models_json TEXT NOT NULL DEFAULT '[]'",
        "latency_s REAL",
        "edit_level TEXT CHECK (edit_level IN ('unedited', 'light', 'rewritten'))",
        "edit_distance INTEGER",
        "edit_ratio REAL",
        # The run's document number in runs_fts. Not the rowid: VACUUM may renumber the rowids
        # of a table without an INTEGER PRIMARY KEY, and the index would then point elsewhere.
        "doc INTEGER",
    ),
    # The run's start on each step: a period's steps are then one range of an index, and the
    # dashboard needs no join (``period``). Runs never change their start, so the copy holds.
    "ALTER TABLE run_steps ADD COLUMN run_started_at TEXT",
    "UPDATE run_steps SET run_started_at ="
    " (SELECT r.started_at FROM runs r WHERE r.id = run_steps.run_id)",
    """CREATE TABLE IF NOT EXISTS run_intents (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        intent TEXT NOT NULL,
        PRIMARY KEY (run_id, intent)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS run_intents_by_intent ON run_intents(intent, run_id)",
    facets.backfill,
    replies.backfill,
    # A run row is kilobytes (draft, routes) and a step row more (the messages sent, answers),
    # so a query that reads rows for 100,000 runs reads hundreds of megabytes. These indexes
    # cover every column the history's filters and counts and the dashboard read, so those walk
    # the indexes only and touch rows just for the page shown. runs_by_time is in the history's
    # order (started_at, id), walked backwards for newest first.
    "DROP INDEX IF EXISTS runs_by_start",  # a prefix of runs_by_time
    "CREATE INDEX IF NOT EXISTS runs_by_time ON runs(started_at, id, status, agent_name,"
    " cost_usd, needs_approval, edit_level, latency_s, ticket_id, doc, intents_json)",
    # The dashboard's ranges: per step and status over a period (counts, retries, cost, sorted
    # durations), per model and status (cost); the history's model filter reads the second too.
    "CREATE INDEX IF NOT EXISTS run_steps_by_step ON run_steps(step, status, run_started_at,"
    " retries, cost_usd, duration_s)",
    "CREATE INDEX IF NOT EXISTS run_steps_by_model ON run_steps(model, status, run_started_at,"
    " cost_usd, run_id)",
)

_ANNOTATIONS_V5 = (
    """CREATE TABLE IF NOT EXISTS annotations (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('right', 'wrong')),
        label TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    # One verdict per supervisor per step of a run; annotating again updates it.
    "CREATE UNIQUE INDEX IF NOT EXISTS annotations_by_step ON annotations(run_id, step, author)",
    # The steps marked wrong, and whether a run has one (the history's filter and column).
    "CREATE INDEX IF NOT EXISTS annotations_by_verdict ON annotations(verdict, run_id)",
)

# Contentless (content=''): the text already sits in tickets and runs, and a copy per run would
# double the file. The price is that a row is removed by handing FTS5 the exact values it was
# indexed with ('delete' command), which the triggers below have at hand. One document per run:
# its ticket's subject and body, its draft and the ticket's sent reply, so a search for several
# words finds runs whose words are spread over ticket and reply.
_SEARCH_V5 = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS runs_fts USING fts5(
        subject, body, draft, sent, content = '',
        tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
    "UPDATE runs SET doc = rowid",
    "CREATE UNIQUE INDEX IF NOT EXISTS runs_by_doc ON runs(doc)",
    "INSERT INTO runs_fts (rowid, subject, body, draft, sent) SELECT r.doc, t.subject, t.body,"
    " r.draft, t.sent_text FROM runs r JOIN tickets t ON t.id = r.ticket_id",
    """CREATE TRIGGER IF NOT EXISTS runs_fts_ai AFTER INSERT ON runs BEGIN
        UPDATE runs SET doc = (SELECT ifnull(max(doc), 0) + 1 FROM runs) WHERE id = new.id;
        INSERT INTO runs_fts (rowid, subject, body, draft, sent)
            SELECT r.doc, t.subject, t.body, r.draft, t.sent_text
            FROM runs r JOIN tickets t ON t.id = r.ticket_id WHERE r.id = new.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS runs_fts_ad AFTER DELETE ON runs BEGIN
        INSERT INTO runs_fts (runs_fts, rowid, subject, body, draft, sent)
            SELECT 'delete', old.doc, t.subject, t.body, old.draft, t.sent_text
            FROM tickets t WHERE t.id = old.ticket_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS runs_fts_au AFTER UPDATE OF draft ON runs BEGIN
        INSERT INTO runs_fts (runs_fts, rowid, subject, body, draft, sent)
            SELECT 'delete', old.doc, t.subject, t.body, old.draft, t.sent_text
            FROM tickets t WHERE t.id = old.ticket_id;
        INSERT INTO runs_fts (rowid, subject, body, draft, sent)
            SELECT new.doc, t.subject, t.body, new.draft, t.sent_text
            FROM tickets t WHERE t.id = new.ticket_id;
    END""",
    # mark_sent sets sent_text: every run of the ticket becomes findable by the reply sent.
    """CREATE TRIGGER IF NOT EXISTS tickets_fts_au AFTER UPDATE OF subject, body, sent_text
        ON tickets BEGIN
        INSERT INTO runs_fts (runs_fts, rowid, subject, body, draft, sent)
            SELECT 'delete', r.doc, old.subject, old.body, r.draft, old.sent_text
            FROM runs r WHERE r.ticket_id = old.id;
        INSERT INTO runs_fts (rowid, subject, body, draft, sent)
            SELECT r.doc, new.subject, new.body, r.draft, new.sent_text
            FROM runs r WHERE r.ticket_id = new.id;
    END""",
)

_SCHEMA_V5: tuple[Migration, ...] = (*_RUNS_V5, *_ANNOTATIONS_V5, *_SEARCH_V5)

MIGRATIONS: dict[int, tuple[Migration, ...]] = {
    1: _SCHEMA_V1,
    2: _SCHEMA_V2,
    3: _SCHEMA_V3,
    4: _SCHEMA_V4,
    5: _SCHEMA_V5,
}
