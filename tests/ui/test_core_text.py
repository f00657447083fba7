"""ui.core_text: the core's English sentences recognised and translated where the UI shows them.

The translator these tests install wraps every template's translation in «…», so a result shows
which template matched each part; a few templates get real Chinese, placeholders moved.
"""

from __future__ import annotations

import ast
import asyncio
import shutil
import sqlite3
import string
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import httpx
import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import app
from app.connection_test import check_connection
from app.llm.chat import Waiting
from app.llm.errors import inband_error, status_error
from app.pipeline import policy
from app.pipeline.events import StepFailed, StepSkipped
from app.pipeline.steps import STEPS
from app.secrets import KeyStore
from app.sim.server import Fault, SimConfig
from app.store import NotFound, Store
from app.store.errors import translate
from app.store.models import PolicyLimit
from app.store.new_ticket import character_problem, check
from app.workspace import Workspace
from ui.core_text import NUMBERS, STEP_TITLES, TEMPLATES, TOKENS, localize, step_name, step_title

CORE = Path(app.__file__).parent
CHINESE = {
    "The provider rejected the API key. Check the key in Settings.": (
        "提供方拒绝了 API 密钥。请在设置中检查密钥。"
    ),
    "The provider said: {detail}": "提供方说：{detail}",
    "{error} Retrying in {seconds} s": "{seconds} 秒后重试：{error}",
    "The provider had an internal error ({status}).": "提供方内部出错（{status}）。",
    "Waiting for the rate limit, sending in {seconds} s": "等待速率限制，{seconds} 秒后发送",
    "Not run: the {step} step did not finish.": "未运行：{step}步骤没有完成。",
    "Intent": "意图",
}


# --- the templates follow the core's wording ---


def _core_text(path: Path) -> str:
    """The module's string literals (not docstrings) run together in source order. Python joins
    implicit concatenation already; an f-string's fields become the literals inside them (usually
    none; both branches of a conditional field, as two versions of the f-string), so a sentence
    split by ``+`` or a variable still reads as one run of text."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }

    def strings(node: ast.AST) -> list[tuple[int, int, str]]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [] if id(node) in docstrings else [(node.lineno, node.col_offset, node.value)]
        if isinstance(node, ast.JoinedStr):
            texts = [""]
            for part in node.values:
                texts = [text + variant for text in texts for variant in variants(part)]
            return [(node.lineno, node.col_offset, text) for text in texts]
        return [found for child in ast.iter_child_nodes(node) for found in strings(child)]

    def variants(part: ast.AST) -> list[str]:
        if isinstance(part, ast.Constant):
            return [str(part.value)]
        if isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.IfExp):
            return [flat(part.value.body), flat(part.value.orelse)]  # f"{' a ' + x if x else ''}"
        return [flat(part)]

    def flat(node: ast.AST) -> str:
        return "".join(text for *_, text in sorted(strings(node)))

    return flat(tree)


def _fragments(template: str) -> list[str]:
    return [literal for literal, *_ in string.Formatter().parse(template) if len(literal) >= 4]


def test_every_template_uses_the_cores_exact_wording() -> None:
    # The simulator plays the provider: its words must not vouch for ours.
    sources = [p for p in CORE.rglob("*.py") if "sim" not in p.relative_to(CORE).parts]
    core = "\x00".join(_core_text(path) for path in sources)
    missing = [
        (template, fragment)
        for template in map(str, TEMPLATES)
        for fragment in _fragments(template)
        if fragment not in core
    ]
    assert not missing, "templates whose wording app/ no longer uses: " + repr(missing)
    assert len(set(TEMPLATES)) == len(TEMPLATES)


def test_step_titles_are_the_cores() -> None:
    assert {spec.name: spec.title for spec in STEPS} == {k: str(v) for k, v in STEP_TITLES.items()}


def test_lupdate_collects_every_template(tmp_path: Path) -> None:
    """Each template is a literal lupdate reads, so a translation can exist for it."""
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    assert lupdate, "pyside6-lupdate is not installed next to the interpreter"
    ts = tmp_path / "collected.ts"
    source = Path(__file__).parents[2] / "ui" / "core_text.py"
    subprocess.run([lupdate, str(source), "-ts", str(ts)], check=True, capture_output=True)
    collected = {m.findtext("source") for m in ElementTree.parse(ts).iter("message")}
    assert collected == {*map(str, TEMPLATES), *map(str, STEP_TITLES.values())}


# --- translated ---


@pytest.fixture(scope="module")
def test_qm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test translations, compiled once: every template «bracketed», a few in Chinese."""
    sources = [*map(str, TEMPLATES), *map(str, STEP_TITLES.values())]
    messages = "".join(
        f"<message><source>{escape(s)}</source>"
        f"<translation>{escape(CHINESE.get(s, f'«{s}»'))}</translation></message>"
        for s in sources
    )
    ts = tmp_path_factory.mktemp("i18n") / "core_text_test.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1" '
        f'language="zh_CN"><context><name>CoreText</name>{messages}</context></TS>\n',
        encoding="utf-8",
    )
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    assert lrelease, "pyside6-lrelease is not installed next to the interpreter"
    qm = ts.with_suffix(".qm")
    subprocess.run([lrelease, str(ts), "-qm", str(qm)], check=True, capture_output=True)
    return qm


