from __future__ import annotations

import gc

from pytestqt.qtbot import QtBot

from ui.gc_guard import GuiThreadCollector


def test_collects_on_the_gui_thread_while_automatic_collection_is_off(qtbot: QtBot) -> None:
    collector = GuiThreadCollector()
    collector.start()
    try:
        assert not gc.isenabled()
        garbage = [[] for _ in range(gc.get_threshold()[0] * 2)]
        for item in garbage:
            item.append(item)  # cycles only the collector can free
        del garbage, item
        qtbot.waitUntil(lambda: gc.get_count()[0] < gc.get_threshold()[0], timeout=3000)
    finally:
        collector.stop()
    assert gc.isenabled()
