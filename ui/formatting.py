"""Small pure helpers that turn record fields into the words shown on screen, in the interface's
language (``translate`` needs no QApplication: without one the English source comes back)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.pipeline.events import Usage
from ui.i18n import translate

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_duration(seconds: float) -> str:
    """``0.4 s``, ``12.3 s``, ``2 min 05 s``: one decimal while it still means something."""
    if seconds < 60:
        return translate("Formatting", "{seconds} s").format(seconds=f"{max(seconds, 0.0):.1f}")
    minutes, rest = divmod(round(seconds), 60)
    text = translate("Formatting", "{minutes} min {seconds} s")
    return text.format(minutes=minutes, seconds=f"{rest:02d}")


def format_tokens(usage: Usage) -> str:
    """``in 123 · out 45``; ``~`` in front when counted locally (the provider sent no usage)."""
    text = translate("Formatting", "in {input} · out {output}").format(
        input=f"{usage.input_tokens:,}", output=f"{usage.output_tokens:,}"
    )
    return "~" + text if usage.estimated else text


def format_cost(usd: float | None) -> str:
    """``$0.0042``: four decimals below a dollar, since one step costs fractions of a cent."""
    if usd is None:
        return translate("Formatting", "no price")
    return f"${usd:,.4f}" if usd < 1 else f"${usd:,.2f}"


def format_date(iso: str | None) -> str:
    """``2026-11-28`` (or a datetime) → ``28 Nov 2026``; unreadable values are shown as given."""
    if not iso:
        return translate("Formatting", "unknown")
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    # {month} is the number, {month_name} the English abbreviation: a translation picks one.
    text = translate("Formatting", "{day} {month_name} {year}")
    return text.format(
        day=day.day, month=day.month, month_name=_MONTHS[day.month - 1], year=day.year
    )


def format_datetime(iso: str | None) -> str:
    """``2026-12-08T09:14:00`` → ``8 Dec 2026, 09:14``."""
    if not iso:
        return translate("Formatting", "unknown")
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if len(iso) <= 10:
        return format_date(iso)
    return translate("Formatting", "{date}, {time}").format(
        date=format_date(iso), time=f"{moment:%H:%M}"
    )


def format_money(amount: float, currency: str) -> str:
    symbol = _SYMBOLS.get(currency.upper())
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency}"


def humanize(label: str) -> str:
    """``shipping_expedite`` → ``shipping expedite``; ``in_transit`` → ``in transit``: the
    translated name when the label is one of the known terms, else the label in plain words."""
    key = label.strip()
    if key in _TERMS:
        return translate("Terms", _TERMS[key])
    return key.replace("_", " ")


# The values data fields take (resources/taxonomy.json, schemas/intent.json, the store's orders
# and tickets) and their names on screen.
_TERMS = {
    "order_status": QT_TRANSLATE_NOOP("Terms", "order status"),
    "shipping_expedite": QT_TRANSLATE_NOOP("Terms", "shipping expedite"),
    "refund_request": QT_TRANSLATE_NOOP("Terms", "refund request"),
    "return_request": QT_TRANSLATE_NOOP("Terms", "return request"),
    "discount_request": QT_TRANSLATE_NOOP("Terms", "discount request"),
    "product_inquiry": QT_TRANSLATE_NOOP("Terms", "product inquiry"),
    "cancellation": QT_TRANSLATE_NOOP("Terms", "cancellation"),
    "address_change": QT_TRANSLATE_NOOP("Terms", "address change"),
    "damaged_item": QT_TRANSLATE_NOOP("Terms", "damaged item"),
    "complaint_escalation": QT_TRANSLATE_NOOP("Terms", "complaint escalation"),
    "account_issue": QT_TRANSLATE_NOOP("Terms", "account issue"),
    "other": QT_TRANSLATE_NOOP("Terms", "other"),
    "shipped": QT_TRANSLATE_NOOP("Terms", "shipped"),
    "processing": QT_TRANSLATE_NOOP("Terms", "processing"),
    "delivered": QT_TRANSLATE_NOOP("Terms", "delivered"),
    "in_transit": QT_TRANSLATE_NOOP("Terms", "in transit"),
    "exception": QT_TRANSLATE_NOOP("Terms", "exception"),
    "delayed": QT_TRANSLATE_NOOP("Terms", "delayed"),
    "label_created": QT_TRANSLATE_NOOP("Terms", "label created"),
    "express": QT_TRANSLATE_NOOP("Terms", "express"),
    "standard": QT_TRANSLATE_NOOP("Terms", "standard"),
    "overnight": QT_TRANSLATE_NOOP("Terms", "overnight"),
    "web": QT_TRANSLATE_NOOP("Terms", "web"),
    "email": QT_TRANSLATE_NOOP("Terms", "email"),
    "chat": QT_TRANSLATE_NOOP("Terms", "chat"),
    "low": QT_TRANSLATE_NOOP("Terms", "low"),
    "normal": QT_TRANSLATE_NOOP("Terms", "normal"),
    "high": QT_TRANSLATE_NOOP("Terms", "high"),
    "positive": QT_TRANSLATE_NOOP("Terms", "positive"),
    "neutral": QT_TRANSLATE_NOOP("Terms", "neutral"),
    "frustrated": QT_TRANSLATE_NOOP("Terms", "frustrated"),
    "angry": QT_TRANSLATE_NOOP("Terms", "angry"),
}
