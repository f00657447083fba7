"""Stepwise core: everything that is not Qt.

This package must never import PySide6, qasync or ``ui`` (a test walks the imports).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("stepwise")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+checkout"
