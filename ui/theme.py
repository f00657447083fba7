"""Stepwise's look: a calm light theme with one accent colour, Qt's default fonts.

Widgets opt in through a ``role`` (or ``state``) dynamic property rather than per-widget style
sheets, so the whole look lives here. ``set_role``/``set_state`` re-polish a widget after the
property changes (Qt does not re-evaluate property selectors on its own).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

ACCENT = "#2563EB"
ACCENT_SOFT = "#E8F0FE"
TEXT = "#1F2933"
MUTED = "#5B6675"
BORDER = "#D5DAE1"
WINDOW = "#F4F6F8"
SURFACE = "#FFFFFF"
HEADER = "#E9EEF4"
DANGER, DANGER_SOFT = "#B42318", "#FDECEA"
SUCCESS, SUCCESS_SOFT = "#067647", "#E7F6EC"
WARNING, WARNING_SOFT = "#8A4B00", "#FFF4DB"

STYLESHEET = f"""
QMainWindow, QDialog {{ background: {WINDOW}; }}
QToolBar {{ background: {SURFACE}; border: none; border-bottom: 1px solid {BORDER};
    spacing: 8px; padding: 4px 8px; }}
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; color: {MUTED}; }}
QSplitter::handle {{ background: {BORDER}; }}
QScrollArea {{ border: none; background: transparent; }}
QWidget[role="pane"] {{ background: {WINDOW}; }}
QPlainTextEdit, QLineEdit, QListView {{ background: {SURFACE}; border: 1px solid {BORDER};
    border-radius: 4px; selection-background-color: {ACCENT}; selection-color: white; }}
QPlainTextEdit:focus, QLineEdit:focus, QListView:focus {{ border: 1px solid {ACCENT}; }}
QLineEdit {{ padding: 4px 6px; }}
QPlainTextEdit#replyEditor[readOnly="true"] {{ background: {WINDOW}; }}
QLineEdit:read-only {{ background: {WINDOW}; color: {MUTED}; }}
QPushButton {{ padding: 5px 14px; border: 1px solid {BORDER}; border-radius: 4px;
    background: {SURFACE}; color: {TEXT}; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:disabled {{ color: #9AA3AE; background: {WINDOW}; }}
QPushButton[role="primary"] {{ background: {ACCENT}; color: white; border-color: {ACCENT};
    font-weight: bold; }}
QToolButton#draftButton {{ background: {ACCENT}; color: white; border-radius: 4px;
    padding: 5px 14px; font-weight: bold; }}
QToolButton#draftButton:disabled {{ background: #A9BEF0; }}
QToolButton#settingsButton {{ padding: 5px 10px; border: 1px solid {BORDER}; border-radius: 4px; }}
QPushButton[role="primary"]:disabled {{ background: #A9BEF0; border-color: #A9BEF0; }}

QLabel[role="title"] {{ font-size: 15pt; font-weight: bold; color: {TEXT}; }}
QLabel[role="section"] {{ font-weight: bold; color: {MUTED}; }}
QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="badge"] {{ background: {ACCENT_SOFT}; color: {ACCENT}; border-radius: 8px;
    padding: 1px 8px; font-weight: bold; }}
QLabel[role="chip"] {{ background: {ACCENT_SOFT}; color: #1E3A8A; border: 1px solid #C7D7FB;
    border-radius: 10px; padding: 2px 10px; }}
QLabel[role="demo"] {{ background: {WARNING_SOFT}; color: {WARNING}; border: 1px solid #F1C86B;
    border-radius: 4px; padding: 3px 10px; font-weight: bold; }}
QFrame[role="card"] {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px; }}
QFrame[role="error"] {{ background: {DANGER_SOFT}; border: 1px solid {DANGER};
    border-radius: 4px; }}
QFrame[role="error"] QLabel {{ color: {DANGER}; background: transparent; border: none; }}
QLabel[role="notice"] {{ background: {WARNING_SOFT}; color: {WARNING}; border: 1px solid #F1C86B;
    border-radius: 4px; padding: 6px 8px; }}

QFrame[role="stepPanel"] {{ background: {SURFACE}; border: 1px solid {BORDER};
    border-radius: 6px; }}
QFrame[role="stepHeader"] {{ background: {HEADER}; border: none;
    border-top-left-radius: 6px; border-top-right-radius: 6px; }}
QFrame[role="stepHeader"]:focus {{ border: 2px solid {ACCENT}; }}
QLabel[role="stepTitle"] {{ font-weight: bold; }}
QPlainTextEdit[role="thinking"] {{ background: #F7F7FA; color: {MUTED};
    border: 1px dashed {BORDER}; }}
QToolButton[role="fold"] {{ border: none; color: {MUTED}; background: transparent; }}

QLabel[state] {{ border-radius: 8px; padding: 1px 8px; font-weight: bold; }}
QLabel[state="queued"], QLabel[state="not run"] {{ background: #EEF0F3; color: {MUTED}; }}
QLabel[state="streaming"], QLabel[state="drafting"] {{ background: {ACCENT};
    color: white; }}
QLabel[state="done"], QLabel[state="sent"], QLabel[state="cached"], QLabel[state="kept"] {{
    background: {SUCCESS_SOFT}; color: {SUCCESS}; }}
QLabel[state="skipped"] {{ background: #EEF0F3; color: {MUTED}; }}
QLabel[state="failed"] {{ background: {DANGER_SOFT}; color: {DANGER}; }}
QLabel[state="stopped"], QLabel[state="waiting"] {{ background: {WARNING_SOFT};
    color: {WARNING}; }}
QLabel[state="draft"], QLabel[state="open"] {{ background: #EEF0F3; color: {MUTED}; }}
"""


def palette() -> QPalette:
    pal = QPalette()
    colours = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: SURFACE,
        QPalette.ColorRole.AlternateBase: WINDOW,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: SURFACE,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#FFFFFF",
        QPalette.ColorRole.ToolTipBase: SURFACE,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: "#8A94A3",
        QPalette.ColorRole.Link: ACCENT,
    }
    for role, colour in colours.items():
        pal.setColor(role, QColor(colour))
    return pal


def apply_theme(app: QApplication) -> None:
    """Fusion everywhere (same look on every OS), the light palette and the style sheet."""
    app.setStyle("Fusion")
    app.setPalette(palette())
    app.setStyleSheet(STYLESHEET)


def set_role(widget: QWidget, role: str) -> None:
    widget.setProperty("role", role)
    repolish(widget)


def set_state(widget: QWidget, state: str) -> None:
    widget.setProperty("state", state)
    repolish(widget)


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a property its selectors use has changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
