"""The 统计 screen over a typed fake: clicks open the ledger filter; reports leave GUI thread."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QTableWidget, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from services.cases.ledger import LedgerFilter
from services.domain.errors import PermissionDeniedError
from services.statistics.dto import (
    Bar,
    Breakdown,
    Dashboard,
    DayPoint,
    Figure,
    Freshness,
    TownshipRow,
    make_rate,
)
from services.statistics.report_dto import FigureLine, ReportDocument, ReportSection
from ui.tasks import ImmediateTaskRunner
from views.dashboard.view import DashboardView, default_period

NOW = dt.datetime(2026, 11, 20, 10, 0)
OVERDUE = LedgerFilter(overdue=True)
RED = LedgerFilter(colours=("red",), registered_from=dt.date(2026, 10, 22))
DAY = dt.date(2026, 11, 19)


class FakeStatistics:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def dashboard(self, days: int = 30, township_id: str | None = None) -> Dashboard:
        self.calls.append(("dashboard", days))
        return Dashboard(
            now=NOW,
            days=days,
            today=(Figure("today_visits", "来访批次", 3), Figure("overdue", "已超期", 7, OVERDUE)),
            week=(Figure("week_closed", "办结", 4, LedgerFilter(closed_from=DAY)),),
            series=(
                DayPoint(
                    DAY,
                    2,
                    1,
                    LedgerFilter(registered_from=DAY, registered_to=DAY),
                    LedgerFilter(closed_from=DAY, closed_to=DAY),
                ),
            ),
            breakdowns=(
                Breakdown(
                    "colour", "风险颜色分布", (Bar("red", "红色", 5, RED), Bar("", "未填写", 1))
                ),
            ),
            rates=(make_rate("resolution", 2, 3), make_rate("satisfaction", 0, 0)),
            freshness=(Freshness("t1", "青山镇", None, None),),
        )

    def record_export(self, kind: str, period: str, fmt: str, *, case_code: str = "") -> None:
        self.calls.append(("record_export", (kind, period, fmt)))

    def report(self, kind: str, period_text: str) -> ReportDocument:
        self.calls.append(("report", (kind, period_text)))
        return ReportDocument(
            kind=kind,
            title="青山镇综治中心矛盾纠纷化解工作日报",
            issuer="青山镇综治中心",
            period_label="2026年11月19日",
            cutoff_text="数据截止：2026年11月20日 00:00",
            sections=(ReportSection("一、当日概况", (FigureLine("registered", "登记件数", "0"),)),),
            footnotes=("注：测试。",),
            columns=(FigureLine("registered", "登记件数", "0"),),
        )


@pytest.fixture
def view(qtbot: QtBot) -> tuple[DashboardView, FakeStatistics]:
    api = FakeStatistics()
    widget = DashboardView(api, ImmediateTaskRunner(), now=lambda: NOW)
    qtbot.add_widget(widget)
    widget.resize(1200, 760)
    widget.show()  # first show computes the figures and draws the charts
    return widget, api


def test_first_show_loads_the_figures_once(view: tuple[DashboardView, FakeStatistics]) -> None:
    widget, api = view
    assert api.calls == [("dashboard", 30)]
    assert widget.data is not None
    assert "青山镇：尚未与县级同步" in widget.freshness.text()


def test_clicking_a_figure_opens_the_ledger_on_its_filter(
    qtbot: QtBot, view: tuple[DashboardView, FakeStatistics]
) -> None:
    widget, _api = view
    tile = widget.findChild(QToolButton, "tile_overdue")
    assert tile is not None and "7" in tile.text()
    with qtbot.wait_signal(widget.ledger_requested) as blocker:
        tile.click()
    assert blocker.args == [OVERDUE, "已超期"]


def test_visits_are_not_cases_and_open_nothing(
    qtbot: QtBot, view: tuple[DashboardView, FakeStatistics]
) -> None:
    widget, _api = view
    tile = widget.findChild(QToolButton, "tile_today_visits")
    assert tile is not None
    with qtbot.assert_not_emitted(widget.ledger_requested):
        tile.click()


def test_bars_and_points_open_their_cases(
    qtbot: QtBot, view: tuple[DashboardView, FakeStatistics]
) -> None:
    widget, _api = view
    with qtbot.wait_signal(widget.ledger_requested) as blocker:
        widget.on_bar_clicked("colour", 0)
    assert blocker.args == [RED, "风险颜色分布：红色"]
    with qtbot.assert_not_emitted(widget.ledger_requested):
        widget.on_bar_clicked("colour", 1)  # no village: no filter can select it
    with qtbot.wait_signal(widget.ledger_requested) as blocker:
        widget.on_series_clicked("done", 0)
    assert blocker.args[0] == LedgerFilter(closed_from=DAY, closed_to=DAY)
    assert widget.tabs.count() == 2  # the series and the colour chart were drawn


def test_each_rate_shows_its_definition(
    monkeypatch: pytest.MonkeyPatch, view: tuple[DashboardView, FakeStatistics]
) -> None:
    widget, _api = view
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    button = widget.findChild(QToolButton, "definition_resolution")
    assert button is not None
    button.click()
    assert shown and shown[0].startswith("化解成功率＝")


def test_report_is_built_and_written_by_the_task_runner(
    tmp_path: Path, view: tuple[DashboardView, FakeStatistics]
) -> None:
    widget, api = view
    out = tmp_path / "日报.pdf"
    widget.export_report("daily", "2026-11-19", out)
    assert ("report", ("daily", "2026-11-19")) in api.calls
    assert out.read_bytes().startswith(b"%PDF")
    assert "已保存" in widget.report_status.text()
    assert api.calls[-1] == ("record_export", ("daily", "2026-11-19", "pdf"))  # audited


def test_a_refused_report_says_why_and_writes_nothing(
    tmp_path: Path, view: tuple[DashboardView, FakeStatistics]
) -> None:
    widget, api = view

    def refuse(kind: str, period_text: str) -> ReportDocument:
        raise PermissionDeniedError("report.assessment", "当前用户（测试，接待员）无权生成考核表")

    api.report = refuse  # type: ignore[method-assign]
    out = tmp_path / "考核.pdf"
    widget.export_report("assessment", "2026-10", out)
    assert not out.exists()
    assert "无权生成考核表" in widget.report_status.text()
    assert widget.pdf_button.isEnabled()
    assert not any(c[0] == "record_export" for c in api.calls)


def test_default_periods() -> None:
    assert default_period("daily", NOW.date()) == "2026-11-20"
    assert default_period("weekly", NOW.date()) == "2026-W47"
    assert default_period("monthly", NOW.date()) == "2026-10"


def test_building_the_screen_does_not_import_pyqtgraph() -> None:
    code = (
        "import sys; from views.dashboard.view import DashboardView; "
        "print('pyqtgraph' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_county_mode_compares_townships_and_a_bar_opens_its_cases(qtbot: QtBot) -> None:
    class CountyStatistics(FakeStatistics):
        def dashboard(self, days: int = 30, township_id: str | None = None) -> Dashboard:
            base = super().dashboard(days, township_id)
            rows = (
                TownshipRow("t1", "青山镇", 9, 5, 2, 1, 4, LedgerFilter(township_id="t1")),
                TownshipRow("t2", "红旗乡", 2, 1, 0, 0, 0, LedgerFilter(township_id="t2")),
            )
            return replace(base, county=True, townships=rows)

    widget = DashboardView(CountyStatistics(), ImmediateTaskRunner(), now=lambda: NOW)
    qtbot.add_widget(widget)
    widget.resize(1200, 760)
    widget.show()
    labels = [widget.tabs.tabText(i) for i in range(widget.tabs.count())]
    assert labels[-1] == "乡镇对比"
    page = widget.tabs.widget(widget.tabs.count() - 1)
    assert page is not None
    table = page.findChild(QTableWidget, "township_table")
    assert table is not None and table.rowCount() == 2
    cells = [table.item(1, c) for c in range(6)]
    assert [c.text() if c else "" for c in cells] == ["红旗乡", "2", "1", "0", "0", "0"]
    assert page.findChild(QWidget, "township_chart") is not None
    with qtbot.wait_signal(widget.ledger_requested) as blocker:
        widget.on_township_clicked(1)
    assert blocker.args == [LedgerFilter(township_id="t2"), "红旗乡 登记"]


def test_the_english_build_shows_the_services_labels_in_english(qtbot: QtBot) -> None:
    """Figure labels, rates and their 口径, breakdown titles, worded bars and freshness go
    through the catalogues; a category's name (a datum) stays as it is."""
    from PySide6.QtWidgets import QApplication, QLabel

    from ui import i18n
    from views.dashboard.charts import BarChart

    app = QApplication.instance()
    assert app is not None
    api = FakeStatistics()
    i18n.install(app, "en")
    try:
        widget = DashboardView(api, ImmediateTaskRunner(), now=lambda: NOW)
        qtbot.add_widget(widget)
        widget.show()
        data = widget.data
        assert data is not None
        widget.data = replace(data, breakdowns=(
            *data.breakdowns, Breakdown("class", "按纠纷类别（GB/T 31000）",
                                        (Bar("0101", "婚姻家庭纠纷", 2), Bar("", "未交办", 1))),
        ))  # fmt: skip
        widget._draw_charts(widget.data)  # noqa: SLF001
        tile = widget.findChild(QToolButton, "tile_overdue")
        assert tile is not None and tile.text() == "7\nOverdue"
        with qtbot.wait_signal(widget.ledger_requested) as blocker:
            tile.click()
        assert blocker.args == [OVERDUE, "Overdue"]
        texts = [label.text() for label in widget.findChildren(QLabel)]
        assert "Resolution rate: <b>66.67%</b> (2/3)" in texts
        why = widget.findChild(QToolButton, "definition_resolution")
        assert why is not None and why.toolTip().startswith("Resolution rate = cases closed")
        assert "Qingshan" not in widget.freshness.text()  # names are data
        assert "青山镇: not yet synchronised with the county" in widget.freshness.text()
        tabs = [widget.tabs.tabText(i) for i in range(widget.tabs.count())]
        assert tabs[1:] == ["By risk colour", "By dispute category (GB/T 31000)"]
        charts = widget.tabs.findChildren(BarChart)
        ticks = [[label for _i, label in c._ticks] for c in charts]  # noqa: SLF001
        assert ["Red", "Not given"] in ticks and ["婚姻家庭纠纷", "Not assigned"] in ticks
        with qtbot.wait_signal(widget.ledger_requested) as blocker:
            widget.on_bar_clicked("colour", 0)
        assert blocker.args == [RED, "By risk colour: Red"]
    finally:
        i18n.install(app, "zh_CN")
