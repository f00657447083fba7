"""Fast checks of the packaging recipes (packaging/, .github/workflows/release.yml).

The frozen build itself takes about a minute and is not part of this suite: run
``python packaging/build.py --smoke`` (packaging/README.md). These tests check what can go wrong
without building: the version has one source, the NSIS script compiles (where makensis is
installed), the release workflow smoke-tests every build and keeps secrets out of scripts, the Qt
trimming keeps what the app needs, and the icons are well-formed.
"""

from __future__ import annotations

import ast
import plistlib
import shutil
import struct
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
NSIS_SCRIPT = PACKAGING / "windows" / "stepwise.nsi"


@pytest.fixture(scope="module")
def tools() -> Iterator[tuple[ModuleType, ModuleType, ModuleType]]:
    """packaging/'s modules, imported the way build.py imports them (the folder is not a package:
    ``packaging`` is a PyPI name)."""
    sys.path.insert(0, str(PACKAGING))
    try:
        import buildinfo
        import frozen_smoke
        import installers

        yield buildinfo, installers, frozen_smoke
    finally:
        sys.path.remove(str(PACKAGING))


@pytest.fixture(scope="module")
def pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)


# --- one version, from pyproject.toml ---------------------------------------------------------


def test_build_version_is_pyprojects(tools: tuple[ModuleType, ...], pyproject: dict) -> None:
    buildinfo = tools[0]
    version = pyproject["project"]["version"]
    assert buildinfo.project_version() == version
    assert buildinfo.macos_info_plist(version, "13.0")["CFBundleShortVersionString"] == version
    assert buildinfo.windows_version_strings(version)["ProductVersion"] == version


@pytest.mark.parametrize(
    ("version", "quad"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("2", (2, 0, 0, 0)),
        ("1.2.3.4.5", (1, 2, 3, 4)),
        ("2.0rc1", (2, 0, 0, 0)),
        ("1.4.0.post2", (1, 4, 0, 0)),
        ("1!3.1", (3, 1, 0, 0)),
    ],
)
def test_version_quad(tools: tuple[ModuleType, ...], version: str, quad: tuple) -> None:
    assert tools[0].version_quad(version) == quad


def test_spec_and_nsis_take_the_version_from_outside() -> None:
    spec = (PACKAGING / "stepwise.spec").read_text(encoding="utf-8")
    ast.parse(spec)  # the spec is Python; a syntax error would only show in a build
    assert "VERSION = buildinfo.project_version()" in spec
    nsis = NSIS_SCRIPT.read_text(encoding="utf-8")
    assert "!define VERSION " not in nsis and "!define VERSION_QUAD" not in nsis
    for use in ('"DisplayVersion" "${VERSION}"', 'VIProductVersion "${VERSION_QUAD}"'):
        assert use in nsis


def test_the_build_extra_installs_pyinstaller(pyproject: dict) -> None:
    """release.yml installs ``.[build]``."""
    build = pyproject["project"].get("optional-dependencies", {}).get("build", [])
    assert any(req.lower().startswith("pyinstaller") for req in build)


# --- the NSIS installer -----------------------------------------------------------------------

MAKENSIS = shutil.which("makensis")
needs_makensis = pytest.mark.skipif(
    MAKENSIS is None, reason="makensis is not installed (Debian: apt-get install nsis)"
)


@needs_makensis
def test_nsis_script_compiles(tools: tuple[ModuleType, ...], tmp_path: Path) -> None:
    buildinfo, installers, _ = tools
    version = buildinfo.project_version()
    source = installers.make_stand_in(tmp_path / "bundle")
    setup = tmp_path / installers.installer_name(version)
    command = installers.nsis_command(MAKENSIS, version, source, setup)
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # The installer's version resource carries pyproject's version (UTF-16, as Windows stores it).
    assert version.encode("utf-16-le") in setup.read_bytes()


