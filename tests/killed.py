"""Run a Python script in a child process and kill it with SIGKILL at a chosen line of its output
(the crash-safety tests: no shutdown, no goodbye, as when the power goes)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Killed:
    said: list[str]  # the lines read before the kill, then whatever was still in the pipe
    stderr: str


def kill_when(script: str, until: Callable[[list[str]], bool], *, limit_s: float = 120) -> Killed:
    """Run ``script`` (``python -c``) from the repository; SIGKILL it as soon as ``until`` holds
    for the lines it printed so far (or when its output ends, or after ``limit_s``)."""
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=str(REPO))  # fmt: skip
    watchdog = threading.Timer(limit_s, proc.kill)
    watchdog.start()
    said: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            said.append(line.strip())
            if until(said):
                break
        proc.send_signal(signal.SIGKILL)
        rest, err = proc.communicate(timeout=30)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == -signal.SIGKILL, (said[-5:], err[-2000:])
    return Killed(said + [line for line in rest.splitlines() if line.strip()], err)
