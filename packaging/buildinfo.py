"""What the frozen build needs to know, free of PyInstaller so the fast tests can read it.

The spec (``stepwise.spec``), the build script (``build.py``) and ``tests/test_installers.py`` all
take the version, the names, the hidden imports and the Qt trimming rules from here. The version
has one source: ``pyproject.toml``; nothing in ``packaging/`` spells it out.

This folder is not a Python package on purpose (no ``__init__.py``): ``packaging`` is also the
name of a PyPI package that PyInstaller and pip import, and a regular package always wins over a
folder without one. Scripts here import each other as top-level modules.
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "Stepwise"
BUNDLE_ID = "com.stepwise.desktop"
PUBLISHER = "Stepwise"
EXE_NAME = "stepwise"  # the bundle's command on Linux and macOS
# Windows gets two executables over one _internal/ folder: a windowed one for the Start menu (no
# console flashes up) and a console twin for ``--self-test``, ``draft`` and the smoke test, as a
# windowed program has no stdout to print to.
WIN_GUI_NAME = "Stepwise"
WIN_CLI_NAME = "stepwise-cli"

# keyring finds its backends through entry points (keyring's own metadata, which PyInstaller's
# keyring hook copies); each OS's backend and what it imports lazily must be in the bundle.
KEYRING_IMPORTS = {
    "linux": ["keyring.backends.SecretService", "secretstorage", "jeepney", "jeepney.io.blocking"],
    "win32": ["keyring.backends.Windows", "win32ctypes.pywin32.win32cred"],
    "darwin": ["keyring.backends.macOS", "keyring.backends.macOS.api"],
}
# tiktoken finds its encodings through the tiktoken_ext namespace package, which no import names.
COMMON_IMPORTS = ["tiktoken_ext.openai_public"]
# For the dashboard's charts; bundled when installed (pyqtgraph pulls numpy in).
OPTIONAL_IMPORTS = ["pyqtgraph", "numpy"]

# Python modules that optional imports of our dependencies would drag in. Each was found in the
# build's import graph (work/stepwise/xref-stepwise.html) behind a try/except or a lazy import.
PY_EXCLUDES = [
    "tkinter",
    "_tkinter",
    # dev tools, present only in a dev environment: yarl imports pydantic when it is installed,
    # pydantic's hook then collects its mypy plugin, and mypy pulls in its compiled modules.
    "pydantic",
    "pydantic_core",
    "mypy",
    "mypyc",
    "librt",
    "ast_serialize",
    "_pytest",
    "pytest",
    "IPython",
    # httpx's own command line (pygments, rich), uvicorn's config-file formats, pygments' images
    "pygments",
    "rich",
    "markdown_it",
    "yaml",
    "dotenv",
    "watchfiles",
    "PIL",
    # tiktoken downloads encodings with requests, jsonschema fetches remote $refs with it: we
    # ship the tokenizer files and our schemas are local, so leaving it out keeps the app offline.
    "requests",
    # other Qt bindings and GL, which pyqtgraph imports when present
    "PyQt5",
    "PyQt6",
    "PySide2",
    "OpenGL",
    "matplotlib",
    "scipy",
    # Qt modules only pyqtgraph's optional parts import (printing, tests, QML). Not QtOpenGL and
    # QtOpenGLWidgets: pyqtgraph's Qt shim reaches QOpenGLWidget when any PlotWidget is built, and
    # the frozen self-test's chart failed without them.
    "PySide6.QtPrintSupport",
    "PySide6.QtNetwork",
    "PySide6.QtTest",
    "PySide6.QtQml",
    "PySide6.QtQuick",
]

# Qt plugins kept, by plugin folder; a folder not named here is kept whole. Plugin names are the
# file names without "lib", "q" and the suffix (libqxcb.so → xcb, qwindows.dll → windows).
QT_PLUGINS_KEPT: dict[str, set[str]] = {
    # the desktop's own platform, and offscreen for the headless self-test
    "platforms": {"xcb", "wayland", "wayland-egl", "wayland-generic", "windows", "cocoa"}
    | {"offscreen", "minimal"},
    # the formats a Qt widget app meets: our PNG icon is built in; SVG, ICO, JPEG and GIF
    "imageformats": {"svg", "ico", "jpeg", "gif", "icns"},
    "iconengines": {"svgicon"},
    # GTK's theme plugin would bring the host's whole GTK stack (~20 MB); the portal one gives
    # native dialogs on GNOME and KDE alike.
    "platformthemes": {"xdgdesktopportal"},
}
# Qt plugin folders dropped whole: no feature of ours uses them.
QT_PLUGIN_DIRS_DROPPED = {"egldeviceintegrations", "networkinformation", "tls", "generic"}
# Single Qt files dropped: Mesa's software OpenGL for Windows (~20 MB), which Qt loads only when
# something asks for an OpenGL context without a GPU driver; a widgets app never does.
QT_FILES_DROPPED = {"opengl32sw.dll"}


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    with pyproject.open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def version_quad(version: str) -> tuple[int, int, int, int]:
    """The PEP 440 release numbers padded to four, as Windows version resources and NSIS need."""
    match = re.match(r"^(?:\d+!)?(\d+(?:\.\d+)*)", version)
    if not match:
        raise ValueError(f"not a PEP 440 version: {version!r}")
    numbers = [int(part) for part in match.group(1).split(".")][:4]
    padded = numbers + [0] * (4 - len(numbers))
    return padded[0], padded[1], padded[2], padded[3]


def windows_version_strings(version: str) -> dict[str, str]:
    return {
        "CompanyName": PUBLISHER,
        "FileDescription": f"{APP_NAME} agent-assist desk",
        "FileVersion": version,
        "InternalName": EXE_NAME,
        "LegalCopyright": f"MIT licence, the {APP_NAME} authors",
        "OriginalFilename": f"{WIN_GUI_NAME}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version,
    }


def macos_info_plist(version: str, minimum_macos: str) -> dict[str, object]:
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "NSHighResolutionCapable": True,
        "LSMinimumSystemVersion": minimum_macos,
        "LSApplicationCategoryType": "public.app-category.business",
        "NSHumanReadableCopyright": f"MIT licence, the {APP_NAME} authors",
        # The app asks nothing of the keychain beyond its own items; no other privacy keys apply.
    }


def macos_minimum(tag_sets: Iterable[Iterable[str]], floor: str = "11.0") -> str:
    """The oldest macOS every bundled wheel runs on: per wheel the lowest of its ``macosx_X_Y``
    tags, then the highest over all wheels (numpy's arm64 wheels need 14.0, for instance)."""
    best = tuple(int(n) for n in floor.split("."))
    for tags in tag_sets:
        found = [
            (int(m.group(1)), int(m.group(2)))
            for tag in tags
            if (m := re.search(r"macosx_(\d+)_(\d+)_", tag))
        ]
        if found:
            best = max(best, min(found))
    return ".".join(str(n) for n in best)


def installed_macos_minimum() -> str:
    tag_sets = []
    for dist in importlib.metadata.distributions():
        wheel = dist.read_text("WHEEL") or ""
        tag_sets.append(
            [line[4:].strip() for line in wheel.splitlines() if line.startswith("Tag:")]
        )
    return macos_minimum(tag_sets)


def is_installed(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


def hidden_imports(platform: str, installed: Iterable[str] = ()) -> list[str]:
    keyring = next(mods for key, mods in KEYRING_IMPORTS.items() if platform.startswith(key))
    return COMMON_IMPORTS + keyring + [name for name in OPTIONAL_IMPORTS if name in installed]


def shipped_languages(root: Path = ROOT) -> list[str]:
    """The languages we ship a translation for (``resources/i18n/stepwise_<lang>.qm``)."""
    return sorted(p.stem.removeprefix("stepwise_") for p in (root / "resources/i18n").glob("*.qm"))


def _plugin_name(filename: str) -> str:
    stem = filename.split(".")[0].removeprefix("lib")
    return stem[1:] if stem.startswith("q") else stem


def keep_bundled_file(dest: str, languages: Iterable[str]) -> bool:
    """False for the Qt plugins and translations we do not ship (``dest``: the path in the
    bundle, e.g. ``PySide6/Qt/plugins/platforms/libqvnc.so``); True for everything else."""
    parts = PurePath(dest.replace("\\", "/")).parts
    if "PySide6" not in parts or parts[-1].endswith((".py", ".pyc", ".pyi")):
        return True
    if parts[-1].lower() in QT_FILES_DROPPED:
        return False
    if "translations" in parts:  # Qt's own: only the catalogue ui/i18n.py loads, per language
        return PurePath(parts[-1]).stem in {f"qtbase_{lang}" for lang in languages}
    if "plugins" in parts and len(parts) > parts.index("plugins") + 2:
        folder = parts[parts.index("plugins") + 1]
        if folder in QT_PLUGIN_DIRS_DROPPED:
            return False
        kept = QT_PLUGINS_KEPT.get(folder)
        return kept is None or _plugin_name(parts[-1]) in kept
    return True


def orphaned_libraries(imports: dict[str, set[str]], dropped: set[str]) -> set[str]:
    """Libraries bundled only for the files we drop (GTK for Qt's GTK theme plugin, say).

    ``imports`` maps each bundled binary (its destination path) to the base names of the
    libraries it links against. A library goes when every binary linking it has gone; one that
    nothing links against (ctypes loads it by name) stays."""
    importers: dict[str, set[str]] = {}
    for dest, names in imports.items():
        for name in names:
            importers.setdefault(name.lower(), set()).add(dest)
    gone = set(dropped)
    changed = True
    while changed:
        changed = False
        for dest in imports:
            users = importers.get(PurePath(dest.replace("\\", "/")).name.lower(), set())
            if dest not in gone and users and users <= gone:
                gone.add(dest)
                changed = True
    return gone - dropped