@needs_makensis
def test_nsis_script_refuses_to_compile_without_a_version(tmp_path: Path) -> None:
    assert MAKENSIS is not None
    command = [MAKENSIS, "-V1", f"-DSOURCE_DIR={tmp_path}", str(NSIS_SCRIPT)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    assert "Pass the version" in done.stdout + done.stderr


def test_nsis_defaults_match_the_build(tools: tuple[ModuleType, ...]) -> None:
    buildinfo = tools[0]
    nsis = NSIS_SCRIPT.read_text(encoding="utf-8")
    assert f'!define GUI_EXE "{buildinfo.WIN_GUI_NAME}.exe"' in nsis
    assert f'!define CLI_EXE "{buildinfo.WIN_CLI_NAME}.exe"' in nsis
    assert "RequestExecutionLevel user" in nsis
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP_NAME}"' in nsis
    # Neither an upgrade nor the uninstaller removes the user data folder, nor the install folder
    # with whatever else the user keeps in it.
    removals = [
        line.strip()
        for line in nsis.splitlines()
        if line.strip().startswith(("RMDir", "Delete ", "DeleteRegKey"))
    ]
    assert removals, "the script removes nothing: the check below would prove nothing"
    for line in removals:
        assert "DATA_DIR" not in line and "$APPDATA" not in line, line
        assert not line.startswith('RMDir /r "$INSTDIR"'), line


# --- the release workflow ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (dev extra)")
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _build_jobs(workflow: dict[str, Any]) -> dict[str, Any]:
    return {name: job for name, job in workflow["jobs"].items() if name != "release"}


def test_workflow_triggers(workflow: dict[str, Any]) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert triggers["push"]["tags"] == ["v*"]
    assert "workflow_dispatch" in triggers


def test_every_build_job_smoke_tests_then_uploads(workflow: dict[str, Any]) -> None:
    jobs = _build_jobs(workflow)
    assert {"windows", "macos", "linux"} <= set(jobs)
    for name, job in jobs.items():
        runs = [step.get("run", "") for step in job["steps"]]
        smoke = [
            i for i, run in enumerate(runs) if "packaging/build.py" in run and "--smoke" in run
        ]
        assert smoke, f"job {name} has no frozen smoke test"
        uploads = [
            i for i, s in enumerate(job["steps"]) if s.get("uses", "").startswith("actions/upload")
        ]
        assert uploads and uploads[-1] > smoke[0], f"job {name} uploads nothing after the smoke"
        assert job["steps"][uploads[-1]]["with"]["if-no-files-found"] == "error"


def test_macos_builds_both_architectures(workflow: dict[str, Any]) -> None:
    matrix = workflow["jobs"]["macos"]["strategy"]["matrix"]["include"]
    assert {entry["arch"] for entry in matrix} == {"arm64", "x86_64"}


def test_secrets_reach_steps_only_through_env(workflow: dict[str, Any]) -> None:
    for name, job in workflow["jobs"].items():
        for step in job["steps"]:
            assert "secrets." not in step.get("run", ""), f"{name}: a secret inside a script"
            secret_env = any("secrets." in str(v) for v in step.get("env", {}).values())
            if secret_env:  # a step that gets a secret runs only when it exists
                assert "env." in step.get("if", ""), f"{name}: {step.get('name')} is not skipped"


# --- what the frozen build keeps and drops ----------------------------------------------------


def test_hidden_imports_per_os(tools: tuple[ModuleType, ...]) -> None:
    buildinfo = tools[0]
    assert "keyring.backends.SecretService" in buildinfo.hidden_imports("linux")
    assert "keyring.backends.Windows" in buildinfo.hidden_imports("win32")
    assert "keyring.backends.macOS" in buildinfo.hidden_imports("darwin")
    for platform in ("linux", "win32", "darwin"):
        assert "tiktoken_ext.openai_public" in buildinfo.hidden_imports(platform)
    assert "pyqtgraph" in buildinfo.hidden_imports("linux", installed=["pyqtgraph", "numpy"])
    assert "pyqtgraph" not in buildinfo.hidden_imports("linux")


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platforms/libqlinuxfb.so", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/styles/qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/plugins/generic/libqevdevkeyboardplugin.so", False),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/translations/qt_zh_CN.qm", False),
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
        ("PySide6\\opengl32sw.dll", False),
        ("numpy/_core/_multiarray_umath.so", True),
    ],
)
def test_qt_trimming(tools: tuple[ModuleType, ...], dest: str, kept: bool) -> None:
    assert tools[0].keep_bundled_file(dest, ["zh_CN"]) is kept


