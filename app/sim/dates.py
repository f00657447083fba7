"""Dates as customers write them, resolved to real calendar dates.

"December 10", "Dec 10th", "10 December", "the 12th", "1 de diciembre", "12月15日", "15号",
"tomorrow", "by Saturday" and ISO dates are all resolved against the ticket's received date with
``datetime.date`` arithmetic (never string splits): a date without a year gets the year that puts
it nearest the received date, so "January 3" written on December 28 is next year's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

_ENGLISH = "january february march april may june july august september october november december"
_SPANISH = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
)
ENGLISH_MONTHS = tuple(_ENGLISH.split())
SPANISH_MONTHS = tuple(_SPANISH.split())
MONTHS = {
    **{name: i for i, name in enumerate(ENGLISH_MONTHS, 1)},
    **{name[:3]: i for i, name in enumerate(ENGLISH_MONTHS, 1)},
    **{name: i for i, name in enumerate(SPANISH_MONTHS, 1)},
    "sept": 9,
}
MIN_YEAR, MAX_YEAR = 1900, 2999  # keeps date arithmetic far from date.min and date.max
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_ORD = r"(?:st|nd|rd|th)?"
# Earlier patterns win where matches overlap ("the 12th of December" is one date, not two).
_PATTERNS = {
    "iso": r"\b(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})\b",
    "md": rf"\b{_MONTH}\s*(?P<day>\d{{1,2}}){_ORD}\b(?:,?\s+(?P<year>\d{{4}})\b)?",
    "dm": rf"\b(?:the\s+)?(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+|de\s+)?{_MONTH}"
    r"(?:,?\s+(?:de\s+)?(?P<year>\d{4})\b)?",
    "cjk": r"(?:(?P<year>\d{4})年)?(?P<mon>\d{1,2})月(?P<day>\d{1,2})[日号]",
    "day": r"\bthe\s+(?P<day>\d{1,2})(?:st|nd|rd|th)\b|(?<![\d月])(?P<cday>\d{1,2})[号日](?!\d)",
    "tomorrow": r"\btomorrow\b|\bmañana\b|明天",
    "christmas": r"\bchristmas\b|\bnavidad\b|圣诞",
    "weekday": r"\b(?:by|before)\s+(?P<weekday>" + "|".join(WEEKDAYS) + r")\b",
}
_COMPILED = {kind: re.compile(p, re.IGNORECASE) for kind, p in _PATTERNS.items()}

# Words near a date that say what it is; the nearest one before the date wins.
_ROLE_WORDS = {
    "deadline": r"\b(?:by|before|until|need\w*|birthday|deadline|in time|party|wedding|anniversary"
    r"|dinner|trip|fly|flight|gift|present|no later than)\b|之前|以前|准备|生日|礼物|antes",
    "order_date": r"\b(?:ordered|placed|bought|purchased|order date|hice el pedido|compré|pedí)\b"
    r"|下的|下单|购买|买的",
    "other": r"\b(?:since|ago|received|delivered|arrived|got|came|was|were|due|shows?"
    r"|charge[sd]?)\b|到了|收到|显示",
}
_ROLE_RES = {role: re.compile(p, re.IGNORECASE) for role, p in _ROLE_WORDS.items()}
_SENTENCE_END = re.compile(r"[.!?]\s|[。！？]|\n\s*\n")


@dataclass(frozen=True)
class FoundDate:
    text: str  # as written
    iso: date
    role: str  # "deadline" | "order_date" | "other"
    start: int


def find_dates(text: str, reference: date) -> list[FoundDate]:
    """Every date in ``text``, in order of appearance, one entry per (date, role)."""
    taken: list[tuple[int, int]] = []
    found: list[FoundDate] = []
    for kind, pattern in _COMPILED.items():
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            resolved = _RESOLVERS[kind](match, reference)
            if resolved is None:
                continue
            taken.append(span)
            found.append(_found(kind, match, resolved, text))
    unique: dict[tuple[date, str], FoundDate] = {}
    for item in sorted(found, key=lambda f: f.start):
        unique.setdefault((item.iso, item.role), item)
    return list(unique.values())


def _found(kind: str, match: re.Match[str], resolved: date, text: str) -> FoundDate:
    if kind == "weekday":  # "by Saturday": the pattern itself is the deadline word
        return FoundDate(match.group("weekday"), resolved, "deadline", match.start())
    return FoundDate(match.group(0).strip(), resolved, _role(text, *match.span()), match.start())


def _role(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 60) : start]
    boundaries = list(_SENTENCE_END.finditer(before))
    if boundaries:
        before = before[boundaries[-1].end() :]
    best, best_at = "", -1
    for role, pattern in _ROLE_RES.items():
        for match in pattern.finditer(before):
            if match.start() > best_at:
                best, best_at = role, match.start()
    if best:
        return best
    # Chinese and Spanish often put the verb after the date: "11月29日下的订单".
    after = _SENTENCE_END.split(text[end : end + 20], maxsplit=1)[0]
    for role, pattern in _ROLE_RES.items():
        if pattern.search(after):
            return role
    return "other"


def _nearest(candidates: list[date], reference: date) -> date | None:
    return min(candidates, key=lambda d: abs(d - reference), default=None)


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:  # "0000-01-01" in a ticket is not a date we act on
        return None
    try:
        return date(year, month, day)
    except ValueError:  # February 30th, month 13: not a date
        return None


def month_day(month: int, day: int, year: int | None, reference: date) -> date | None:
    if year is not None:
        return _safe_date(year, month, day)
    years = (reference.year - 1, reference.year, reference.year + 1)
    return _nearest([d for y in years if (d := _safe_date(y, month, day))], reference)


def _from_groups(match: re.Match[str], reference: date) -> date | None:
    groups = match.groupdict()
    month = MONTHS.get((groups.get("month") or "").lower()) or int(groups.get("mon") or 0)
    year = int(groups["year"]) if groups.get("year") else None
    return month_day(month, int(groups["day"]), year, reference) if month else None


def _day_only(match: re.Match[str], reference: date) -> date | None:
    day = int(match.group("day") or match.group("cday"))
    first = reference.replace(day=1)
    months = [(first - timedelta(days=1)).replace(day=1), first]
    months.append((first + timedelta(days=32)).replace(day=1))
    return _nearest([d for m in months if (d := _safe_date(m.year, m.month, day))], reference)


def _weekday(match: re.Match[str], reference: date) -> date:
    wanted = WEEKDAYS.index(match.group("weekday").lower())
    return reference + timedelta(days=(wanted - reference.weekday() - 1) % 7 + 1)


_RESOLVERS: dict[str, Callable[[re.Match[str], date], date | None]] = {
    "iso": _from_groups,
    "md": _from_groups,
    "dm": _from_groups,
    "cjk": _from_groups,
    "day": _day_only,
    "tomorrow": lambda _match, reference: reference + timedelta(days=1),
    "christmas": lambda _match, reference: month_day(12, 25, None, reference),
    "weekday": _weekday,
}


def business_days_after(start: date, days: int) -> date:
    """``start`` plus ``days`` working days (Mon-Fri); holidays are not modelled."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current
