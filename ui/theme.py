"""Stepwise's look: a calm theme with one accent colour, in light and dark, Qt's default fonts.

Widgets opt in through a ``role`` (or ``state``) dynamic property rather than per-widget style
sheets, so the whole look lives here. ``set_role``/``set_state`` re-polish a widget after the
property changes (Qt does not re-evaluate property selectors on its own).

``apply_theme(app, mode)`` takes the Settings' ``theme``: "system" follows the OS's light/dark
setting (and its later changes), "light" and "dark" override it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget


@dataclass(frozen=True)
class Colours:
    accent: str
    accent_soft: str
    text: str
    muted: str
    border: str
    window: str
    surface: str
    header: str
    danger: str
    danger_soft: str
    success: str
    success_soft: str
    warning: str
    warning_soft: str
    disabled_text: str
    accent_disabled: str
    warning_border: str
    chip_text: str
    chip_border: str
    neutral_soft: str
    thinking: str
    on_accent: str
    placeholder: str


LIGHT = Colours(
    accent="#2563EB", accent_soft="#E8F0FE", text="#1F2933", muted="#5B6675",
    border="#D5DAE1", window="#F4F6F8", surface="#FFFFFF", header="#E9EEF4",
    danger="#B42318", danger_soft="#FDECEA", success="#067647", success_soft="#E7F6EC",
    warning="#8A4B00", warning_soft="#FFF4DB", disabled_text="#9AA3AE",
    accent_disabled="#A9BEF0", warning_border="#F1C86B", chip_text="#1E3A8A",
    chip_border="#C7D7FB", neutral_soft="#EEF0F3", thinking="#F7F7FA", on_accent="#FFFFFF",
    placeholder="#8A94A3",
)  # fmt: skip
DARK = Colours(
    accent="#6B9BF5", accent_soft="#1F2B45", text="#E6E9EE", muted="#A3ADBB",
    border="#3A424D", window="#1A1E23", surface="#23292F", header="#2B323B",
    danger="#F97066", danger_soft="#3F201D", success="#4FD08F", success_soft="#173328",
    warning="#F5B546", warning_soft="#392D16", disabled_text="#6B7480",
    accent_disabled="#34476E", warning_border="#7A5A1E", chip_text="#C9D8FB",
    chip_border="#3B5283", neutral_soft="#2F353D", thinking="#1F242A", on_accent="#FFFFFF",
    placeholder="#7D8794",
)  # fmt: skip
THEMES = {"light": LIGHT, "dark": DARK}

_current = LIGHT  # what apply_theme() last applied


def colours() -> Colours:
    """The colours in use, for views that paint themselves (read them at paint time, so a theme
    change shows at the next paint)."""
    return _current


def stylesheet(c: Colours) -> str:
    return f"""
QMainWindow, QDialog {{ background: {c.window}; }}
QToolBar {{ background: {c.surface}; border: none; border-bottom: 1px solid {c.border};
    spacing: 8px; padding: 4px 8px; }}
QStatusBar {{ background: {c.surface}; border-top: 1px solid {c.border}; color: {c.muted}; }}
QSplitter::handle {{ background: {c.border}; }}
QScrollArea {{ border: none; background: transparent; }}
QWidget[role="pane"] {{ background: {c.window}; }}
QPlainTextEdit, QLineEdit, QListView {{ background: {c.surface}; border: 1px solid {c.border};
    border-radius: 4px; selection-background-color: {c.accent}; selection-color: {c.on_accent}; }}
QPlainTextEdit:focus, QLineEdit:focus, QListView:focus {{ border: 1px solid {c.accent}; }}
QLineEdit {{ padding: 4px 6px; }}
QPlainTextEdit#replyEditor[readOnly="true"] {{ background: {c.window}; }}
QLineEdit:read-only {{ background: {c.window}; color: {c.muted}; }}
QPushButton {{ padding: 5px 14px; border: 1px solid {c.border}; border-radius: 4px;
    background: {c.surface}; color: {c.text}; }}
QPushButton:hover {{ border-color: {c.accent}; }}
QPushButton:disabled {{ color: {c.disabled_text}; background: {c.window}; }}
QPushButton[role="primary"] {{ background: {c.accent}; color: {c.on_accent};
    border-color: {c.accent};
    font-weight: bold; }}
QToolButton#draftButton {{ background: {c.accent}; color: {c.on_accent}; border-radius: 4px;
    padding: 5px 14px; font-weight: bold; }}
QToolButton#draftButton:disabled {{ background: {c.accent_disabled}; }}
QToolButton#settingsButton {{ padding: 5px 10px; border: 1px solid {c.border};
    border-radius: 4px; }}
QPushButton[role="primary"]:disabled {{ background: {c.accent_disabled};
    border-color: {c.accent_disabled}; }}

QLabel[role="title"] {{ font-size: 15pt; font-weight: bold; color: {c.text}; }}
QLabel[role="section"] {{ font-weight: bold; color: {c.muted}; }}
QLabel[role="muted"] {{ color: {c.muted}; }}
QLabel[role="badge"] {{ background: {c.accent_soft}; color: {c.accent}; border-radius: 8px;
    padding: 1px 8px; font-weight: bold; }}
