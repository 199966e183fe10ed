"""pyqtgraph charts of the 统计 screen. Imported only when the screen first shows its charts.

Each chart reports a click on a bar or a point as its index, so the view can open the ledger
on exactly the cases behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont

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

pg.setConfigOptions(antialias=True, background="w", foreground="k")


def _plot(font: QFont) -> pg.PlotWidget:
    widget = pg.PlotWidget()
    widget.setMenuEnabled(False)
    widget.setMouseEnabled(x=False, y=False)
    widget.hideButtons()
    widget.showGrid(y=True, alpha=0.25)
    for axis in ("left", "bottom"):
        widget.getAxis(axis).setStyle(tickFont=font)
    return widget


def bar_chart(
    labels: Sequence[str],
    values: Sequence[int],
    keys: Sequence[str],
    font: QFont,
    on_click: Callable[[int], None],
) -> pg.PlotWidget:
    """Vertical bars with their labels under them; a click on a bar calls ``on_click(index)``."""
    widget = _plot(font)
    brushes = [COLOURS.get(k, BAR_BRUSH) for k in keys]
    item = pg.BarGraphItem(
        x=list(range(len(values))),
        height=list(values),
        width=0.6,
        brushes=brushes,
        pen=pg.mkPen("k", width=0.5),
    )
    widget.addItem(item)
    for i, v in enumerate(values):
        text = pg.TextItem(str(v), color="k", anchor=(0.5, 1.0))
        text.setFont(font)
        text.setPos(i, v)
        widget.addItem(text)
    widget.getAxis("bottom").setTicks([[(i, label) for i, label in enumerate(labels)]])
    widget.setYRange(0, max(values, default=1) * 1.15 + 1)
    widget.setXRange(-0.6, max(len(values) - 0.4, 0.6))

    def clicked(event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = widget.getViewBox().mapSceneToView(event.scenePos())
        index = round(point.x())
        if 0 <= index < len(values) and abs(point.x() - index) <= 0.3 and point.y() >= 0:
            on_click(index)

    widget.scene().sigMouseClicked.connect(clicked)
    return widget


def series_chart(
    days: Sequence[str],
    new: Sequence[int],
    done: Sequence[int],
    font: QFont,
    on_click: Callable[[str, int], None],
) -> pg.PlotWidget:
    """New (solid) and resolved (dashed) per day; a click on a point gives (series, index)."""
    widget = _plot(font)
    widget.addLegend(offset=(10, 10), labelTextSize="9pt")
    x = list(range(len(days)))
    for name, values, colour, style, key in (
        (QT_TRANSLATE_NOOP("DashboardView", "新增"), new, NEW_PEN, Qt.PenStyle.SolidLine, "new"),
        (QT_TRANSLATE_NOOP("DashboardView", "办结"), done, DONE_PEN, Qt.PenStyle.DashLine, "done"),
    ):
        pen = pg.mkPen(colour, width=2, style=style)
        curve = widget.plot(
            x,
            list(values),
            pen=pen,
            name=QCoreApplication.translate("DashboardView", name),
            symbol="o",
            symbolSize=6,
            symbolBrush=colour,
        )
        curve.setCurveClickable(False)
        scatter = curve.scatter
        scatter.sigClicked.connect(
            lambda _item, points, _ev, key=key: (
                on_click(key, int(points[0].pos().x())) if len(points) else None
            )
        )
    step = max(1, len(days) // 10)
    widget.getAxis("bottom").setTicks([[(i, d) for i, d in enumerate(days) if i % step == 0]])
    return widget
