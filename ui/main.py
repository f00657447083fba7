"""The ``stepwise`` entry point: headless commands go to ``app.cli``; otherwise the window opens.

Qt is imported only when a window (or the self-test's Qt check) needs it, so ``stepwise draft``
and ``stepwise simulate`` start fast and run on machines without a display.
"""

from __future__ import annotations

import os
import sys

from app.cli import build_parser, is_headless, run_headless
from app.logs import setup_logging
from app.selftest import run_self_test


def check_qt() -> str:
    """Qt starts headless and the main widgets build (a broken Qt plugin fails here)."""
    from PySide6.QtWidgets import QApplication

    from ui.step_panel import StepPanel

    _app = QApplication.instance() or QApplication(["stepwise-self-test"])  # kept alive here
    panel = StepPanel("intent", "Intent")
    panel.append_text("ok")
    grabbed = panel.grab()
    panel.deleteLater()
    chart = _chart()
    return (
        f"{QApplication.platformName()} platform, {grabbed.width()}x{grabbed.height()} panel,"
        f" {chart} chart"
    )


def _chart() -> str:
    """The dashboard's chart library draws (a build that left out numpy or a Qt module it
    needs fails here, not in a supervisor's hands)."""
    from ui.supervisor.chart_data import Series
    from ui.supervisor.charts import BarChart

    chart = BarChart()
    chart.show_series(["a", "b"], [Series("s", "#2563EB", [1.0, 2.0])])
    grabbed = chart.grab()
    chart.deleteLater()
    return f"{grabbed.width()}x{grabbed.height()}"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging()
    if args.self_test:
        if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        ):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        return run_self_test(demo=args.demo, extra=[("qt", check_qt)])
    if is_headless(args):
        return run_headless(args)
    from ui.app import run_gui

    return run_gui(demo=args.demo)


if __name__ == "__main__":
    sys.exit(main())
