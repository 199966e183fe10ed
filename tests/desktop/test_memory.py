"""What a day's use must not keep (issue 15 #6): source lines read by PySide6's import hook,
big freed blocks in the glibc heap, free pages after a dialog closes."""

from __future__ import annotations

import linecache
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMainWindow
from pytestqt.qtbot import QtBot

from desktop import memory

glibc = pytest.mark.skipif(memory._glibc() is None, reason="glibc only")


@pytest.fixture
def modules(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in ("zz_plain_module", "zz_qt_module"):
        sys.modules.pop(name, None)


def test_a_module_imported_after_start_leaves_no_source_lines_behind(modules: Path) -> None:
    memory.install()
    plain = modules / "zz_plain_module.py"
    plain.write_text("VALUE = 1\n" + "# a long module\n" * 5000, encoding="utf-8")
    qt = modules / "zz_qt_module.py"
    qt.write_text("from PySide6.QtCore import QObject\nVALUE = 2\n", encoding="utf-8")
    __import__("zz_plain_module")  # an import statement: PySide6 hooks __import__
    __import__("zz_qt_module")
    assert str(plain) not in linecache.cache
    assert str(qt) not in linecache.cache
    # PySide6's own answer is kept: -1 "ignore this module", 0 "uses PySide6"
    feature = sys.modules["shibokensupport.feature"]
    assert feature.pyside_feature_dict["zz_plain_module"] == -1
    assert feature.pyside_feature_dict["zz_qt_module"] == 0
    assert linecache.getline(str(qt), 2) == "VALUE = 2\n"  # a traceback still reads its lines


def test_installing_twice_wraps_the_check_once() -> None:
    memory.install()
    memory._keep_no_source_lines()
    check = sys.modules["shibokensupport.feature"]._mod_uses_pyside
    assert hasattr(check, "__wrapped__")
    assert not hasattr(check.__wrapped__, "__wrapped__")


@glibc
def test_glibc_takes_fixed_heap_thresholds() -> None:
    assert memory._fix_heap_thresholds()


@glibc
def test_the_heap_is_trimmed_once_the_focus_is_back_on_the_window(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    monkeypatch.setattr(memory, "TRIM_DELAY_MS", 50)
    timer = memory.trim_after_window_changes(app)
    assert timer is not None
    calls: list[int] = []
    monkeypatch.setattr(memory, "trim", lambda: calls.append(1))
    try:
        window = QMainWindow()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: not timer.isActive() and calls == [1])
        dialog = QDialog(window)
        dialog.show()
        dialog.done(0)
        window.activateWindow()
        qtbot.waitUntil(lambda: len(calls) == 2)
        qtbot.wait(120)
        assert calls == [1, 1]  # one trim per window change, not a polling timer
    finally:
        app.focusWindowChanged.disconnect()
        timer.deleteLater()
