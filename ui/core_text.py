"""The core's English sentences in the interface's language.

``app/`` stays Qt-free and English: the CLI prints its words as they are, and the core never asks
which language the interface speaks. The sentences it hands the interface (an error's
``user_message`` or ``summary``, a skip reason, a waiting message, a policy flag, a store error, a
connection verdict) are translated here, where they are shown, by recognising them.

``TEMPLATES`` holds one entry per sentence the core produces, in the core's exact wording, its
dynamic parts written as named placeholders. A template whose wording drifts from the core's
silently stops matching, so ``tests/ui/test_core_text.py`` checks every template's fixed text
against ``app/``'s string literals: change a sentence in the core, change its template here (and
its translation, with ``python -m ui.i18n``).

How a message is matched (``localize``), one line at a time:

* a whole line that is one template becomes its translation, placeholders filled in;
* a line that starts with a template ending a sentence ("." "!" "?" ":") becomes that sentence's
  translation, then the rest of the line, itself localized (usually the provider's own words,
  which match nothing and stay as the provider wrote them);
* among several matching templates the one with the most fixed text wins (the store's "Could not
  {action} because of an internal error…" over its "Could not {action}: {reason}.");
* a placeholder that carries one of our own sentences or phrases (``NESTED``) is localized too,
  a few levels deep at most; a step's name becomes its translated title;
* anything else is returned unchanged.

What a placeholder may match depends on its name: numbers (``NUMBERS``), one token such as an
id or a time stamp (``TOKENS``), free text across sentences (``TEXTS``), else words within one
sentence (no ". " inside), so that a sentence followed by the provider's words is not swallowed
whole by its last placeholder.
"""

from __future__ import annotations

import re
import string
from functools import cache

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ui.i18n import current_language, translate

CONTEXT = "CoreText"

NUMBERS = frozenset(
    {"status", "seconds", "count", "days", "window", "amount", "cap", "total", "percent",
     "allowed", "length", "limit", "line", "schema", "known"}
)  # fmt: skip
TOKENS = frozenset({"ticket", "customer", "order", "run", "policy", "key", "code", "time", "date"})
TEXTS = frozenset({"error", "detail", "problem", "reason", "name"})
NESTED = frozenset(
    {"error", "reason", "problem", "action", "what", "who", "models", "field", "where", "tool",
     "eta"}
)  # fmt: skip
_PATTERNS = {
    "number": r"\d(?:[\d,]|\.\d)*",
    "token": r"\S+?",
    "text": r"[^\n]+?",
    "words": r"(?:(?!\.\s)[^\n])+?",
}
_SENTENCE_END = (".", "!", "?", ":")
_MAX_DEPTH = 4

STEP_TITLES = {  # app/pipeline/steps.py
    "intent": QT_TRANSLATE_NOOP("CoreText", "Intent"),
    "retrieval": QT_TRANSLATE_NOOP("CoreText", "Retrieval"),
    "reasoning": QT_TRANSLATE_NOOP("CoreText", "Reasoning"),
    "reply": QT_TRANSLATE_NOOP("CoreText", "Reply"),
}

