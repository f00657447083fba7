"""Build the frozen Stepwise bundle and prove that it runs: the one packaging command.

    python packaging/build.py --smoke                 # build, then smoke-test the bundle
    python packaging/build.py --no-build --smoke      # smoke-test the last build again
    python packaging/build.py --smoke --installer     # + NSIS installer (Windows) / DMG (macOS)
    python packaging/build.py --nsis-check            # compile the NSIS script, stand-in files

Output goes to ``--out`` (default: ``<temp dir>/stepwise-build``), never into the checkout. The
report gives the build time, the bundle's size with its largest pieces, and the smoke test's
timings; under GitHub Actions it is also added to the job summary. Run it as a script, not as
``python -m packaging.build``: ``packaging`` is a PyPI package's name too (see buildinfo.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import buildinfo
import frozen_smoke
import installers

SPEC = Path(__file__).resolve().parent / "stepwise.spec"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "stepwise-build"
MB = 1024 * 1024


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="packaging/build.py", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="build folder (dist/, work/)")
    parser.add_argument("--no-build", action="store_true", help="reuse the bundle in --out")
    parser.add_argument("--smoke", action="store_true", help="run the frozen smoke test")
    parser.add_argument(
        "--native-qt",
        action="store_true",
        help="also self-test with the desktop's own Qt platform plugin (needs a display)",
    )
    parser.add_argument("--installer", action="store_true", help="make the NSIS installer or DMG")
    parser.add_argument("--nsis-check", action="store_true", help="compile the NSIS script only")
    parser.add_argument("--expect-tag", help="fail unless this git tag is v<pyproject version>")
    return parser.parse_args(argv)


def run_pyinstaller(out: Path) -> float:
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--clean"]
    command += ["--distpath", str(out / "dist"), "--workpath", str(out / "work")]
    command += ["--log-level", "WARN"]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=out)
    return time.perf_counter() - started


def bundle_root(out: Path) -> Path:
    """What ships: the .app on macOS, the one-folder bundle elsewhere."""
    if sys.platform == "darwin":
        return out / "dist" / f"{buildinfo.APP_NAME}.app"
    return out / "dist" / buildinfo.EXE_NAME


def console_command(out: Path) -> Path:
    root = bundle_root(out)
    if sys.platform == "win32":
        return root / f"{buildinfo.WIN_CLI_NAME}.exe"
    if sys.platform == "darwin":
        return root / "Contents" / "MacOS" / buildinfo.EXE_NAME
    return root / buildinfo.EXE_NAME


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def largest_pieces(root: Path, count: int = 12) -> list[tuple[str, int]]:
    """Top-level entries of the bundle's library folder, with Qt's big libraries listed apart."""
    internal = next((p for p in root.rglob("_internal") if p.is_dir()), None)
    base = internal or next((p for p in root.rglob("Frameworks") if p.is_dir()), root)
    pieces: dict[str, int] = {}
    for path in base.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(base)
        size = path.stat().st_size
        key = str(rel) if rel.parts[0] == "PySide6" and size >= 2 * MB else rel.parts[0]
        pieces[key] = pieces.get(key, 0) + size
    return sorted(pieces.items(), key=lambda item: -item[1])[:count]


def report(lines: list[str]) -> None:
    text = "\n".join(lines)
    print(text, flush=True)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(f"```\n{text}\n```\n")


def size_report(out: Path, build_seconds: float | None) -> list[str]:
    root = bundle_root(out)
    lines = [f"bundle: {root}"]
    if build_seconds is not None:
        lines.append(f"build time: {build_seconds:.0f} s")
    lines.append(f"bundle size: {folder_size(root) / MB:.1f} MB; largest pieces:")
    lines += [f"  {size / MB:7.1f} MB  {name}" for name, size in largest_pieces(root)]
    return lines


def check_tag(tag: str, version: str) -> None:
    name = tag.removeprefix("refs/tags/")
    if name != f"v{version}":
        raise SystemExit(f"tag {name!r} does not match pyproject.toml's version {version!r}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    version = buildinfo.project_version()
    if args.expect_tag:
        check_tag(args.expect_tag, version)
    if args.nsis_check:
        report(installers.nsis_check(version))
        return 0
    out = args.out.resolve()
    if out == buildinfo.ROOT or buildinfo.ROOT in out.parents:
        raise SystemExit(f"--out {out} is inside the checkout; build outside it")
    out.mkdir(parents=True, exist_ok=True)
    seconds = None if args.no_build else run_pyinstaller(out)
    report(size_report(out, seconds))
    failed = False
    if args.smoke:
        result = frozen_smoke.run(console_command(out), bundle_root(out), version, args.native_qt)
        report(result.lines)
        failed = not result.ok
    if args.installer and not failed:
        report(installers.package(bundle_root(out), out, version))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
