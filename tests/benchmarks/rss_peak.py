"""Peak resident memory of this process, for the history benchmark's passes (Linux only)."""

from __future__ import annotations

import re
from pathlib import Path


class RssPeak:
    """Peak RSS growth from now on: VmHWM, reset to the current RSS by writing 5 to clear_refs."""

    def __init__(self) -> None:
        Path("/proc/self/clear_refs").write_text("5")
        self.start = self._status("VmRSS")

    def growth(self) -> int:
        return self._status("VmHWM") - self.start

    @staticmethod
    def _status(field: str) -> int:
        found = re.search(rf"{field}:\s+(\d+) kB", Path("/proc/self/status").read_text())
        assert found is not None
        return int(found.group(1)) * 1024