def test_shipped_languages(tools: tuple[ModuleType, ...]) -> None:
    assert "zh_CN" in tools[0].shipped_languages()


def test_orphaned_libraries(tools: tuple[ModuleType, ...]) -> None:
    imports = {
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so": {"libgtk-3.so.0", "libQt6Gui.so.6"},
        "libgtk-3.so.0": {"libcairo.so.2", "libglib-2.0.so.0"},
        "libcairo.so.2": {"libpng16.so.16"},
        "libpng16.so.16": set(),
        "libglib-2.0.so.0": set(),
        "PySide6/Qt/lib/libQt6Gui.so.6": {"libglib-2.0.so.0", "libpng16.so.16"},
        "PySide6/QtGui.abi3.so": {"libQt6Gui.so.6"},  # a root: Python loads it, nothing links it
        "libloaded_by_ctypes.so": set(),
    }
    dropped = {"PySide6/Qt/plugins/platformthemes/libqgtk3.so"}
    assert tools[0].orphaned_libraries(imports, dropped) == {"libgtk-3.so.0", "libcairo.so.2"}


def test_macos_minimum_is_the_newest_wheel_floor(tools: tuple[ModuleType, ...]) -> None:
    macos_minimum = tools[0].macos_minimum
    tags = [
        ["cp39-abi3-macosx_13_0_universal2"],
        ["cp311-cp311-macosx_14_0_arm64", "cp311-cp311-macosx_11_0_arm64"],
        ["py3-none-any"],
    ]
    assert macos_minimum(tags) == "13.0"
    assert macos_minimum([["cp311-cp311-macosx_14_0_arm64"]]) == "14.0"
    assert macos_minimum([]) == "11.0"


def test_smoke_environment_is_offline_and_isolated(
    tools: tuple[ModuleType, ...], tmp_path: Path
) -> None:
    frozen_smoke = tools[2]
    env = frozen_smoke.smoke_env(tmp_path / "data", tmp_path / "cache", offscreen=True)
    assert env["STEPWISE_DATA_DIR"] == str(tmp_path / "data")
    assert env["QT_QPA_PLATFORM"] == "offscreen"
    assert env["HTTPS_PROXY"] == frozen_smoke.CLOSED_PORT_PROXY
    assert "127.0.0.1" in env["NO_PROXY"]
    assert "QT_QPA_PLATFORM" not in frozen_smoke.smoke_env(tmp_path, tmp_path, offscreen=False)
    assert frozen_smoke.unexpected_stderr("\n  \n") == []
    assert frozen_smoke.unexpected_stderr("qt.qpa.plugin: boom\n") == ["qt.qpa.plugin: boom"]


# --- icons and the macOS bundle ---------------------------------------------------------------


def test_ico_holds_every_size_up_to_256() -> None:
    data = (PACKAGING / "icons" / "stepwise.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for index in range(count):
        width, _, _, _, _, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        assert bits == 32 and offset + length <= len(data)
        sizes.add(width or 256)
    assert {16, 32, 48, 256} <= sizes


def test_icns_and_png() -> None:
    icns = (PACKAGING / "icons" / "stepwise.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert b"ic10" in icns and b"ic07" in icns
    png = (ROOT / "resources" / "icons" / "stepwise.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (512, 512)


def test_entitlements_ask_for_no_exception() -> None:
    with (PACKAGING / "macos" / "entitlements.plist").open("rb") as handle:
        entitlements = plistlib.load(handle)
    assert entitlements == {}  # see the file's comment before adding one
