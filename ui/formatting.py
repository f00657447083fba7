"""Small pure helpers that turn record fields into the words shown on screen."""

from __future__ import annotations

from datetime import date, datetime

from app.pipeline.events import Usage

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def format_duration(seconds: float) -> str:
    """``0.4 s``, ``12.3 s``, ``2 min 05 s``: one decimal while it still means something."""
    if seconds < 60:
        return f"{max(seconds, 0.0):.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def format_tokens(usage: Usage) -> str:
    """``in 123 · out 45``; ``~`` in front when counted locally (the provider sent no usage)."""
    text = f"in {usage.input_tokens:,} · out {usage.output_tokens:,}"
    return "~" + text if usage.estimated else text


def format_cost(usd: float | None) -> str:
    """``$0.0042``: four decimals below a dollar, since one step costs fractions of a cent."""
    if usd is None:
        return "no price"
    return f"${usd:,.4f}" if usd < 1 else f"${usd:,.2f}"


def format_date(iso: str | None) -> str:
    """``2026-11-28`` (or a datetime) → ``28 Nov 2026``; unreadable values are shown as given."""
    if not iso:
        return "unknown"
    try:
        return date.fromisoformat(iso[:10]).strftime("%d %b %Y").lstrip("0")
    except ValueError:
        return iso


def format_datetime(iso: str | None) -> str:
    """``2026-12-08T09:14:00`` → ``8 Dec 2026, 09:14``."""
    if not iso:
        return "unknown"
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if len(iso) <= 10:
        return format_date(iso)
    return f"{format_date(iso)}, {moment:%H:%M}"


def format_money(amount: float, currency: str) -> str:
    symbol = _SYMBOLS.get(currency.upper())
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency}"


def humanize(label: str) -> str:
    """``shipping_expedite`` → ``shipping expedite``; ``in_transit`` → ``in transit``."""
    return label.replace("_", " ").strip()
