"""Report charts drawn with reportlab graphics, readable on a mono printer.

Series differ by grey level, hatching-free solid fills with black outlines, and (for lines) by
dash pattern and marker shape, so a black-and-white copy still tells them apart.
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.validators import Auto
from reportlab.pdfbase.pdfmetrics import stringWidth

from services.statistics.report_dto import ReportChart

GREYS = (
    colors.Color(0.25, 0.25, 0.25),
    colors.Color(0.6, 0.6, 0.6),
    colors.Color(0.85, 0.85, 0.85),
)
DASHES = (None, (4, 2), (1, 2))
MARKERS = ("FilledSquare", "Circle", "FilledTriangle")
LABEL_PT = 8


def _axis_max(chart: ReportChart) -> int:
    top = max((v for _, values in chart.series for v in values), default=0)
    step = 1 if top <= 5 else 2 if top <= 10 else 5 if top <= 25 else 10 ** (len(str(top)) - 1)
    return max(step, -(-top // step) * step)


def _legend(chart: ReportChart, font: str, width: float, y: float, plot: Any) -> Legend:
    """One row of swatches and names under the title, right-aligned inside the drawing (it ran
    off the right edge when anchored there)."""
    legend = Legend()
    legend.fontName, legend.fontSize = font, LABEL_PT
    legend.alignment = "right"  # the name to the right of its swatch
    legend.columnMaximum = 1  # one item per column: a single row
    legend.dx = legend.dy = 8
    names = [name for name, _ in chart.series]
    legend.deltax = max(stringWidth(n, font, LABEL_PT) for n in names) + legend.dx + 14
    if chart.kind == "line":  # swatches drawn like the lines: grey level, dashes and markers
        legend.colorNamePairs = Auto(obj=plot)
    else:
        legend.colorNamePairs = [(GREYS[i % 3], name) for i, name in enumerate(names)]
    legend.x = max(0.0, width - 8 - legend.deltax * len(names))
    legend.y = y
    return legend


def draw_chart(chart: ReportChart, font: str, width: float, height: float) -> Drawing:
    """A bar or line chart with Chinese labels in ``font`` (a registered TrueType name)."""
    drawing = Drawing(width, height)
    # The renderer's starting state sets a font before any String: Helvetica unless told, which the
    # PDF would then name without embedding it.
    drawing.initialFontName = font
    drawing.add(
        String(width / 2, height - 12, chart.title, fontName=font, fontSize=10, textAnchor="middle")
    )
    if not chart.categories or not any(any(v) for _, v in chart.series):
        drawing.add(
            String(
                width / 2, height / 2, "本期无数据", fontName=font, fontSize=10, textAnchor="middle"
            )
        )
        return drawing
    line = chart.kind == "line"
    plot = HorizontalLineChart() if line else VerticalBarChart()
    plot.x, plot.y = 36, 34
    plot.width, plot.height = width - 56, height - 70
    plot.data = [list(values) for _, values in chart.series]
    plot.valueAxis.valueMin = 0
    plot.valueAxis.valueMax = _axis_max(chart)
    plot.valueAxis.valueStep = max(1, plot.valueAxis.valueMax // 5)
    plot.valueAxis.labels.fontName = font
    plot.valueAxis.labels.fontSize = LABEL_PT
    plot.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    plot.valueAxis.visibleGrid = True
    axis = plot.categoryAxis
    step = 1 if len(chart.categories) <= 16 else 5 if len(chart.categories) <= 62 else 10
    axis.categoryNames = [c if i % step == 0 else "" for i, c in enumerate(chart.categories)]
    axis.labels.fontName = font
    axis.labels.fontSize = LABEL_PT
    if not line and len(chart.categories) > 5:
        axis.labels.angle = 30
        axis.labels.boxAnchor = "ne"
    for i in range(len(chart.series)):
        if line:
            plot.lines[i].strokeColor = colors.black if i == 0 else GREYS[1]
            plot.lines[i].strokeWidth = 1.4
            plot.lines[i].strokeDashArray = DASHES[i % 3]
            plot.lines[i].symbol = makeMarker(MARKERS[i % 3], size=3)
            plot.lines[i].name = chart.series[i][0]
        else:
            plot.bars[i].fillColor = GREYS[i % 3]
            plot.bars[i].strokeColor = colors.black
            plot.bars[i].strokeWidth = 0.5
    if not line:
        plot.barLabelFormat = "%d"
        plot.barLabels.fontName = font
        plot.barLabels.fontSize = LABEL_PT
        plot.barLabels.nudge = 6
    drawing.add(plot)
    if len(chart.series) > 1:
        drawing.add(_legend(chart, font, width, height - 22, plot))
    return drawing
