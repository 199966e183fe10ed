"""The 统计 screen's charts, drawn with QPainter: a click on a bar or a point gives its index."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from views.dashboard.charts import bar_chart, nice_top, series_chart


def test_axis_tops_are_round() -> None:
    assert nice_top(0) == (1, 1)
    assert nice_top(3) == (3, 1)
    assert nice_top(37) == (40, 10)
    assert nice_top(1234) == (1500, 500)


def test_a_click_on_a_bar_gives_its_index(qtbot: QtBot) -> None:
    clicked: list[int] = []
    chart = bar_chart(["红色", "黄色", "绿色"], [3, 10, 0], ["red", "yellow", "green"], QFont(),
                      clicked.append)  # fmt: skip
    qtbot.add_widget(chart)
    chart.resize(600, 300)
    chart.show()
    qtbot.waitExposed(chart)
    image = chart.grab().toImage()
    middle = chart.bar_rect(1).center().toPoint()
    assert image.pixelColor(middle) == QColor(220, 190, 40)  # the yellow bar is drawn there
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=middle)
    empty_column = QPoint(chart.bar_rect(2).center().toPoint().x(), middle.y())
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=empty_column)  # a bar of 0
    between = QPoint(int((chart.bar_rect(0).right() + chart.bar_rect(1).left()) / 2), middle.y())
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=between)  # between two bars
    QTest.mouseClick(chart, Qt.MouseButton.RightButton, pos=middle)
    assert clicked == [1, 2]


def test_a_click_on_a_point_gives_its_series_and_day(qtbot: QtBot) -> None:
    clicked: list[tuple[str, int]] = []
    days = [f"12/{d}" for d in range(1, 31)]
    new = [d % 7 for d in range(30)]
    done = [(d * 3) % 5 for d in range(30)]
    chart = series_chart(days, new, done, QFont(), lambda key, i: clicked.append((key, i)))
    qtbot.add_widget(chart)
    chart.resize(800, 300)
    chart.show()
    qtbot.waitExposed(chart)
    assert not chart.grab().isNull()
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.point("new", 6).toPoint())
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.point("done", 4).toPoint())
    far = chart.point("new", 6).toPoint() + QPoint(0, -40)
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=far)
    assert clicked == [("new", 6), ("done", 4)]
