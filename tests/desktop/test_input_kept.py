"""Input is never thrown away without asking: closing the window, Esc in a filled slip form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot

import ui.guard
from desktop.main_window import MainWindow
from tests.desktop.shell import demo_window
from ui.dates import DateEdit


@pytest.fixture
def shell(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    window = demo_window(tmp_path)
    qtbot.add_widget(window)
    window.ask_on_close = True  # as desktop.app.run sets it
    window.show()
    yield window
    window.ask_on_close = False
    window.reception.form.clear()


class Answers(list[bool]):
    """What the user answers to "discard?" (True = discard); each question is recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def __call__(self, _parent: object, text: str) -> bool:
        self.asked.append(text)
        return self.pop(0)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    replies = Answers()
    monkeypatch.setattr(ui.guard, "ask_discard", replies)
    return replies


def test_closing_with_a_half_filled_registration_asks(shell: MainWindow,
                                                      answers: Answers) -> None:  # fmt: skip
    shell.show_screen("reception")
    shell.reception.form.name.setText("张三")
    shell.reception.form.summary.setPlainText("邻里宅基地纠纷")
    answers.append(False)  # 继续填写
    assert not shell.close()
    assert shell.isVisible() and shell.reception.form.name.text() == "张三"
    assert "接待登记" in answers.asked[0]
    answers.append(True)  # 放弃
    assert shell.close()


def test_closing_with_an_empty_form_does_not_ask(shell: MainWindow, answers: Answers) -> None:
    assert shell.close()
    assert answers.asked == []


def test_esc_in_a_filled_supervision_slip_asks(shell: MainWindow, qtbot: QtBot,
                                               answers: Answers) -> None:  # fmt: skip
    from desktop.gallery import first_case_id

    case_id = first_case_id(shell)
    assert case_id is not None
    dialog = shell.issue_slip(case_id, "supervision")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    answers.append(False)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert not dialog.isVisible() and answers.asked == []
    dialog = shell.issue_slip(case_id, "supervision")
    assert dialog is not None and dialog.editor is not None
    qtbot.waitExposed(dialog)
    opinion = next(w for w in dialog.editor.widgets.values() if isinstance(w, QPlainTextEdit))
    opinion.setPlainText("请于三个工作日内反馈办理情况")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and opinion.toPlainText()  # 继续填写: kept
    assert dialog.has_unsaved_input()
    answers.append(True)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    QApplication.processEvents()


def test_slip_date_fields_take_typed_dates(shell: MainWindow, qtbot: QtBot) -> None:
    """Typing 2026-12-08 gave 2001-12-08; the calendar opened in January 2000."""
    from desktop.gallery import first_case_id

    case_id = first_case_id(shell)
    assert case_id is not None
    dialog = shell.issue_slip(case_id, "supervision")
    assert dialog is not None and dialog.editor is not None
    dates = [w for w in dialog.editor.widgets.values() if isinstance(w, DateEdit)]
    assert dates
    field = dates[0]
    field.clear()
    qtbot.keyClicks(field, "20261208")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.date() == dt.date(2026, 12, 8)
    assert dialog.editor.values()[field.objectName().removeprefix("field_")] == "2026-12-08"
    dialog.done(0)


def test_booking_day_is_typed_and_a_far_one_asks(
    shell: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stray Up arrow saved a session for 2029-12-04 with only a soft warning."""
    import ui.dates
    from desktop.gallery import dialogs

    asked: list[str] = []

    def refuse(_parent: object, text: str) -> bool:
        asked.append(text)
        return False

    monkeypatch.setattr(ui.dates, "ask_far", refuse)
    booking = next(d for name, d in dialogs(shell) if name == "booking-weekly")
    day = booking.day  # type: ignore[attr-defined]
    assert isinstance(day, DateEdit)
    before = day.date()
    assert before is not None
    qtbot.keyClick(day, Qt.Key.Key_Up)
    assert day.date() == before + dt.timedelta(days=1) and not asked
    day.clear()
    qtbot.keyClicks(day, "2029-12-04")
    qtbot.keyClick(day, Qt.Key.Key_Return)
    assert asked and day.date() == before + dt.timedelta(days=1)
    booking.close()
