"""The per-OS installers around the bundle: NSIS on Windows, a DMG on macOS.

Both take the version from ``pyproject.toml`` (through ``buildinfo``) and pass it in: the NSIS
script refuses to compile without ``-DVERSION``. ``nsis_check`` compiles the script against a
small stand-in folder, so Linux (Debian's ``nsis`` package) can check the script without a
Windows build.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import buildinfo

HERE = Path(__file__).resolve().parent
NSIS_SCRIPT = HERE / "windows" / "stepwise.nsi"
MAKE_DMG = HERE / "macos" / "make_dmg.sh"
# Where the NSIS installer puts makensis on Windows; it does not add itself to PATH.
WINDOWS_MAKENSIS = (
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "NSIS" / "makensis.exe"
)


def find_makensis() -> str | None:
    found = shutil.which("makensis")
    if found:
        return found
    return str(WINDOWS_MAKENSIS) if WINDOWS_MAKENSIS.is_file() else None


def installer_name(version: str) -> str:
    return f"{buildinfo.APP_NAME}-{version}-setup.exe"


def nsis_command(makensis: str, version: str, source: Path, outfile: Path) -> list[str]:
    """makensis with the defines the script needs; ``-WX`` turns its warnings into errors.

    Options are given with "-", which makensis accepts on every OS ("/" only on Windows)."""
    quad = ".".join(str(n) for n in buildinfo.version_quad(version))
    return [
        makensis,
        "-V2",
        "-WX",
        f"-DVERSION={version}",
        f"-DVERSION_QUAD={quad}",
        f"-DSOURCE_DIR={source}",
        f"-DOUTFILE={outfile}",
        f"-DGUI_EXE={buildinfo.WIN_GUI_NAME}.exe",
        f"-DCLI_EXE={buildinfo.WIN_CLI_NAME}.exe",
        str(NSIS_SCRIPT),
    ]


def make_stand_in(folder: Path) -> Path:
    """The shape of a Windows one-folder build, with placeholder files."""
    (folder / "_internal" / "resources").mkdir(parents=True)
    for name in (buildinfo.WIN_GUI_NAME, buildinfo.WIN_CLI_NAME):
        (folder / f"{name}.exe").write_bytes(b"MZ stand-in")
    (folder / "_internal" / "resources" / "prices.json").write_text("{}\n", encoding="utf-8")
    return folder


def build_nsis(source: Path, out_dir: Path, version: str) -> Path:
    makensis = find_makensis()
    if makensis is None:
        raise SystemExit("makensis not found: install NSIS (choco install nsis / apt install nsis)")
    outfile = out_dir / installer_name(version)
    subprocess.run(nsis_command(makensis, version, source, outfile), check=True)
    return outfile


def nsis_check(version: str) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="stepwise-nsis-") as tmp:
        source = make_stand_in(Path(tmp) / "bundle")
        started = time.perf_counter()
        installer = build_nsis(source, Path(tmp), version)
        seconds = time.perf_counter() - started
        size = installer.stat().st_size
    return [
        f"ok   makensis: {installer.name} from a stand-in folder, {size:,} bytes, {seconds:.2f} s"
    ]


def dmg_name(version: str) -> str:
    arch = {"arm64": "arm64", "x86_64": "x86_64"}.get(platform.machine(), platform.machine())
    return f"{buildinfo.APP_NAME}-{version}-macos-{arch}.dmg"


def build_dmg(app: Path, out_dir: Path, version: str) -> Path:
    dmg = out_dir / dmg_name(version)
    subprocess.run(["bash", str(MAKE_DMG), str(app), str(dmg), buildinfo.APP_NAME], check=True)
    return dmg


def package(bundle: Path, out: Path, version: str) -> list[str]:
    """The installer for this OS into ``out``; on Linux there is none (the folder is the build)."""
    started = time.perf_counter()
    if sys.platform == "win32":
        made = build_nsis(bundle, out, version)
    elif sys.platform == "darwin":
        made = build_dmg(bundle, out, version)
    else:
        return ["no installer on Linux: ship the one-folder bundle"]
    seconds = time.perf_counter() - started
    size = made.stat().st_size / (1024 * 1024)
    return [f"installer: {made} ({size:.1f} MB, {seconds:.0f} s)"]