TEMPLATES: tuple[object, ...] = (
    # app/llm/errors.py
    QT_TRANSLATE_NOOP("CoreText", "The ticket is too long for this model."),
    QT_TRANSLATE_NOOP("CoreText", "The provider answered with a redirect ({status})."),
    QT_TRANSLATE_NOOP("CoreText", "Check the base URL."),
    QT_TRANSLATE_NOOP("CoreText", "The provider is overloaded right now."),
    QT_TRANSLATE_NOOP("CoreText", "The provider had an internal error ({status})."),
    QT_TRANSLATE_NOOP("CoreText", "The provider refused the request ({status})."),
    QT_TRANSLATE_NOOP("CoreText", "The provider rejected the API key. Check the key in Settings."),
    QT_TRANSLATE_NOOP("CoreText", "The provider account is out of credits."),
    QT_TRANSLATE_NOOP("CoreText", "This API key may not use this model or endpoint."),
    QT_TRANSLATE_NOOP("CoreText", "The model or endpoint was not found. Check Settings."),
    QT_TRANSLATE_NOOP("CoreText", "The provider timed out handling the request."),
    QT_TRANSLATE_NOOP("CoreText", "The provider reported a conflict (409)."),
    QT_TRANSLATE_NOOP("CoreText", "The provider could not process the request (422)."),
    QT_TRANSLATE_NOOP("CoreText", "The provider is rate-limiting us."),
    QT_TRANSLATE_NOOP("CoreText", "The provider said: {detail}"),
    QT_TRANSLATE_NOOP("CoreText", "The provider stopped with an error: {detail}"),
    QT_TRANSLATE_NOOP("CoreText", "unknown error"),
    # app/llm/chat.py (Waiting.describe)
    QT_TRANSLATE_NOOP("CoreText", "Waiting for the rate limit, sending in {seconds} s"),
    QT_TRANSLATE_NOOP("CoreText", "{error} Retrying in {seconds} s"),
    QT_TRANSLATE_NOOP("CoreText", "The provider failed"),
    # app/llm/client.py
    QT_TRANSLATE_NOOP("CoreText", "The provider URL {url} is not a valid http(s) URL."),
    QT_TRANSLATE_NOOP("CoreText", "Plain http:// is only allowed for this computer; use https://."),
    QT_TRANSLATE_NOOP(
        "CoreText", "The answer took longer than this step's time limit and was stopped."
    ),
    QT_TRANSLATE_NOOP("CoreText", "No API key is set for this provider. Add one in Settings."),
    QT_TRANSLATE_NOOP("CoreText", "The provider did not answer the connection in time."),
    QT_TRANSLATE_NOOP("CoreText", "The provider did not start answering in time."),
    QT_TRANSLATE_NOOP("CoreText", "Could not reach the provider at {url}: {detail}"),
    QT_TRANSLATE_NOOP(
        "CoreText", "Could not reach the provider at {url}: its address was not found."
    ),
    QT_TRANSLATE_NOOP("CoreText", "Check the address in Settings, and this computer's network."),
    QT_TRANSLATE_NOOP(
        "CoreText", "Could not reach the provider at {url}: nothing accepted the connection."
    ),
    QT_TRANSLATE_NOOP(
        "CoreText", "Check the address in Settings, and that the provider is running."
    ),
    QT_TRANSLATE_NOOP("CoreText", "Address not found"),
    QT_TRANSLATE_NOOP("CoreText", "Connection refused"),
    # app/llm/tls.py
    QT_TRANSLATE_NOOP(
        "CoreText",
        "The secure connection to the provider failed: its certificate was not accepted.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "If your company inspects secure traffic, its root certificate must be installed in "
        "this computer's trust store.",
    ),
    QT_TRANSLATE_NOOP("CoreText", "Certificate not accepted"),
    QT_TRANSLATE_NOOP(
        "CoreText", "The provider's rate limit would hold this step past its time limit."
    ),
    QT_TRANSLATE_NOOP("CoreText", "The provider stopped sending in the middle of the answer."),
    QT_TRANSLATE_NOOP("CoreText", "The connection dropped in the middle of the answer."),
    # app/llm/stream.py, accumulate.py, providers.py
    QT_TRANSLATE_NOOP(
        "CoreText", "The answer was cut off: the stream ended before it was complete."
    ),
    QT_TRANSLATE_NOOP("CoreText", "The model's call to {tool} had malformed arguments."),
    QT_TRANSLATE_NOOP("CoreText", "a tool"),
    QT_TRANSLATE_NOOP("CoreText", "The model sent an incomplete tool call."),
    QT_TRANSLATE_NOOP("CoreText", "Stepwise does not know the provider type {adapter}."),
    # app/llm/anthropic.py, openai_compat.py
    QT_TRANSLATE_NOOP("CoreText", "The provider sent a malformed event; the stream was stopped."),
    QT_TRANSLATE_NOOP("CoreText", "The provider sent an unexpected event; the stream was stopped."),
    QT_TRANSLATE_NOOP("CoreText", "The provider sent a content block without an index."),
    QT_TRANSLATE_NOOP("CoreText", "The provider sent a delta for a block it never started."),
    QT_TRANSLATE_NOOP("CoreText", "The provider sent a malformed chunk; the stream was stopped."),
    QT_TRANSLATE_NOOP("CoreText", "The provider sent an unexpected chunk; the stream was stopped."),
    QT_TRANSLATE_NOOP("CoreText", "The provider stopped the answer with an error."),
    # app/pipeline/runner.py, records.py, router.py, call.py
    QT_TRANSLATE_NOOP("CoreText", "Stopped. The text so far is kept."),
    QT_TRANSLATE_NOOP("CoreText", "Not run: the {step} step did not finish."),
    QT_TRANSLATE_NOOP("CoreText", "Skipped in the kept run."),
    QT_TRANSLATE_NOOP("CoreText", "Not run: the run was stopped before this step started."),
    QT_TRANSLATE_NOOP(
        "CoreText", "A plain order-status question and every order it names was found."
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "The model's answer was not valid JSON, even after one correction. Retry, or choose "
        "another model for this step in Settings.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "The model's answer was not in the form this step needs, even after one correction. "
        "Retry, or choose another model for this step in Settings.",
    ),
    # app/pipeline/policy.py
    QT_TRANSLATE_NOOP("CoreText", "The reasoning gave no checkable proposal: review it."),
    QT_TRANSLATE_NOOP("CoreText", "The reasoning asks for a supervisor's decision."),
    QT_TRANSLATE_NOOP("CoreText", "Refund of ${amount} is above the agents' limit of ${cap}."),
    QT_TRANSLATE_NOOP(
        "CoreText", "Refund of ${amount} is more than the order's total of ${total}."
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "Refund for order #{order}, which is not one of the orders retrieved for this ticket.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "Order #{order} was delivered {days} days before the ticket, outside the "
        "{window}-day refund window.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText", "Goodwill credit of ${amount} is above the ${cap} an agent may give."
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "Goodwill credit of ${amount} is above the ${cap} an agent may give a {tier} member.",
    ),
    QT_TRANSLATE_NOOP("CoreText", "A {percent}% discount: the customer is not a VIP member."),
    QT_TRANSLATE_NOOP("CoreText", "A {percent}% discount is above the {tier} tier's {allowed}%."),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "A VIP discount cannot be applied to an order already placed: offer a code for a "
        "future order.",
    ),
    # app/pipeline/retrieval.py: the records the retrieval panel lists
    QT_TRANSLATE_NOOP("CoreText", "{name} · VIP {tier}"),
    QT_TRANSLATE_NOOP("CoreText", "customer since {date}, {count} orders"),
    QT_TRANSLATE_NOOP("CoreText", "Order #{order} · {state}"),
    QT_TRANSLATE_NOOP("CoreText", "{method} via {carrier}, {state} in {location}, ETA {eta}"),
    QT_TRANSLATE_NOOP("CoreText", "unknown"),
    # app/store/errors.py: "Could not {action}: {reason}." and its reasons
    QT_TRANSLATE_NOOP("CoreText", "Could not {action}: {reason}."),
    QT_TRANSLATE_NOOP("CoreText", "the disk is full. Free some space, then try again"),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "the database is read-only. Check that Stepwise may write to its data folder",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText", "access to the database was denied. Check the data folder's permissions"
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "the database is busy in another program (is Stepwise open twice?). Try again in a moment",
    ),
    QT_TRANSLATE_NOOP("CoreText", "the database is locked. Try again in a moment"),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "the database file cannot be opened. Check that the data folder exists and is writable",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText", "the disk reported a read/write error. Check the drive, then try again"
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "the database file is damaged. Restore it from a backup or start a new data folder",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText", "the file is not a Stepwise database. Check the data folder setting"
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "Could not {action} because of an internal error in Stepwise's storage ({detail}). "
        "This is a bug; please report it.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "Could not {action}: the data folder is not usable ({detail}). Check that it exists "
        "and that Stepwise may write to it.",
    ),
    # app/store/store.py, db.py: what the store was doing ({action} above)
    QT_TRANSLATE_NOOP("CoreText", "open the database at {path}"),
    QT_TRANSLATE_NOOP("CoreText", "open the workspace at {path}"),  # app/workspace.py
    QT_TRANSLATE_NOOP("CoreText", "read the database"),
    QT_TRANSLATE_NOOP("CoreText", "set up the database"),
    QT_TRANSLATE_NOOP("CoreText", "read the inbox"),
    QT_TRANSLATE_NOOP("CoreText", "read ticket {ticket}"),
    QT_TRANSLATE_NOOP("CoreText", "read customer {customer}"),
    QT_TRANSLATE_NOOP("CoreText", "read {what}"),
    QT_TRANSLATE_NOOP("CoreText", "order {order}"),
    QT_TRANSLATE_NOOP("CoreText", "customer {customer}'s orders"),
    QT_TRANSLATE_NOOP("CoreText", "search the policy articles"),
    QT_TRANSLATE_NOOP("CoreText", "read policy {policy}"),
    QT_TRANSLATE_NOOP("CoreText", "read the policy limits"),
    QT_TRANSLATE_NOOP("CoreText", "read the policy limit {key}"),
    QT_TRANSLATE_NOOP("CoreText", "save the draft for ticket {ticket}"),
    QT_TRANSLATE_NOOP("CoreText", "mark ticket {ticket} as read"),
    QT_TRANSLATE_NOOP("CoreText", "add the new ticket"),
    QT_TRANSLATE_NOOP("CoreText", "record the reply to ticket {ticket} as sent"),
    QT_TRANSLATE_NOOP("CoreText", "record run {run} of ticket {ticket}"),
    QT_TRANSLATE_NOOP("CoreText", "read run {run}"),
    QT_TRANSLATE_NOOP("CoreText", "read the runs of ticket {ticket}"),
    QT_TRANSLATE_NOOP("CoreText", "read today's totals"),
    QT_TRANSLATE_NOOP("CoreText", "add customer {customer}"),
    QT_TRANSLATE_NOOP("CoreText", "add order {order}"),
    QT_TRANSLATE_NOOP("CoreText", "add policy {policy}"),
    QT_TRANSLATE_NOOP("CoreText", "add policy limit {key}"),
    QT_TRANSLATE_NOOP("CoreText", "add the policy limits"),
    QT_TRANSLATE_NOOP("CoreText", "add ticket {ticket}"),
    QT_TRANSLATE_NOOP("CoreText", "load the demo data"),
    # app/store/store.py, db.py, seed.py: other store errors
    QT_TRANSLATE_NOOP(
        "CoreText",
        "No customer has the id {customer}. Check it, or leave it empty if the customer is "
        "not on file yet.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText", "Ticket {ticket} was not found. It may have been removed; refresh the inbox."
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "The reply to ticket {ticket} was already recorded as sent at {time}; it was not "
        "recorded a second time.",
    ),
    QT_TRANSLATE_NOOP("CoreText", "Run {run} was not found in the history."),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "Could not open the database at {path}: it was written by a newer version of Stepwise "
        "(schema {schema}; this version knows up to {known}). Update Stepwise to use it.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "Could not load the demo data from {path} ({detail}). The installation looks "
        "incomplete; reinstalling Stepwise should fix it.",
    ),
    QT_TRANSLATE_NOOP("CoreText", "The seed data is malformed: {detail}."),
    # app/store/new_ticket.py, errors.py (InvalidTicket): the New ticket dialog's problems
    QT_TRANSLATE_NOOP("CoreText", "The ticket was refused."),
    QT_TRANSLATE_NOOP("CoreText", "The channel must be one of {channels}."),
    QT_TRANSLATE_NOOP("CoreText", "Paste or type the customer's message: it is empty."),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "The message is {length} characters long; the limit is {limit}. Paste only the "
        "customer's own message, without quoted history or attachments.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "The subject is {length} characters long; keep it under {limit} (or leave it empty to "
        "use the message's first line).",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "A customer id is one word, such as C-1001. Leave it empty if you do not know it.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "{field} contains a character that is not text ({code}, line {line}), probably from a "
        "broken copy. Remove it, or paste the text again from its source.",
    ),
    QT_TRANSLATE_NOOP("CoreText", "The message"),
    QT_TRANSLATE_NOOP("CoreText", "The subject"),
    QT_TRANSLATE_NOOP("CoreText", "The customer id"),
    QT_TRANSLATE_NOOP("CoreText", "At most {count} order numbers per ticket."),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "“{order}” is not an order number: use letters, digits and '-', and separate numbers "
        "with commas or spaces.",
    ),
    # app/connection_test.py: the verdicts of Settings → Test connection
    QT_TRANSLATE_NOOP("CoreText", "Enter the API key first: this provider needs one."),
    QT_TRANSLATE_NOOP("CoreText", "The provider at {url} did not answer within {seconds} s."),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "Something answered at {url}, but not an OpenAI-compatible API. Check the base URL (it "
        "usually ends in /v1).",
    ),
    QT_TRANSLATE_NOOP("CoreText", "Connected. {who} offers {models}."),
    QT_TRANSLATE_NOOP("CoreText", "The key works and the provider"),
    QT_TRANSLATE_NOOP("CoreText", "The server"),
    QT_TRANSLATE_NOOP("CoreText", "{count} model"),
    QT_TRANSLATE_NOOP("CoreText", "{count} models"),
    QT_TRANSLATE_NOOP(
        "CoreText", "Enter a model for the reply step first: the test asks it one word."
    ),
    QT_TRANSLATE_NOOP("CoreText", "Connected. The key works and {model} answered."),
    QT_TRANSLATE_NOOP(
        "CoreText", "The provider {what}. Check the key, and that it belongs to this provider."
    ),
    QT_TRANSLATE_NOOP("CoreText", "rejected the API key"),
    QT_TRANSLATE_NOOP("CoreText", "refused this API key access"),
    QT_TRANSLATE_NOOP("CoreText", "The provider does not know the model {model}."),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "Nothing answers at {url}: check the base URL (for most providers it ends in /v1).",
    ),
    QT_TRANSLATE_NOOP("CoreText", "The provider sent us to {where}; use that as the base URL."),
    QT_TRANSLATE_NOOP("CoreText", "another address"),
    QT_TRANSLATE_NOOP("CoreText", "The key works, but the account is out of credits."),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "The key works, but the provider is rate-limiting it right now. Try again in a minute.",
    ),
    QT_TRANSLATE_NOOP("CoreText", "The provider had a problem (HTTP {status}). Try again later."),
    QT_TRANSLATE_NOOP("CoreText", "The provider refused the test request (HTTP {status})."),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "The secure connection to {url} failed (TLS): the server's certificate was not "
        "accepted, or it does not speak https.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreText",
        "Could not connect to {url}. Check the address, your network, and that the server is "
        "running.",
    ),
    # app/secrets.py, app/workspace.py
    QT_TRANSLATE_NOOP(
        "CoreText",
        "The system keyring is not available ({kind}), so the API key is kept for this session "
        "only.",
    ),
    # app/presets.py: preset names that are not brand names
    QT_TRANSLATE_NOOP("CoreText", "OpenAI-compatible gateway"),
    QT_TRANSLATE_NOOP("CoreText", "Google Gemini (OpenAI endpoint)"),
    QT_TRANSLATE_NOOP("CoreText", "{name} (this computer)"),
    QT_TRANSLATE_NOOP("CoreText", "Custom"),
)


