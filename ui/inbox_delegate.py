"""How one inbox row is painted: who and when, the subject, the preview; state on the right.

An unread ticket has a dot before the customer's name and its name and subject in bold, as in a
mail client. A ticket classified "high" (or any urgency above "normal") shows that as a pill.
Pills show the status and urgency in the interface's language; their colours follow the keys.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui import theme
from ui.formatting import humanize
from ui.inbox_model import (
    CUSTOMER_ROLE,
    PREVIEW_ROLE,
    RECEIVED_ROLE,
    STATUS_ROLE,
    SUBJECT_ROLE,
    UNREAD_ROLE,
    URGENCY_ROLE,
    status_name,
)

Index = QModelIndex | QPersistentModelIndex
PAD = 8
DOT = 8  # the unread dot's diameter
_CALM_URGENCIES = ("low", "normal")  # not worth a pill: most tickets are one of these


class TicketDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(200, 3 * line + 2 * PAD + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect: QRect = option.rect
        c = theme.colours()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.fillRect(rect, QColor(c.accent_soft if selected else c.surface))
        if selected:
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), QColor(c.accent))
        painter.setPen(QPen(QColor(c.border)))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        inner = rect.adjusted(PAD + DOT + 4, PAD, -PAD, -PAD)
        line = option.fontMetrics.lineSpacing()
        unread = bool(index.data(UNREAD_ROLE))
        if unread:
            self._paint_dot(painter, QRect(rect.left() + 6, inner.top(), DOT, line))
        right = self._paint_pills(painter, inner, index)
        base = QFont(option.font)
        strong = QFont(base)
        strong.setBold(unread)
        name = str(index.data(CUSTOMER_ROLE) or self.tr("Unknown customer"))
        first = QRect(inner.left(), inner.top(), right - inner.left() - PAD, line)
        self._text(painter, first, name, strong, c.text)
        second = QRect(inner.left(), inner.top() + line, inner.width(), line)
        self._text(painter, second, str(index.data(SUBJECT_ROLE)), strong, c.text)
        third = second.translated(0, line)
        preview = f"{index.data(RECEIVED_ROLE)} · {index.data(PREVIEW_ROLE)}"
        self._text(painter, third, preview, base, c.muted)
        painter.restore()

    def _text(self, painter: QPainter, rect: QRect, text: str, font: QFont, colour: str) -> None:
        painter.setFont(font)
        painter.setPen(QColor(colour))
        elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided
        )

    def _paint_dot(self, painter: QPainter, area: QRect) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.colours().accent))
        painter.drawEllipse(area.left(), area.center().y() - DOT // 2 + 1, DOT, DOT)

    def _paint_pills(self, painter: QPainter, inner: QRect, index: Index) -> int:
        """Status pill at the right edge, urgency pill left of it; returns their left edge."""
        c = theme.colours()
        status = str(index.data(STATUS_ROLE))
        status_colours = {
            "open": (c.accent, c.accent_soft),
            "draft": (c.warning, c.warning_soft),
            "sent": (c.success, c.success_soft),
        }
        colours = status_colours.get(status, (c.muted, c.window))
        left = self._pill(painter, inner.right(), inner.top(), status_name(status), colours)
        urgency = index.data(URGENCY_ROLE)
        if isinstance(urgency, str) and urgency not in _CALM_URGENCIES:
            danger = (c.danger, c.danger_soft)
            left = self._pill(painter, left - 4, inner.top(), humanize(urgency), danger)
        return left

    def _pill(
        self, painter: QPainter, right: int, top: int, text: str, colours: tuple[str, str]
    ) -> int:
        fg, bg = colours
        metrics = painter.fontMetrics()
        width = metrics.horizontalAdvance(text) + 14
        pill = QRect(right - width, top, width, metrics.height() + 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(bg))
        painter.drawRoundedRect(pill, 8, 8)
        painter.setPen(QColor(fg))
        painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), text)
        return pill.left()
