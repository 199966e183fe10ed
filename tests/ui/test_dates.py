"""The one date field: typed dates in everyday forms, today by default, far dates confirmed."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.dates import DateEdit, is_far, parse_date

TODAY = dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20261208", dt.date(2026, 12, 8)),
        ("2026-12-08", dt.date(2026, 12, 8)),
        ("2026/12/8", dt.date(2026, 12, 8)),
        ("2026.12.8", dt.date(2026, 12, 8)),
        ("２０２６－１２－０８", dt.date(2026, 12, 8)),
        ("2026年12月8日", dt.date(2026, 12, 8)),
        ("12-08", dt.date(2026, 12, 8)),
        ("12月8日", dt.date(2026, 12, 8)),
        ("12月8", dt.date(2026, 12, 8)),
        ("1208", dt.date(2026, 12, 8)),
        ("8日", dt.date(2026, 12, 8)),
        ("01-05", dt.date(2027, 1, 5)),  # early January typed in December: next month
        ("11-20", dt.date(2026, 11, 20)),  # a fortnight ago, not next November
        ("今天", TODAY),
        ("明天", dt.date(2026, 12, 5)),
        (" 2026-12-08 ", dt.date(2026, 12, 8)),
    ],
)
def test_typed_dates_in_the_forms_people_write_them(text: str, expected: dt.date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "2026-13-01", "2026-02-30", "abc", "12345", "32日"])
def test_what_is_not_a_date_is_refused(text: str) -> None:
    assert parse_date(text, TODAY) is None


def test_more_than_a_year_away_is_far_either_way() -> None:
    assert not is_far(dt.date(2027, 12, 4), TODAY)
    assert is_far(dt.date(2028, 1, 5), TODAY)
    assert is_far(dt.date(2025, 11, 1), TODAY)


def _field(qtbot: QtBot, answers: list[bool] | None = None, **kwargs: object) -> DateEdit:
    asked: list[str] = []

    def confirm(_parent: QWidget, text: str) -> bool:
        asked.append(text)
        return (answers or [False]).pop(0) if answers is not None else False

    field = DateEdit(today=lambda: TODAY, confirm=confirm, **kwargs)  # type: ignore[arg-type]
    field.asked = asked  # type: ignore[attr-defined]
    qtbot.add_widget(field)
    return field


def _type(qtbot: QtBot, field: DateEdit, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_new_field_shows_today(qtbot: QtBot) -> None:
    field = _field(qtbot)
    assert field.date() == TODAY
    assert field.text() == "2026-12-08".replace("08", "04")


def test_typing_2026_12_08_gives_that_date_in_a_few_keys(qtbot: QtBot) -> None:
    field = _field(qtbot)
    for text in ("2026-12-08", "20261208", "12-08"):
        _type(qtbot, field, text)
        assert field.date() == dt.date(2026, 12, 8)
        assert field.text() == "2026-12-08"
        field.set_date(TODAY)


def test_a_date_years_away_is_kept_only_when_confirmed(qtbot: QtBot) -> None:
    field = _field(qtbot, answers=[False, True])
    _type(qtbot, field, "2029-12-04")
    assert field.asked  # type: ignore[attr-defined]
    assert field.date() == TODAY and field.text() == "2026-12-04"  # refused: unchanged
    _type(qtbot, field, "2029-12-04")
    assert field.date() == dt.date(2029, 12, 4)


def test_a_stray_up_arrow_moves_one_day_not_a_year(qtbot: QtBot) -> None:
    field = _field(qtbot)
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert field.date() == dt.date(2026, 12, 5)
    assert field.asked == []  # type: ignore[attr-defined]


def test_rubbish_is_marked_and_does_not_change_the_date(qtbot: QtBot) -> None:
    field = _field(qtbot)
    _type(qtbot, field, "2026-13-40")
    assert field.date() == TODAY
    assert not field.is_valid()
    assert "C62828" in field.styleSheet()


def test_an_optional_field_starts_empty_and_can_be_cleared(qtbot: QtBot) -> None:
    field = _field(qtbot, allow_empty=True, empty_text="不限")
    assert field.date() is None and field.placeholderText() == "不限"
    _type(qtbot, field, "12-08")
    assert field.date() == dt.date(2026, 12, 8)
    _type(qtbot, field, "")
    assert field.date() is None and field.is_valid()


def test_the_calendar_opens_at_the_fields_date_not_in_2000(qtbot: QtBot) -> None:
    field = _field(qtbot)
    field.show()
    qtbot.keyClick(field, Qt.Key.Key_F4)
    calendar = field.calendar
    assert calendar is not None and calendar.isVisible()
    assert calendar.selectedDate().toPython() == TODAY
    qtbot.keyClick(calendar, Qt.Key.Key_Escape)
    assert not calendar.isVisible()


def test_tab_leaves_the_field_at_once(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.add_widget(holder)
    field = DateEdit(holder, today=lambda: TODAY)
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    after = QLineEdit(holder)
    layout = QVBoxLayout(holder)
    layout.addWidget(field)
    layout.addWidget(after)
    holder.show()
    holder.activateWindow()
    qtbot.waitActive(holder)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert holder.focusWidget() is after
