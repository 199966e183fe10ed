"""Keep windows and dialogs on screen: shrink to the work area, scroll inside instead of growing.

The commonest township PC is 1366×768 with a 40 px taskbar (1366×728 of work area); a 1920×1080
laptop at 150% scaling has 1280×693 logical pixels. Nothing may be taller or wider than that.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

# The smallest work area supported, in logical pixels (1920×1040 at 150%), less a title bar.
SMALLEST_SCREEN = QSize(1280, 693)
TITLE_BAR = 32
MAX_MINIMUM = QSize(SMALLEST_SCREEN.width(), SMALLEST_SCREEN.height() - TITLE_BAR)


def work_area(widget: QWidget | None = None) -> QRect:
    """The usable part (less the taskbar) of the widget's screen, or of the primary screen."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def _frame_extra(widget: QWidget) -> QSize:
    extra = widget.frameGeometry().size() - widget.geometry().size()
    if widget.isVisible() and (extra.width() > 0 or extra.height() > 0):
        return extra
    return QSize(0, TITLE_BAR if widget.isWindow() else 0)


def fit_to_screen(widget: QWidget) -> None:
    """Shrink (never grow) a window to its screen's work area and move it fully onto it."""
    area = work_area(widget)
    extra = _frame_extra(widget)
    width = min(widget.width(), area.width() - extra.width())
    height = min(widget.height(), area.height() - extra.height())
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(max(width, 100), max(height, 100))
    x = min(max(widget.x(), area.left()), area.right() - widget.width() - extra.width() + 1)
    y = min(max(widget.y(), area.top()), area.bottom() - widget.height() - extra.height() + 1)
    if (x, y) != (widget.x(), widget.y()):
        widget.move(max(x, area.left()), max(y, area.top()))


def restore_geometry(widget: QWidget, saved: QByteArray | bytes) -> bool:
    """Restore a saved geometry only if it still fits one of today's screens; True if restored.

    A window saved on a larger monitor (or at another scaling) would open with its buttons
    and status bar off-screen: then the default size is kept.
    """
    if not saved:
        return False
    before = widget.saveGeometry()
    if not widget.restoreGeometry(QByteArray(saved)):
        return False
    frame = widget.geometry()
    for screen in QGuiApplication.screens():
        area = screen.availableGeometry()
        if (frame.width() <= area.width() and frame.height() + TITLE_BAR <= area.height()
                and area.intersects(frame)):  # fmt: skip
            return True
    widget.restoreGeometry(before)
    fit_to_screen(widget)
    return False


def scrolling(page: QWidget, parent: QWidget | None = None) -> QScrollArea:
    """``page`` inside a frameless scroll area: it scrolls when the window is smaller than it."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


class ScreenFitter(QObject):
    """Application event filter: every window or dialog shown is shrunk to fit its screen."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            kind = watched.windowType()
            if watched.isWindow() and kind in (Qt.WindowType.Window, Qt.WindowType.Dialog):
                fit_to_screen(watched)
        return False


def install(app: QObject) -> ScreenFitter:
    """Fit every window and dialog the application shows from now on."""
    fitter = ScreenFitter(app)
    app.installEventFilter(fitter)
    return fitter
