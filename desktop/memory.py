"""What a day's use must not keep in memory (issue 15 #6: under 250 MB on the 2,000-case demo).

Two process-wide settings, made once at start-up by :func:`install`:

* **Source lines.** PySide6's ``__feature__`` import hook asks, for every module imported after
  PySide6, whether its source mentions "PySide6" (``inspect.getsource``), and ``linecache`` then
  keeps every line of every such module: 28 MB of ``str`` on the demo when run from source (a
  PyInstaller bundle has no sources, so nothing is read there). The hook gets the same answer;
  the lines it read are dropped again. Tracebacks read the lines they need when they need them.
* **glibc heap.** A freed block bigger than the mmap threshold raises that threshold (up to
  32 MB) and the trim threshold to twice as much, so later big blocks live in the heap and are
  never given back: each sign-in's 19 MiB argon2 buffer stayed there (+18 MB RSS per sign-in
  until 38 MB). Fixed thresholds keep blocks of 1 MiB and more in their own mappings, returned
  to the system when freed. :func:`trim_after_window_changes` gives the free pages back a
  second after the focus moves to another window: a dialog, a preview or a print job has just
  closed and freed its pages and images (10 MB after every dialog of the app was opened).
  Other C libraries (Windows, macOS) are left as they are.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import linecache
import logging
import sys
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

log = logging.getLogger(__name__)

TRIM_DELAY_MS: Final = 1000  # after the focus moves to another window
MMAP_THRESHOLD: Final = 1 << 20  # blocks this big get their own mapping, returned on free
TRIM_THRESHOLD: Final = 1 << 20  # free memory this big at the heap's top goes back at once
_M_TRIM_THRESHOLD: Final = -1  # glibc <malloc.h>
_M_MMAP_THRESHOLD: Final = -3

_libc: ctypes.CDLL | None = None
_installed = False


def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (mallopt and malloc_trim exist), else None."""
    global _libc
    if _libc is None and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.gnu_get_libc_version  # noqa: B018 (glibc only: musl has no such symbol)
            libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
            libc.malloc_trim.argtypes = [ctypes.c_size_t]
            _libc = libc
        except (OSError, AttributeError):
            log.info("not glibc: the heap is left with its default settings")
    return _libc


def _forgetting_lines(check: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    """``check`` (PySide6's "does this module use PySide6?") without the lines it leaves in
    linecache. Runs inside the import hook: it must import nothing."""

    def uses_pyside(module: ModuleType) -> bool:
        before = set(linecache.cache)
        try:
            return check(module)
        finally:
            for name in set(linecache.cache) - before:
                linecache.cache.pop(name, None)

    uses_pyside.__wrapped__ = check  # type: ignore[attr-defined]
    return uses_pyside


def _keep_no_source_lines() -> bool:
    """Wrap PySide6's feature check (imports PySide6 if needed); True when it is wrapped."""
    import PySide6.QtCore  # noqa: F401 (installs the import hook and its feature module)

    feature = sys.modules.get("shibokensupport.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(check):
        log.info("PySide6 without the feature check this module expects: nothing to wrap")
        return False
    if not hasattr(check, "__wrapped__"):
        setattr(feature, "_mod_uses_pyside", _forgetting_lines(check))  # noqa: B010
    linecache.clearcache()  # the lines read before this point
    return True


def _fix_heap_thresholds() -> bool:
    libc = _glibc()
    if libc is None:
        return False
    ok = libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    return libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1 and ok


def install() -> None:
    """Both settings, once per process (the app's start and the memory bench call it)."""
    global _installed
    if _installed:
        return
    _installed = True
    lines, heap = _keep_no_source_lines(), _fix_heap_thresholds()
    log.debug("memory settings: source lines dropped=%s, heap thresholds fixed=%s", lines, heap)


def trim() -> None:
    """Give the heap's free pages back to the system (glibc; elsewhere nothing to do)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def trim_after_window_changes(app: QGuiApplication) -> QTimer | None:
    """:func:`trim` once the focus has stayed on one window for :data:`TRIM_DELAY_MS` (a
    dialog, a preview or a print job closed). None where there is nothing to trim."""
    if _glibc() is None:
        return None
    from PySide6.QtCore import QTimer

    timer = QTimer(app)
    timer.setSingleShot(True)
    timer.setInterval(TRIM_DELAY_MS)
    timer.timeout.connect(lambda: trim())
    app.focusWindowChanged.connect(lambda _window: timer.start())
    return timer
