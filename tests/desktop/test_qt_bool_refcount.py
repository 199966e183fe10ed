"""Guard against the PySide6 6.12.0 bug that made the app abort: emitting True leaked a reference.

On Python 3.11 True and False are ordinary objects; PySide6 6.12.0 dropped one reference to True
per Python-side emit of a signal carrying it, and the interpreter aborted ("bool_dealloc") after a
few hundred emits (every ledger page emits loading_changed). Runs in a child process, because the
failure is an abort, not an exception.
"""

from __future__ import annotations

import subprocess
import sys

CHILD = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication
app = QApplication([])
class Probe(QObject):
    flag = Signal(bool)
    value = Signal(object)
probe = Probe()
probe.flag.connect(lambda v: None)
before = sys.getrefcount(True)
for _ in range(2000):
    probe.flag.emit(True)
    probe.value.emit(True)
print(before - sys.getrefcount(True), flush=True)
"""


def test_emitting_true_keeps_its_reference_count() -> None:
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert int(result.stdout.strip()) <= 10  # a few held by Qt are fine; 4000 are not