@pytest.fixture
def translated(qapp: QApplication, test_qm: Path) -> Iterator[None]:
    """The test translator installed and the interface in Chinese; both undone afterwards."""
    translator = QTranslator()
    assert translator.load(str(test_qm))
    language = qapp.property("stepwiseLanguage")
    qapp.installTranslator(translator)
    qapp.setProperty("stepwiseLanguage", "zh_CN")
    try:
        yield
    finally:
        qapp.removeTranslator(translator)
        qapp.setProperty("stepwiseLanguage", language)


def test_real_core_messages_in_chinese_keep_the_providers_words(translated: None) -> None:
    rejected = status_error(401, "Incorrect API key provided.")
    assert localize(rejected.user_message) == (
        "提供方拒绝了 API 密钥。请在设置中检查密钥。 提供方说：Incorrect API key provided."
    )
    failed = status_error(500, "upstream timed out. Try later.")
    assert localize(failed.summary) == "提供方内部出错（500）。"  # a fallback's reason
    retry = Waiting("retry", 3.6, attempt=1, error=failed.user_message).describe()
    assert localize(retry) == (
        "4 秒后重试：提供方内部出错（500）。 提供方说：upstream timed out. Try later."
    )
    assert localize(Waiting("budget", 2.2).describe()) == "等待速率限制，2 秒后发送"


def test_a_failed_run_s_error_and_skip_reasons_in_chinese(translated: None, qtbot: QtBot) -> None:
    async def run() -> list[object]:
        workspace = Workspace.open(demo=True, sim_config=SimConfig(ttft_ms=0, tokens_per_s=0))
        try:
            assert workspace.simulator
            workspace.simulator.inject(Fault("auth", step="intent"))
            return [event async for event in workspace.run("T-1001")]
        finally:
            await workspace.aclose()

    events = asyncio.run(run())
    failure = next(e for e in events if isinstance(e, StepFailed))
    said = failure.message.split(" The provider said: ")[1]
    assert localize(failure.message) == (
        "提供方拒绝了 API 密钥。请在设置中检查密钥。 提供方说：" + said
    )
    reasons = {e.step: localize(e.reason) for e in events if isinstance(e, StepSkipped)}
    assert reasons == {
        "reasoning": "未运行：意图步骤没有完成。",
        "reply": "未运行：意图步骤没有完成。",
    }


LIMITS = {
    "refund_agent_cap_usd": PolicyLimit("refund_agent_cap_usd", None, 100, "USD", "POL-R"),
    "goodwill_credit_cap_usd": PolicyLimit("goodwill_credit_cap_usd", "gold", 25, "USD", "POL-G"),
}


class _Limits:
    def policy_limit(self, key: str, tier: str | None = None) -> PolicyLimit | None:
        return LIMITS.get(key)


def _verdict(status: int, body: bytes = b"", **headers: str) -> str:
    transport = httpx.MockTransport(lambda _: httpx.Response(status, content=body, headers=headers))
    verdict = asyncio.run(check_connection("https://api.example.com/v1", "sk", transport=transport))
    return verdict.message


