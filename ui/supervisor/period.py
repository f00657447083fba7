"""The period a supervisor looks at, shared by the History and the Dashboard tabs.

Presets count back from the clock's now ("Today" starts at local midnight); "Custom range" shows
two dates, both days included, read in the supervisor's own time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QWidget

from ui.i18n import translate
from ui.inbox import filter_combo
from ui.step_views import label

Clock = Callable[[], datetime]
CUSTOM = "custom"
# (text, key): the key is a number of days, "today", "custom" or "" for all time.
PERIODS = (
    (QT_TRANSLATE_NOOP("PeriodPicker", "All time"), ""),
    (QT_TRANSLATE_NOOP("PeriodPicker", "Today"), "today"),
    (QT_TRANSLATE_NOOP("PeriodPicker", "Last 7 days"), "7"),
    (QT_TRANSLATE_NOOP("PeriodPicker", "Last 30 days"), "30"),
    (QT_TRANSLATE_NOOP("PeriodPicker", "Custom range"), CUSTOM),
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def period_start(key: str, now: datetime) -> datetime | None:
    """Where preset ``key`` starts, for ``now`` (aware): local midnight for "today"."""
    if not key or key == CUSTOM:
        return None
    if key == "today":
        return _midnight(now.astimezone().date())
    return now - timedelta(days=int(key))


class PeriodPicker(QWidget):
    # the period changed: a preset picked, or a custom date edited
    changed = Signal()

    def __init__(self, name: str, clock: Clock = utc_now, *, preset: str = "") -> None:
        super().__init__()
        self.setObjectName(name)
        self._clock = clock
        choices = [(translate("PeriodPicker", str(text)), key) for text, key in PERIODS]
        self.combo = filter_combo(f"{name}Preset", self.tr("Period"), choices, narrow=False)
        self.combo.setCurrentIndex(max(0, self.combo.findData(preset)))
        today = clock().astimezone().date()
        self.first = self._date(f"{name}From", self.tr("First day"), today - timedelta(days=29))
        self.last = self._date(f"{name}To", self.tr("Last day"), today)
        self.dash = label("–")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for widget in (self.combo, self.first, self.dash, self.last):
            layout.addWidget(widget)
        self._show_dates()
        self.combo.currentIndexChanged.connect(self._show_dates)
        self.combo.currentIndexChanged.connect(self.changed)
        self.first.dateChanged.connect(self.changed)
        self.last.dateChanged.connect(self.changed)
        self.setFocusProxy(self.combo)

    def _date(self, name: str, accessible: str, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setToolTip(accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def key(self) -> str:
        return str(self.combo.currentData())

    def set_key(self, key: str) -> None:
        self.combo.setCurrentIndex(self.combo.findData(key))

    def set_days(self, first: QDate, last: QDate) -> None:
        """Pick a custom range from ``first`` to ``last``, both included."""
        self.set_key(CUSTOM)
        self.first.setDate(first)
        self.last.setDate(last)

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """[since, until) of the period; None where it is open (all time, or up to now)."""
        key = self.key()
        if key != CUSTOM:
            return period_start(key, self._clock()), None
        first, last = sorted((_day(self.first), _day(self.last)))
        return _midnight(first), _midnight(last + timedelta(days=1))

    def _show_dates(self) -> None:
        custom = self.key() == CUSTOM
        for widget in (self.first, self.dash, self.last):
            widget.setVisible(custom)


def _day(edit: QDateEdit) -> date:
    shown = edit.date()
    return date(shown.year(), shown.month(), shown.day())


def _midnight(day: date) -> datetime:
    """Local midnight at the start of ``day``, as an aware datetime."""
    return datetime.combine(day, time()).astimezone()
