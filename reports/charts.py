"""Report charts drawn with reportlab graphics, readable on a mono printer.

Series differ by grey level, hatching-free solid fills with black outlines, and (for lines) by
dash pattern and marker shape, so a black-and-white copy still tells them apart.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

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


def _legend(chart: ReportChart, font: str, x: float, y: float, line: bool) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = font, LABEL_PT
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 8
    legend.colorNamePairs = [(GREYS[i % 3], name) for i, (name, _) in enumerate(chart.series)]
    if line:
        legend.deltax = 60
    return legend


def draw_chart(chart: ReportChart, font: str, width: float, height: float) -> Drawing:
    """A bar or line chart with Chinese labels in ``font`` (a registered TrueType name)."""
    drawing = Drawing(width, height)
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
        drawing.add(_legend(chart, font, width - 10, height - 22, line))
    return drawing
