"""Charts of the 统计 screen, drawn with QPainter (no plotting library: pyqtgraph and numpy cost
55 MB of the desk's memory for two kinds of chart; issue 15 #6).

Each chart reports a click on a bar or a point as its index, so the view can open the ledger
on exactly the cases behind it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.i18n import QT_TRANSLATE_NOOP

BAR_BRUSH = QColor(70, 110, 160)
NEW_PEN = QColor(40, 90, 160)
DONE_PEN = QColor(200, 110, 40)
COLOURS = {
    "red": QColor(200, 40, 40),
    "orange": QColor(230, 140, 30),
    "yellow": QColor(220, 190, 40),
    "green": QColor(60, 150, 70),
}
GRID = QColor(0, 0, 0, 40)
HIT_PX = 8  # how near a click must be to a point of the series chart


def nice_top(value: int) -> tuple[int, int]:
    """The axis' top and step: 1, 2 or 5 times a power of ten, four or five steps up to the
    first one at or above ``value`` (0 → a top of 1)."""
    if value <= 0:
        return 1, 1
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    return step * math.ceil(value / step), step


class _Chart(QWidget):
    """Axes, grid and tick labels; subclasses place their marks in :meth:`plot_rect`."""

    def __init__(self, count: int, top: int, ticks: Sequence[tuple[int, str]], font: QFont) -> None:
        super().__init__()
        self.setFont(font)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(False)
        self._count = max(count, 1)
        self._top, self._step = nice_top(top)
        self._ticks = list(ticks)

    def sizeHint(self) -> QSize:
        return QSize(640, 320)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 160)

    def plot_rect(self) -> QRectF:
        metrics = QFontMetrics(self.font())
        left = metrics.horizontalAdvance(str(self._top)) + 14
        return QRectF(left, metrics.height() + 8, max(10, self.width() - left - 12),
                      max(10, self.height() - 2 * metrics.height() - 20))  # fmt: skip

    def x_of(self, index: float) -> float:
        rect = self.plot_rect()
        return rect.left() + rect.width() * (index + 0.5) / self._count

    def y_of(self, value: float) -> float:
        rect = self.plot_rect()
        return rect.bottom() - rect.height() * value / self._top

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        rect = self.plot_rect()
        metrics = QFontMetrics(self.font())
        for value in range(0, self._top + 1, self._step):
            y = self.y_of(value)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            painter.setPen(Qt.GlobalColor.black)
            text = str(value)
            painter.drawText(QPointF(rect.left() - metrics.horizontalAdvance(text) - 6,
                                     y + metrics.ascent() / 2 - 1), text)  # fmt: skip
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.topLeft())
        slot = rect.width() / self._count
        for index, label in self._ticks:
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(max(slot, 48)))
            x = self.x_of(index) - metrics.horizontalAdvance(shown) / 2
            painter.drawText(QPointF(x, rect.bottom() + metrics.ascent() + 6), shown)
        self.draw(painter)
        painter.end()

    def draw(self, painter: QPainter) -> None:
        raise NotImplementedError


class BarChart(_Chart):
    """Vertical bars with their values over them and their labels under them."""

    def __init__(self, labels: Sequence[str], values: Sequence[int], keys: Sequence[str],
                 font: QFont, on_click: Callable[[int], None]) -> None:  # fmt: skip
        super().__init__(len(values), max(values, default=0), list(enumerate(labels)), font)
        self.values, self._on_click = list(values), on_click
        self._brushes = [COLOURS.get(k, BAR_BRUSH) for k in keys]

    def bar_rect(self, index: int) -> QRectF:
        width = self.plot_rect().width() / self._count * 0.6
        top, bottom = self.y_of(self.values[index]), self.y_of(0)
        return QRectF(self.x_of(index) - width / 2, top, width, bottom - top)

    def draw(self, painter: QPainter) -> None:
        metrics = QFontMetrics(self.font())
        for index, value in enumerate(self.values):
            bar = self.bar_rect(index)
            painter.setPen(QPen(Qt.GlobalColor.black, 0.5))
            painter.setBrush(self._brushes[index])
            painter.drawRect(bar)
            text = str(value)
            painter.drawText(QPointF(bar.center().x() - metrics.horizontalAdvance(text) / 2,
                                     bar.top() - 4), text)  # fmt: skip

    def index_at(self, point: QPointF) -> int | None:
        """The bar whose column (the bar's width, anywhere above the axis) holds ``point``."""
        rect = self.plot_rect()
        if not rect.top() <= point.y() <= rect.bottom():
            return None
        for index in range(len(self.values)):
            bar = self.bar_rect(index)
            if bar.left() <= point.x() <= bar.right():
                return index
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and index is not None:
            self._on_click(index)


class SeriesChart(_Chart):
    """New (solid) and resolved (dashed) per day, a dot on each day, a legend at the top."""

    def __init__(self, days: Sequence[str], new: Sequence[int], done: Sequence[int], font: QFont,
                 on_click: Callable[[str, int], None]) -> None:  # fmt: skip
        step = max(1, len(days) // 10)
        ticks = [(i, d) for i, d in enumerate(days) if i % step == 0]
        super().__init__(len(days), max([*new, *done], default=0), ticks, font)
        self.series = (
            ("new", QT_TRANSLATE_NOOP("DashboardView", "新增"), list(new), NEW_PEN,
             Qt.PenStyle.SolidLine),
            ("done", QT_TRANSLATE_NOOP("DashboardView", "办结"), list(done), DONE_PEN,
             Qt.PenStyle.DashLine),
        )  # fmt: skip
        self._on_click = on_click

    def point(self, key: str, index: int) -> QPointF:
        values = next(v for k, _n, v, _c, _s in self.series if k == key)
        return QPointF(self.x_of(index), self.y_of(values[index]))

    def draw(self, painter: QPainter) -> None:
        metrics = QFontMetrics(self.font())
        legend_x = self.plot_rect().left() + 10
        for key, name, values, colour, style in self.series:
            painter.setPen(QPen(colour, 2, style))
            points = [self.point(key, i) for i in range(len(values))]
            for a, b in zip(points, points[1:], strict=False):
                painter.drawLine(a, b)
            painter.setPen(QPen(colour, 1))
            painter.setBrush(colour)
            for p in points:
                painter.drawEllipse(p, 3, 3)
            label = QCoreApplication.translate("DashboardView", name)
            y = metrics.height() - 2
            painter.setPen(QPen(colour, 2, style))
            painter.drawLine(QPointF(legend_x, y - metrics.ascent() / 3),
                             QPointF(legend_x + 24, y - metrics.ascent() / 3))  # fmt: skip
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(QPointF(legend_x + 30, y), label)
            legend_x += 30 + metrics.horizontalAdvance(label) + 20

    def hit(self, at: QPointF) -> tuple[str, int] | None:
        """The point within :data:`HIT_PX` of ``at`` (the nearest), as (series, index)."""
        best: tuple[float, str, int] | None = None
        for key, _name, values, _colour, _style in self.series:
            for index in range(len(values)):
                p = self.point(key, index)
                distance = math.hypot(p.x() - at.x(), p.y() - at.y())
                if distance <= HIT_PX and (best is None or distance < best[0]):
                    best = (distance, key, index)
        return None if best is None else (best[1], best[2])

    def mousePressEvent(self, event: QMouseEvent) -> None:
        found = self.hit(event.position())
        if event.button() == Qt.MouseButton.LeftButton and found is not None:
            self._on_click(*found)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[int],
    keys: Sequence[str],
    font: QFont,
    on_click: Callable[[int], None],
) -> BarChart:
    """Vertical bars with their labels under them; a click on a bar calls ``on_click(index)``."""
    return BarChart(labels, values, keys, font, on_click)


def series_chart(
    days: Sequence[str],
    new: Sequence[int],
    done: Sequence[int],
    font: QFont,
    on_click: Callable[[str, int], None],
) -> SeriesChart:
    """New (solid) and resolved (dashed) per day; a click on a point gives (series, index)."""
    return SeriesChart(days, new, done, font, on_click)