def test_each_part_of_a_core_message_is_matched(
    translated: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = "提供方说：Bad key."
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13
    with Store.open(tmp_path / "t.db") as store, pytest.raises(NotFound) as missing:
        store.ticket("T-9")
    proposal = {"refund": {"amount": 1250.5, "order_id": "4521"}, "goodwill_credit": {"amount": 40}}
    facts = {
        "customer": {"vip": True, "vip_tier": "gold"},
        "orders": [{"id": "4521", "total": 99.5}],
    }
    flags = [flag.message for flag in policy.check(proposal, facts, _Limits(), date(2026, 12, 8))]
    problems = check("", "", "C 1", "#bad!", "fax").problems
    monkeypatch.setattr("app.secrets.keyring.set_password", _no_keyring)
    keys = KeyStore()
    assert not keys.set("default", "sk")
    cases = [
        (status_error(301, "").user_message,
         "«The provider answered with a redirect (301).» «Check the base URL.»"),
        (inband_error(None).user_message, "«The provider stopped with an error: unknown error»"),
        (Waiting("retry", 1).describe(), "1 秒后重试：«The provider failed»"),
        (str(translate(full, "save the draft for ticket T-1")),
         "«Could not «save the draft for ticket T-1»: «the disk is full. Free some space, then "
         "try again».»"),
        ("Could not read customer C-1's orders: the database is locked. Try again in a moment.",
         "«Could not «read «customer C-1's orders»»: «the database is locked. Try again in a "
         "moment».»"),
        (str(missing.value),
         "«Ticket T-9 was not found. It may have been removed; refresh the inbox.»"),
        (flags[0], "«Refund of $1,250.50 is above the agents' limit of $100.»"),
        (flags[1], "«Refund of $1,250.50 is more than the order's total of $99.50.»"),
        (flags[2],
         "«Goodwill credit of $40.00 is above the $25 an agent may give a gold member.»"),
        (problems["channel"], "«The channel must be one of email, chat, web.»"),
        (character_problem("ok\n\x07", "The message"),
         "««The message» contains a character that is not text (U+0007, line 2), probably from "
         "a broken copy. Remove it, or paste the text again from its source.»"),
        (_verdict(401, b'{"error": {"message": "Bad key."}}'),
         "«The provider «rejected the API key». Check the key, and that it belongs to this "
         f"provider.» {said}"),
        (_verdict(200, b'{"data": [{"id": "a"}, {"id": "b"}]}'),
         "«Connected. «The key works and the provider» offers «2 models».»"),
        (_verdict(302), "«The provider sent us to «another address»; use that as the base URL.»"),
        (keys.problem,
         "«The system keyring is not available (RuntimeError), so the API key is kept for this "
         "session only.»"),
    ]  # fmt: skip
    assert [(m, localize(m or "")) for m, _ in cases] == cases


def _no_keyring(*args: object) -> None:
    raise RuntimeError("no keyring here")


SAMPLES = {"number": "12", "token": "T-1", "words": "x y"}


@pytest.mark.parametrize("template", [str(t) for t in TEMPLATES])
def test_every_template_is_reachable(translated: None, template: str) -> None:
    """Filled with values that match nothing, each template is the one that matches."""
    names = [name for _, name, *_ in string.Formatter().parse(template) if name]
    values = {
        n: SAMPLES["number" if n in NUMBERS else "token" if n in TOKENS else "words"] for n in names
    }
    message = template.format(**values)
    assert localize(message) == CHINESE.get(template, f"«{template}»").format(**values)


# --- English, and what matches nothing ---


def test_english_is_the_message_itself(qapp: QApplication) -> None:
    language = qapp.property("stepwiseLanguage")
    qapp.setProperty("stepwiseLanguage", "en")
    try:
        for message in (status_error(401, "No.").user_message, "Anything at all.", ""):
            assert localize(message) is message
        assert step_title("intent", "Intent") == "Intent"
    finally:
        qapp.setProperty("stepwiseLanguage", language)


def test_unmatched_text_and_detail_lines_are_kept(translated: None) -> None:
    for message in ("Something we never say.", "The provider", "read", "12 modelsx"):
        assert localize(message) == message
    detail = "The provider rejected the API key. Check the key in Settings.\n  at line 3: {oops}"
    assert localize(detail) == "提供方拒绝了 API 密钥。请在设置中检查密钥。\n  at line 3: {oops}"
    # Our sentence, then words of the provider's that are not one of ours: kept as written.
    assert localize("The provider is rate-limiting us. Slow down!") == (
        "«The provider is rate-limiting us.» Slow down!"
    )


def test_step_titles_translated(translated: None) -> None:
    assert step_title("intent", "Intent") == "意图"
    assert step_title("reply", "Reply") == "«Reply»"
    assert step_title("intent", "Classify") == "Classify"  # renamed in the core: its own title
    assert step_title("summary", "Summary") == "Summary"


def test_a_step_named_by_a_record_gets_its_translated_title(translated: None) -> None:
    # Records (runs, verdicts) carry only the step's name: the supervisor's views show its title.
    assert step_name("intent") == "意图"
    assert step_name("reply") == "«Reply»"
    assert step_name("summary") == "Summary"  # not a step of the core's: its name, capitalised