QLabel[role="chip"] {{ background: {c.accent_soft}; color: {c.chip_text};
    border: 1px solid {c.chip_border};
    border-radius: 10px; padding: 2px 10px; }}
QLabel[role="demo"] {{ background: {c.warning_soft}; color: {c.warning};
    border: 1px solid {c.warning_border};
    border-radius: 4px; padding: 3px 10px; font-weight: bold; }}
QFrame[role="card"] {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 6px; }}
QFrame[role="error"] {{ background: {c.danger_soft}; border: 1px solid {c.danger};
    border-radius: 4px; }}
QFrame[role="error"] QLabel {{ color: {c.danger}; background: transparent; border: none; }}
QLabel[role="notice"] {{ background: {c.warning_soft}; color: {c.warning};
    border: 1px solid {c.warning_border}; border-radius: 4px; padding: 6px 8px; }}
QLabel[role="verdictOk"] {{ background: {c.success_soft}; color: {c.success};
    border: 1px solid {c.success}; border-radius: 4px; padding: 6px 8px; }}
QLabel[role="verdictFail"] {{ background: {c.danger_soft}; color: {c.danger};
    border: 1px solid {c.danger}; border-radius: 4px; padding: 6px 8px; }}
QLabel[role="verdictBusy"] {{ color: {c.muted}; padding: 6px 8px; }}

QFrame[role="stepPanel"] {{ background: {c.surface}; border: 1px solid {c.border};
    border-radius: 6px; }}
QFrame[role="stepHeader"] {{ background: {c.header}; border: none;
    border-top-left-radius: 6px; border-top-right-radius: 6px; }}
QFrame[role="stepHeader"]:focus {{ border: 2px solid {c.accent}; }}
QLabel[role="stepTitle"] {{ font-weight: bold; }}
QPlainTextEdit[role="thinking"] {{ background: {c.thinking}; color: {c.muted};
    border: 1px dashed {c.border}; }}
QToolButton[role="fold"] {{ border: none; color: {c.muted}; background: transparent; }}

QLabel[state] {{ border-radius: 8px; padding: 1px 8px; font-weight: bold; }}
QLabel[state="queued"], QLabel[state="not run"] {{ background: {c.neutral_soft};
    color: {c.muted}; }}
QLabel[state="streaming"], QLabel[state="drafting"] {{ background: {c.accent};
    color: {c.on_accent}; }}
QLabel[state="done"], QLabel[state="sent"], QLabel[state="cached"], QLabel[state="kept"] {{
    background: {c.success_soft}; color: {c.success}; }}
QLabel[state="skipped"] {{ background: {c.neutral_soft}; color: {c.muted}; }}
QLabel[state="failed"] {{ background: {c.danger_soft}; color: {c.danger}; }}
QLabel[state="stopped"], QLabel[state="waiting"], QLabel[state="incomplete"] {{
    background: {c.warning_soft}; color: {c.warning}; }}
QLabel[state="draft"], QLabel[state="open"] {{ background: {c.neutral_soft}; color: {c.muted}; }}
"""


STYLESHEET = stylesheet(LIGHT)


def palette(c: Colours = LIGHT) -> QPalette:
    pal = QPalette()
    colours = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.surface,
        QPalette.ColorRole.AlternateBase: c.window,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.surface,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.Highlight: c.accent,
        QPalette.ColorRole.HighlightedText: c.on_accent,
        QPalette.ColorRole.ToolTipBase: c.surface,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.PlaceholderText: c.placeholder,
        QPalette.ColorRole.Link: c.accent,
    }
    for role, colour in colours.items():
        pal.setColor(role, QColor(colour))
    return pal


class _Follower:
    """Re-applies the "system" theme when the OS switches between light and dark."""

    mode = "system"
    connected = False

    @classmethod
    def follow(cls, app: QApplication, mode: str) -> None:
        cls.mode = mode
        if not cls.connected:
            app.styleHints().colorSchemeChanged.connect(lambda _scheme: cls._changed(app))
            cls.connected = True

    @classmethod
    def _changed(cls, app: QApplication) -> None:
        if cls.mode == "system":
            apply_theme(app, "system")


def resolve(app: QApplication, mode: str) -> str:
    """ "light" or "dark": the choice itself, or the OS's scheme for "system" (light if unknown)."""
    if mode in THEMES:
        return mode
    dark = app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return "dark" if dark else "light"


def apply_theme(app: QApplication, mode: str = "system") -> str:
    """Fusion everywhere (same look on every OS), the palette and the style sheet of ``mode``
    ("system", "light" or "dark"); returns the one applied ("light" or "dark")."""
    name = resolve(app, mode)
    global _current
    colours = _current = THEMES[name]
    app.setStyle("Fusion")
    app.setPalette(palette(colours))
    app.setStyleSheet(stylesheet(colours))
    app.setProperty("stepwiseTheme", name)
    _Follower.follow(app, mode)
    return name


def current_theme(app: QApplication) -> str:
    """The theme apply_theme() last applied: "light" or "dark"."""
    return str(app.property("stepwiseTheme") or "light")


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