def localize(message: str) -> str:
    """``message``, a sentence (or several) of the core's, in the interface's language."""
    app = QCoreApplication.instance()
    if not message or app is None or current_language(app) == "en":
        return message
    return _localize(message, 0)


def step_name(name: str) -> str:
    """The translated title of the core's step ``name`` where only the name is known (records,
    the supervisor's views); an unknown name capitalised."""
    source = STEP_TITLES.get(name)
    return translate(CONTEXT, str(source)) if source is not None else name.capitalize()


def step_title(name: str, title: str) -> str:
    """The translated title of the core's step ``name``; ``title`` (the core's own) if we do not
    know it or the core has renamed it."""
    source = STEP_TITLES.get(name)
    return translate(CONTEXT, str(source)) if source == title else title


class _Template:
    """One template as a regular expression: whole (``full``) and as a line's first sentence
    (``first``, None when the template does not end a sentence)."""

    def __init__(self, source: str) -> None:
        self.source = source
        parts: list[str] = []
        names: list[str] = []
        fixed = 0
        for literal, name, _spec, _conversion in string.Formatter().parse(source):
            parts.append(re.escape(literal))
            fixed += len(literal)
            if name is not None:
                parts.append(f"(?P={name})" if name in names else f"(?P<{name}>{_pattern(name)})")
                names.append(name)
        self.fixed = fixed  # characters of fixed text: more means a more specific template
        body = "".join(parts)
        self.full = re.compile(body)
        ends = source.endswith(_SENTENCE_END)
        self.first = re.compile(body + r"(?=\s|$)") if ends else None


