"""Reception screen with fake services and an immediate task runner."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from services.domain.dto import PersonCandidate, PersonSummary
from tests.views.fakes import FakeWorkbench, brief
from tests.views.qt_helpers import press, type_text
from ui.tasks import ImmediateTaskRunner
from views.reception.view import ReceptionView


@pytest.fixture
def view(qtbot: QtBot) -> tuple[ReceptionView, FakeWorkbench]:
    services = FakeWorkbench()
    widget = ReceptionView(services, ImmediateTaskRunner())
    qtbot.add_widget(widget)
    widget.resize(1280, 760)
    widget.show()
    qtbot.wait_exposed(widget)
    widget.activateWindow()
    return widget, services


def test_villages_loaded_into_picker(view: tuple[ReceptionView, FakeWorkbench]) -> None:
    widget, _ = view
    names = [widget.form.village.itemText(i) for i in range(widget.form.village.count())]
    assert names[1:] == ["青山村", "新民社区"]


def test_invalid_fields_marked_and_nothing_saved(view: tuple[ReceptionView, FakeWorkbench]) -> None:
    widget, services = view
    widget.save()
    assert services.forms == []
    assert widget.form.error_text("summary") == "请填写诉求简述"
    assert widget.form.error_text("parties[0].name") == "请填写姓名"
    assert widget.form.name.property("invalid") is True
    assert not widget.result.isVisible()


def test_bad_amount_refused_before_the_service(view: tuple[ReceptionView, FakeWorkbench]) -> None:
    widget, services = view
    widget.form.name.setText("张三")
    widget.form.summary.setPlainText("借款纠纷")
    widget.form.amount.setText("一百元")
    widget.save()
    assert services.forms == []
    assert widget.form.error_text("amount") == "涉及金额格式不正确"


def test_keyboard_only_registration(
    qtbot: QtBot, view: tuple[ReceptionView, FakeWorkbench]
) -> None:
    """A standard walk-in typed and saved without the mouse: Enter moves on, Enter submits."""
    widget, services = view
    form = widget.form
    form.channel.setFocus()
    qtbot.wait_until(lambda: form.channel.hasFocus())

    def current() -> QWidget:
        from PySide6.QtWidgets import QApplication

        widget = QApplication.focusWidget()
        assert widget is not None
        return widget

    press(current(), Qt.Key.Key_Return)  # channel -> head count
    assert current() is form.head_count
    press(current(), Qt.Key.Key_Return)  # head count -> name
    type_text(current(), "张三")
    press(current(), Qt.Key.Key_Return)  # name -> id type
    press(current(), Qt.Key.Key_Return)  # id type -> id number
    type_text(current(), "11010519491231002x")
    press(current(), Qt.Key.Key_Return)  # -> phone
    type_text(current(), "13812345678")
    for _ in range(3):  # phone -> address -> respondent name -> respondent phone
        press(current(), Qt.Key.Key_Return)
    assert current() is form.respondent_phone
    press(current(), Qt.Key.Key_Return)  # -> summary
    assert current() is form.summary
    type_text(current(), "与邻居因宅基地边界发生争执")
    press(current(), Qt.Key.Key_Tab)  # summary -> category
    assert current() is form.category
    type_text(current(), "0202")
    popup = form._completer.popup()
    assert popup is not None
    popup.hide()
    press(current(), Qt.Key.Key_Return)  # -> village
    for _ in range(7):  # village, place, amount, colour, (basis disabled), level, disposition
        if current() is form.disposition:
            break
        press(current(), Qt.Key.Key_Return)
    assert current() is form.disposition
    press(current(), Qt.Key.Key_Return)  # last field: submit
    assert len(services.forms) == 1
    saved = services.forms[0]
    assert saved.parties[0].name == "张三"
    assert saved.parties[0].id_number == "11010519491231002x"
    assert saved.category_code == "0202"
    assert saved.summary == "与邻居因宅基地边界发生争执"
    assert saved.disposition == "accepted"
    assert widget.result.isVisible() and "620123101000-2026-900001" in widget.result.text()
    assert form.name.text() == ""  # ready for the next visitor


def test_matching_panel_and_one_key_attach(view: tuple[ReceptionView, FakeWorkbench]) -> None:
    widget, services = view
    person = PersonSummary("p9", "张三", "110105********002X", "138****5678", "女", None)
    services.candidates = (PersonCandidate(person, ("id_number",), 100, (brief("C-1"),), 2),)
    widget.form.id_number.setText("11010519491231002X")
    widget.form._on_lookup_edited()
    widget._on_match_timer_timeout()
    assert services.lookups[-1][0] == "11010519491231002X"
    assert widget.candidates.list.count() == 2
    assert "身份证号一致" in widget.candidates.list.item(0).text()
    widget._attach_first_case()  # F4
    assert widget.attach_banner.isVisible() and "C-1" in widget.attach_banner.text()
    widget.form.name.setText("张三")
    widget.form.summary.setPlainText("再次来访催问进展")
    widget.save()
    assert services.forms[-1].attach_to_case_id == "case-9"
    assert "已关联到案件" in widget.result.text()


def test_collective_flag_shown_at_five(view: tuple[ReceptionView, FakeWorkbench]) -> None:
    widget, _ = view
    widget.form.head_count.setValue(4)
    assert not widget.form.collective.isVisible()
    widget.form.head_count.setValue(5)
    assert widget.form.collective.isVisible()


def test_category_suggestions_by_pinyin(view: tuple[ReceptionView, FakeWorkbench]) -> None:
    widget, _ = view
    suggestions = widget.form._suggest_categories("zjd")
    assert suggestions and suggestions[0].startswith("0902")
    widget.form.category.setText(suggestions[0])
    assert widget.form.category_code() == "0902"


def test_busy_database_keeps_the_form_and_says_so(
    view: tuple[ReceptionView, FakeWorkbench], monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from services.domain.errors import StoreBusyError

    widget, services = view
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))

    def busy(form: object) -> object:
        raise StoreBusyError("store.busy", "数据库正被其他程序占用，请稍后重试")

    monkeypatch.setattr(services, "register_walk_in", busy)
    widget.form.name.setText("张三")
    widget.form.summary.setPlainText("借款纠纷")
    widget.save()
    assert shown and "登记内容未丢失" in shown[0]
    assert widget.form.name.text() == "张三"  # nothing lost
    assert widget.save_button.isEnabled()


def test_a_permit_number_under_resident_id_is_named_and_the_type_switched(
    view: tuple[ReceptionView, FakeWorkbench],
) -> None:
    """A 港澳居民居住证 number typed under 居民身份证: the form says so and offers to switch."""
    widget, services = view
    form = widget.form
    assert form.id_type.currentData() == "111"
    form.id_number.setText("810000199001011230")
    assert form._id_hint_row.isVisible()
    assert "港澳居民居住证" in form.id_type_hint.text()
    assert form.switch_id_type.text() == "改为港澳居民居住证"
    form.switch_id_type.click()
    assert form.id_type.currentData() == "hk_macau_permit"
    assert not form._id_hint_row.isVisible()
    form.id_number.setText("11010519491231002X")  # now a resident number under the permit type
    assert form._id_hint_row.isVisible() and "居民身份证" in form.id_type_hint.text()
    form.switch_id_type.click()
    assert form.id_type.currentData() == "111"
    # an extra party line has no type column: it takes the type its number shows
    form.name.setText("陈大文")
    form.summary.setPlainText("借款纠纷")
    form.add_party_row("third_party", "林小明", "830000200002297890", "", visitor=False)
    widget.save()
    assert [p.id_type for p in services.forms[-1].parties] == ["111", "taiwan_permit"]
