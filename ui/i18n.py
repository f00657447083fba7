"""The interface's language: English (the source strings) or Simplified Chinese, through Qt's
translation system (DESIGN.md "Languages").

Every user-visible string in ``ui/`` is written in English inside ``self.tr(...)`` (QObject
subclasses) or ``translate("Context", ...)`` (plain functions and module constants, the latter
marked with ``QT_TRANSLATE_NOOP`` and translated where they are shown). Placeholders are named
(``"Use {model}"``) and filled with ``str.format`` after translation, so a translator can move
them. ``pyside6-lupdate`` collects the strings into ``resources/i18n/stepwise_<lang>.ts`` and
``pyside6-lrelease`` compiles those into the ``.qm`` files loaded here; ``python -m ui.i18n`` runs
both. ``tests/ui/test_translations.py`` fails when a string lacks a translation or a ``.qm`` file
is stale.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.config import LANGUAGES
from app.paths import resource_path

TS_DIR = ("i18n",)
SOURCES = Path(__file__).resolve().parent  # lupdate scans ui/
_installed: list[QTranslator] = []  # Qt does not own installed translators: keep them alive


def translate(context: str, text: object) -> str:
    """``text`` in the interface's language (``context``: the module's translation context).
    ``text`` is an ``object`` only because PySide6 types ``QT_TRANSLATE_NOOP`` so; it is a str."""
    return QCoreApplication.translate(context, str(text))


def resolve(language: str) -> str:
    """ "system" → the OS's language if we ship it, else English; otherwise ``language``."""
    if language in LANGUAGES and language != "system":
        return language
    name = QLocale.system().name()  # e.g. "zh_CN", "en_GB"
    if name.startswith("zh") and not name.startswith(("zh_TW", "zh_HK")):
        return "zh_CN"
    return "en"


def install_language(app: QCoreApplication, language: str = "system") -> str:
    """Load the translations for ``language`` (Stepwise's and Qt's own, for standard buttons);
    returns the language in use. English needs none: it is the source."""
    chosen = resolve(language)
    if app.property("stepwiseLanguage") == chosen:
        return chosen  # in use already: start-up asks for the system's, then the settings' one
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if chosen != "en":
        ours = QTranslator(app)
        if ours.load(str(resource_path(*TS_DIR, f"stepwise_{chosen}.qm"))):
            _installed.append(ours)
        qt = QTranslator(app)
        if qt.load(
            f"qtbase_{chosen}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ):
            _installed.append(qt)
        for translator in _installed:
            app.installTranslator(translator)
    app.setProperty("stepwiseLanguage", chosen)
    return chosen


def current_language(app: QCoreApplication) -> str:
    return str(app.property("stepwiseLanguage") or "en")


def ts_files() -> list[Path]:
    return [
        resource_path(*TS_DIR, f"stepwise_{lang}.ts")
        for lang in LANGUAGES
        if lang not in ("system", "en")
    ]


def source_files() -> list[str]:
    """Every Python file of ui/, sub-packages included: what lupdate reads."""
    return sorted(str(p) for p in SOURCES.rglob("*.py"))


def update(lupdate: str = "pyside6-lupdate", lrelease: str = "pyside6-lrelease") -> None:
    """Refresh the .ts files from the sources (keeping translations) and compile the .qm files."""
    tool_dir = Path(sys.executable).parent
    sources = source_files()
    for ts in ts_files():
        run = [
            shutil.which(lupdate, path=str(tool_dir)) or lupdate,
            "-no-obsolete",
            "-locations",
            "none",
        ]
        subprocess.run([*run, *sources, "-ts", str(ts)], check=True)
        release = shutil.which(lrelease, path=str(tool_dir)) or lrelease
        subprocess.run([release, str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


if __name__ == "__main__":
    update()