def _pattern(name: str) -> str:
    if name in NUMBERS:
        return _PATTERNS["number"]
    if name in TOKENS:
        return _PATTERNS["token"]
    return _PATTERNS["text" if name in TEXTS else "words"]


@cache
def _templates() -> tuple[_Template, ...]:
    compiled = [_Template(str(source)) for source in TEMPLATES]
    return tuple(sorted(compiled, key=lambda t: -t.fixed))


def _localize(message: str, depth: int) -> str:
    if depth > _MAX_DEPTH:
        return message
    return "\n".join(_line(line, depth) for line in message.split("\n"))


def _line(line: str, depth: int) -> str:
    templates = _templates()
    for template in templates:
        found = template.full.fullmatch(line)
        if found:
            return _translated(template, found, depth) or line
    for template in templates:
        found = template.first.match(line) if template.first else None
        if found:
            head = _translated(template, found, depth)
            if head is None:
                return line
            rest = line[found.end() :]
            space = rest[: len(rest) - len(rest.lstrip())]
            return head + space + _localize(rest.lstrip(), depth + 1)
    return line


def _translated(template: _Template, found: re.Match[str], depth: int) -> str | None:
    values: dict[str, str] = {}
    for name, value in found.groupdict().items():
        if name == "step" and value in STEP_TITLES:
            value = translate(CONTEXT, str(STEP_TITLES[value]))
        elif name in NESTED:
            value = _localize(value, depth + 1)
        values[name] = value
    try:
        return translate(CONTEXT, template.source).format(**values)
    except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder
        return None
