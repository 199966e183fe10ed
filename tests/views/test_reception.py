"""Reception screen with fake services and an immediate task runner."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from services.domain.dto import (
    IdentityConflict,
    PersonCandidate,
    PersonSummary,
    RegistrationResult,
    WalkInInput,
)
from services.domain.errors import IdentityConflictError
from tests.views.fakes import FakeWorkbench, brief
from tests.views.qt_helpers import press, type_text
from ui.tasks import ImmediateTaskRunner
from views.reception.conflict import IdentityConflictDialog
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


def _conflict(kind: str = "name") -> IdentityConflict:
    return IdentityConflict(
        party_index=0, kind=kind, person_id="p-li", typed_name="张三", stored_name="李四",
        id_number_masked="110105********002X",
        message="证件号码110105********002X已登记在“李四”名下，本次填写的姓名是“张三”。",
    )  # fmt: skip


def _fill(widget: ReceptionView) -> None:
    widget.form.name.setText("张三")
    widget.form.id_number.setText("11010519491231002X")
    widget.form.phone.setText("13812345678")
    widget.form.summary.setPlainText("宅基地边界纠纷")


def _conflict_then_ok(services: FakeWorkbench, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = services.register_walk_in

    def register(form: WalkInInput) -> RegistrationResult:
        if not form.parties[0].rename_reason:
            raise IdentityConflictError([_conflict()])
        return saved(form)

    monkeypatch.setattr(services, "register_walk_in", register)


def test_an_id_registered_under_another_name_asks_and_a_change_of_name_is_confirmed(
    view: tuple[ReceptionView, FakeWorkbench], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog shows both names and the masked number; 确认更名 needs a reason and saves
    again as that person with the reason."""
    widget, services = view
    _conflict_then_ok(services, monkeypatch)
    seen: list[IdentityConflictDialog] = []

    def run(dialog: IdentityConflictDialog) -> int:
        seen.append(dialog)
        assert (dialog.stored.text(), dialog.typed.text()) == ("李四", "张三")
        assert dialog.number.text() == "110105********002X"
        assert [dialog.fix_button.text(), dialog.rename_button.text()] == ["修改号码", "确认更名"]
        assert not dialog.rename_button.isEnabled()  # no reason yet
        dialog.reason_edit.setText("已在派出所办理姓名变更")
        dialog.rename_button.click()
        return dialog.result()

    monkeypatch.setattr(IdentityConflictDialog, "exec", run)
    _fill(widget)
    widget.save()
    assert len(seen) == 1
    party = services.forms[-1].parties[0]
    assert (party.person_id, party.rename_reason, party.name) == (
        "p-li", "已在派出所办理姓名变更", "张三")  # fmt: skip
    assert widget.result.isVisible()


def test_an_id_registered_under_another_name_can_be_corrected(
    view: tuple[ReceptionView, FakeWorkbench], monkeypatch: pytest.MonkeyPatch
) -> None:
    """修改号码 keeps the form, marks the number with the message and saves nothing."""
    widget, services = view
    _conflict_then_ok(services, monkeypatch)

    def run(dialog: IdentityConflictDialog) -> int:
        dialog.fix_button.click()
        return dialog.result()

    monkeypatch.setattr(IdentityConflictDialog, "exec", run)
    _fill(widget)
    widget.save()
    assert services.forms == []
    assert "李四" in widget.form.error_text("parties[0].id_number")
    assert widget.form.id_number.property("invalid") is True
    assert widget.form.name.text() == "张三" and widget.save_button.isEnabled()


def test_a_number_that_cannot_be_a_rename_offers_only_the_correction(qtbot: QtBot) -> None:
    dialog = IdentityConflictDialog(_conflict("birth_sex"))
    qtbot.add_widget(dialog)
    assert dialog.fix_button.isVisibleTo(dialog) and not dialog.rename_button.isVisibleTo(dialog)


def test_same_name_and_phone_is_shown_as_the_reason(
    view: tuple[ReceptionView, FakeWorkbench],
) -> None:
    widget, services = view
    person = PersonSummary("p9", "张三", "", "138****5678", None, None)
    services.candidates = (PersonCandidate(person, ("phone", "name", "name_prefix"), 88, (), 3),)
    widget.form.name.setText("张三")
    widget.form._on_lookup_edited()
    widget._on_match_timer_timeout()
    assert "同名同电话" in widget.candidates.list.item(0).text()


def test_a_repeat_visitor_is_not_asked_phone_and_category_again(
    view: tuple[ReceptionView, FakeWorkbench],
) -> None:
    """Choosing a known person left the phone required and the category empty."""
    widget, services = view
    services.defaults["p9"] = ("138****5678", "0101")
    widget._on_candidates_person_chosen("p9", "张三")
    assert "138****5678" in widget.form.phone.placeholderText()
    assert widget.form.phone.text() == ""  # kept on file, never shown in full
    assert widget.form.category_code() == "0101"
    widget.form.category.setText("")
    widget._on_candidates_person_chosen("p9", "张三")  # typed text is never overwritten
    widget.form.category.setText("0201")
    widget.form.use_defaults("p9", "138****5678", "0101")
    assert widget.form.category_code() == "0201"
