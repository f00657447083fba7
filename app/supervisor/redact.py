"""Customer PII out of exported text (issue 6, part 5: "an option to redact customer PII").

What is replaced, in every string of an exported record (ticket, draft, sent reply, the messages
sent to models, their raw and parsed answers, reasoning):

- ``[name]``: the customer's name on file, whole and each part of two letters or more, as whole
  words in any case; and a name signing off a message (1-3 capitalised words on the line after
  "Thanks,", "Regards," …) or following "my name is";
- ``[email]``: e-mail addresses (``local@domain.tld``);
- ``[card]``: payment card numbers: 13-19 digits, single spaces or dashes between, passing the
  Luhn check;
- ``[phone]``: phone numbers: 7-15 digits in groups (``+1 (312) 555-0148``, ``0171 555 0148``),
  not a date;
- ``[address]``: street addresses: a house number, up to four capitalised words and a street type
  ("12 Elm Street", "2150 W Thomas Rd, Apt 14B");
- ``[postcode]``: a US state code with its ZIP ("CO 80202"), a UK postcode ("SW1A 1AA").

In the customer record itself the name, e-mail and notes (free text about the person) are
replaced whole. Kept on purpose: ids (customer, ticket, order, run: pseudonymous, and an export is
useless without them), order numbers, tracking numbers, cities ("Chicago, IL", where a parcel is,
not where the customer lives), amounts, dates, products, and the agent's own name.

Not caught: names of people other than the customer on file that do not sign off a message (a
neighbour named in the body), and addresses written without a street type. Check a redacted
export before it leaves the company.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

NAME, EMAIL, CARD, PHONE, ADDRESS, POSTCODE = (
    "[name]",
    "[email]",
    "[card]",
    "[phone]",
    "[address]",
    "[postcode]",
)
REMOVED = "[redacted]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CARD = re.compile(r"(?<![\w+])\d(?:[ -]?\d){12,18}(?![\w])")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?!\w)"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{2}[./-]\d{2}[./-]\d{4}")
_STREET_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
    "|Terrace|Parkway|Pkwy|Highway|Hwy|Square|Sq|Circle|Cir|Trail|Close|Crescent|Gardens"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?,?\s+(?:[A-Z][\w'.-]*\s+){{0,4}}(?:{_STREET_TYPES})\b\.?"
    r"(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\.?\s*[\w-]+)?"
)
_POSTCODE = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_CLOSINGS = (
    "thanks|thank you|many thanks|thanks again|regards|best regards|kind regards|warm regards"
    "|best|cheers|sincerely|yours|yours sincerely|yours truly|br"
)
_SIGN_OFF = re.compile(
    rf"(?im)^([ \t]*(?:{_CLOSINGS})[ \t]*[,.!]?[ \t]*\r?\n[ \t]*)"
    r"((?-i:[A-Z][\w'-]+(?:[ \t]+[A-Z][\w'.-]+){0,2}))[ \t]*$"
)
_MY_NAME = re.compile(r"(?i)(\bmy name is\s+)((?-i:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?))")


class Redactor:
    """Redacts the strings of one record. ``names``: the customer's name(s) on file; ``keep``:
    names that stay (the agent signing the reply)."""

    def __init__(self, names: Iterable[str] = (), keep: Iterable[str] = ()) -> None:
        self._names = _name_pattern(tuple(sorted({n for n in names if n and n.strip()})))
        self._keep = {name.casefold() for name in keep if name}

    def text(self, text: str) -> str:
        text = _EMAIL.sub(EMAIL, text)
        text = _CARD.sub(_card, text)
        text = _PHONE.sub(_phone, text)
        text = _ADDRESS.sub(ADDRESS, text)
        text = _POSTCODE.sub(POSTCODE, text)
        if self._names is not None:
            text = self._names.sub(NAME, text)
        text = _SIGN_OFF.sub(self._signed, text)
        return _MY_NAME.sub(self._signed, text)

    def value(self, value: Any) -> Any:
        """``value`` with every string in it redacted (dict keys stay)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(item) for item in value]
        return value

    def _signed(self, match: re.Match[str]) -> str:
        name = match.group(2)
        if name.casefold() in self._keep or name == NAME.strip("[]"):
            return match.group(0)
        return match.group(1) + NAME


def redact_customer(customer: dict[str, Any] | None) -> dict[str, Any] | None:
    """The customer record with its personal fields replaced (see the module docstring)."""
    if customer is None:
        return None
    hidden = {"name": NAME, "email": EMAIL, "notes": REMOVED if customer.get("notes") else ""}
    return {**customer, **{key: value for key, value in hidden.items() if key in customer}}


@lru_cache(maxsize=1024)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for whole names and their parts, longest first, so "Emily Carter" becomes one
    "[name]" rather than two."""
    parts = {part for name in names for part in re.split(r"[\s,]+", name) if len(part) >= 2}
    found = sorted({*(name.strip() for name in names), *parts}, key=len, reverse=True)
    if not found:
        return None
    alternatives = "|".join(re.escape(part) for part in found)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _card(match: re.Match[str]) -> str:
    return CARD if _luhn(_digits(match.group(0))) else match.group(0)


def _phone(match: re.Match[str]) -> str:
    found = match.group(0)
    if _DATE.fullmatch(found) or not 7 <= len(_digits(found)) <= 15:
        return found
    return PHONE


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0
