"""Case ledger: paged model (qtmodeltester), fetchMore paging, filters passed to SQL, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from services.cases.ledger import LedgerCursor, LedgerFilter, LedgerRow
from tests.views.fakes import FakeWorkbench
from ui.tasks import ImmediateTaskRunner
from views.cases.ledger_view import LedgerView

if TYPE_CHECKING:  # importable only once pytest-qt has chosen the Qt binding
    from pytestqt.modeltest import ModelTester


@pytest.fixture
def ledger(qtbot: QtBot) -> tuple[LedgerView, FakeWorkbench]:
    services = FakeWorkbench(total_cases=250)
    view = LedgerView(services, ImmediateTaskRunner())
    qtbot.add_widget(view)
    return view, services


def test_model_passes_qtmodeltester(
    qtmodeltester: ModelTester, ledger: tuple[LedgerView, FakeWorkbench]
) -> None:
    view, _ = ledger
    qtmodeltester.check(view.model, force_py=True)


def test_first_page_then_fetch_more_until_the_end(ledger: tuple[LedgerView, FakeWorkbench]) -> None:
    view, _ = ledger
    model = view.model
    assert model.rowCount() == 100
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 250
    assert not model.canFetchMore(QModelIndex())
    codes = [model.row_at(i).code for i in range(250)]
    assert len(set(codes)) == 250
    assert model.data(model.index(0, 0)) == "620123101000-2026-000000"


def test_badges_colour_the_risk_and_remaining_days(
    ledger: tuple[LedgerView, FakeWorkbench],
) -> None:
    view, _ = ledger
    model = view.model
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    risk, left = headers.index("风险"), headers.index("剩余工作日")
    red_row = 2  # fake rows cycle green, yellow, red
    assert model.data(model.index(red_row, risk)) == "红"
    brush = model.data(model.index(red_row, risk), Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == "#ef9a9a"
    overdue_row = 4  # remaining 3 - 4 = -1
    assert model.data(model.index(overdue_row, left)) == "超期1天"


def test_filters_and_quick_filters_reach_the_service(
    ledger: tuple[LedgerView, FakeWorkbench],
) -> None:
    view, services = ledger
    view.state.setCurrentIndex(view.state.findData("assigned"))
    assert services.filters[-1].states == ("assigned",)
    view.village.setCurrentIndex(view.village.findData("v2"))
    assert services.filters[-1].village_id == "v2"
    view.quick_buttons[1].setChecked(True)  # 已超期
    assert services.filters[-1].overdue is True
    view.quick_buttons[4].setChecked(True)  # 我经办的
    assert services.filters[-1].registered_by == "user-1"
    view.search.setText("宅基地")
    view.refresh()
    assert services.filters[-1].text == "宅基地"


def test_sort_request_resets_and_reloads(ledger: tuple[LedgerView, FakeWorkbench]) -> None:
    view, services = ledger
    calls = len(services.filters)
    view.model.sort(0, Qt.SortOrder.AscendingOrder)  # 案件编号 sorts by code
    assert view._sort == ("code", False)
    assert len(services.filters) == calls + 1
    view.model.sort(1, Qt.SortOrder.AscendingOrder)  # 标题 is not sortable in SQL
    assert view._sort == ("code", False)


def test_open_case_on_double_click(qtbot: QtBot, ledger: tuple[LedgerView, FakeWorkbench]) -> None:
    view, _ = ledger
    with qtbot.wait_signal(view.case_opened) as blocker:
        view._on_table_double_clicked(view.model.index(3, 1))
    assert blocker.args == ["case-000003"]


def test_export_writes_every_row_of_the_filter(
    ledger: tuple[LedgerView, FakeWorkbench], tmp_path: Path
) -> None:  # noqa: E501
    from openpyxl import load_workbook

    view, _ = ledger
    target = tmp_path / "台账.xlsx"
    view.export_to(target)
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "案件编号"
    assert len(rows) == 251
    assert "已导出 250 条" in view.status.text()


def test_memory_bounded_pages_are_fetched_again(qtbot: QtBot) -> None:
    from ui.paged_model import PagedTableModel
    from views.cases.ledger_model import ledger_columns

    services = FakeWorkbench(total_cases=1000)
    model = PagedTableModel(ledger_columns(services.reference), ImmediateTaskRunner(),
                            max_pages=3)  # fmt: skip

    def fetch(cursor: LedgerCursor | None) -> tuple[tuple[LedgerRow, ...], LedgerCursor | None]:
        page = services.ledger_page(LedgerFilter(), after=cursor)
        return page.rows, page.next_cursor

    model.set_fetch(fetch)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 1000
    assert model.cached_pages == 3  # only the last pages are kept
    assert model.data(model.index(5, 0)) is None  # evicted: asked for again
    qtbot.wait_until(lambda: model.data(model.index(5, 0)) == "620123101000-2026-000005")
    assert model.cached_pages == 3


def test_county_mode_adds_township_column_and_filter(qtbot: QtBot) -> None:
    from tests.views.fakes import TOWNSHIPS

    services = FakeWorkbench(total_cases=10)
    services.township_list = TOWNSHIPS
    view = LedgerView(services, ImmediateTaskRunner())
    qtbot.add_widget(view)
    headers = [view.model.headerData(i, Qt.Orientation.Horizontal)
               for i in range(view.model.columnCount())]  # fmt: skip
    assert headers[1] == "乡镇(街道)"
    assert not view.township.isHidden()
    view.township.setCurrentIndex(view.township.findData("t2"))
    assert services.filters[-1].township_id == "t2"


def test_township_pc_has_no_township_column(ledger: tuple[LedgerView, FakeWorkbench]) -> None:
    view, _ = ledger
    assert view.township.isHidden()
    assert view.model.headerData(1, Qt.Orientation.Horizontal) == "标题"


def test_a_figure_from_the_dashboard_shows_exactly_its_filter(
    ledger: tuple[LedgerView, FakeWorkbench],
) -> None:
    view, services = ledger
    figure = LedgerFilter(states=("handling",), channel="phone", closed_from=dt.date(2026, 11, 1))
    view.show_filter(figure, "按来源渠道：来电")
    assert services.filters[-1] == figure
    assert not view.banner.isHidden() and "按来源渠道：来电" in view.banner_label.text()
    view.banner_clear.click()
    assert services.filters[-1] == LedgerFilter()
    assert view.banner.isHidden()


def test_status_shows_the_filter_total(ledger: tuple[LedgerView, FakeWorkbench]) -> None:
    view, _ = ledger
    assert view.model.rowCount() == 100
    assert view.status.text().startswith("共 250 条，已显示 100 条")


def test_status_says_plus_when_the_count_stopped_at_its_cap(
    ledger: tuple[LedgerView, FakeWorkbench],
) -> None:
    """A count of more cases than the cap shows the cap with a plus (共 10000+ 条 in the app)."""
    view, services = ledger
    services.count_cap = 200
    view.refresh()
    assert view.status.text().startswith("共 200+ 条，已显示 100 条")
    services.count_cap = 250  # exactly the cap: an exact count, no plus
    view.refresh()
    assert view.status.text().startswith("共 250 条，已显示 100 条")


def test_tab_reaches_each_quick_filter(
    qtbot: QtBot, ledger: tuple[LedgerView, FakeWorkbench]
) -> None:
    """The quick filters were a QButtonGroup: Tab stopped on the first and skipped the others."""
    view, _ = ledger
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    first = view.quick_buttons[0]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    reached = []
    for _ in range(len(view.quick_buttons)):
        reached.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert reached == view.quick_buttons
    assert QApplication.focusWidget() is view.search
    qtbot.keyClick(view.quick_buttons[2], Qt.Key.Key_Space)  # 红色预警 by keyboard
    assert view.quick_buttons[2].isChecked()
