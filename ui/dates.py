"""One date-entry field for every form: typed dates in the forms people write them.

Accepted: ``20261208``, ``2026-12-08`` (also ``/``, ``.``, full-width digits), ``2026年12月8日``,
``12-08``, ``12月8日``, ``1208``, ``8日`` and 今天/明天/后天/昨天/前天. A year left out picks the
nearest such date to today. A date more than a year from today is taken only once confirmed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QMessageBox, QVBoxLayout, QWidget

FAR_DAYS = 366
INVALID_STYLE = "border: 1px solid #C62828;"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９－／．　", "0123456789-/. ")
_RELATIVE = {"前天": -2, "昨天": -1, "今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2}
_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MD = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _nearest(today: dt.date, month: int, day: int) -> dt.date | None:
    """The date with this month and day nearest to today (last, this or next year)."""
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            found.append(dt.date(year, month, day))
        except ValueError:
            continue
    return min(found, key=lambda d: abs((d - today).days)) if found else None


def _make(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_date(text: str, today: dt.date) -> dt.date | None:
    """The date typed in ``text`` (None if it is not one); see the module docstring."""
    s = text.translate(_FULL_WIDTH).strip()
    if s in _RELATIVE:
        return today + dt.timedelta(days=_RELATIVE[s])
    if re.fullmatch(r"\d{8}", s):
        return _make(s[:4], s[4:6], s[6:])
    if m := _YMD.fullmatch(s):
        return _make(*m.groups())
    if re.fullmatch(r"\d{4}", s):
        month, day = int(s[:2]), int(s[2:])
        return _nearest(today, month, day)
    if m := _MD.fullmatch(s):
        return _nearest(today, int(m.group(1)), int(m.group(2)))
    if m := re.fullmatch(r"(\d{1,2})\s*日", s):
        return _make(str(today.year), str(today.month), m.group(1))
    return None


def weekday_names() -> tuple[str, ...]:
    """Monday to Sunday, short, in the interface language (周一…周日, Mon…Sun)."""
    short = QLocale.FormatType.ShortFormat
    return tuple(QLocale().standaloneDayName(day, short) for day in range(1, 8))


def is_far(day: dt.date, today: dt.date) -> bool:
    """More than a year from today, either way: worth a second look before it is kept."""
    return abs((day - today).days) > FAR_DAYS


def _calendar_icon() -> QIcon:
    pix = QPixmap(16, 16)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setPen(QColor("#555555"))
    painter.drawRect(1, 2, 13, 12)
    painter.fillRect(1, 2, 14, 3, QColor("#555555"))
    for x in (4, 7, 10):
        for y in (7, 10):
            painter.drawPoint(x, y)
    painter.end()
    return QIcon(pix)


def ask_far(parent: QWidget, text: str) -> bool:
    """The default confirmation for a far date (tests replace it)."""
    answer = QMessageBox.question(parent, QCoreApplication.translate("DateEdit", "确认日期"), text)
    return answer == QMessageBox.StandardButton.Yes


class _CalendarPopup(QWidget):
    """A calendar under the field, opened at the field's date (or today)."""

    def __init__(self, field: DateEdit) -> None:
        super().__init__(field, Qt.WindowType.Popup)
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)


class DateEdit(QLineEdit):
    """A date field: type it in any usual form, or pick it (F4, Alt+↓ or the calendar icon).

    ``date()`` is None while the field is empty (``allow_empty``) or holds no valid date.
    ↑/↓ move a day, PgUp/PgDn a month. A date more than a year from today asks first.

    Signals:
        date_changed(object): the new ``datetime.date`` (or None when cleared).
    """

    date_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, default: dt.date | None = None,
                 allow_empty: bool = False, empty_text: str = "",
                 today: Callable[[], dt.date] = dt.date.today,
                 confirm: Callable[[QWidget, str], bool] | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._today, self._confirm, self._allow_empty = today, confirm, allow_empty
        self._date: dt.date | None = None
        self._popup: _CalendarPopup | None = None
        self.setPlaceholderText(empty_text or self.tr("如 20261208、12-08、12月8日"))
        self.setToolTip(self.tr("输入日期，如 20261208、2026-12-08、12-08、12月8日、今天；"
                                "↑↓ 加减一天，F4 打开日历"))  # fmt: skip
        self.setMaxLength(20)
        self._pick = QAction(_calendar_icon(), self.tr("选择日期 (F4)"), self)
        self.addAction(self._pick, QLineEdit.ActionPosition.TrailingPosition)
        self._pick.triggered.connect(self.open_calendar)
        self.editingFinished.connect(self._on_editing_finished)
        start = default if default is not None or allow_empty else today()
        self._set(start, confirmed=True)

    # --- value
    def date(self) -> dt.date | None:
        return self._date

    def is_valid(self) -> bool:
        """False while the text is not a date (or is empty where a date is needed)."""
        text = self.text().strip()
        if not text:
            return self._allow_empty
        return parse_date(text, self._today()) == self._date and self._date is not None

    def set_date(self, day: dt.date | None) -> None:
        """Set from code: no confirmation is asked."""
        self._set(day, confirmed=True)

    def _set(self, day: dt.date | None, *, confirmed: bool) -> bool:
        if day is not None and not confirmed and is_far(day, self._today()):
            text = self.tr("日期 %1 距今超过一年，确定使用这个日期吗？").replace(
                "%1", day.isoformat()
            )
            if not (self._confirm or ask_far)(self, text):
                self.setText(self._date.isoformat() if self._date else "")
                return False
        self.setStyleSheet("")
        self.setText(day.isoformat() if day else "")
        changed = day != self._date
        self._date = day
        if changed:
            self.date_changed.emit(day)
        return True

    def _on_editing_finished(self) -> None:
        text = self.text().strip()
        if not text:
            if self._allow_empty:
                self._set(None, confirmed=True)
            else:
                self.setStyleSheet(INVALID_STYLE)
            return
        day = parse_date(text, self._today())
        if day is None:
            self.setStyleSheet(INVALID_STYLE)
            return
        if day != self._date:
            self._set(day, confirmed=False)
        else:
            self.setText(day.isoformat())
            self.setStyleSheet("")

    # --- keys and calendar
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, alt = event.key(), event.modifiers() & Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
            self.open_calendar()
            return
        steps: dict[int, int] = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}
        if key in steps and not alt:
            self._step(dt.timedelta(days=steps[key]))
            return
        months: dict[int, int] = {Qt.Key.Key_PageUp: 1, Qt.Key.Key_PageDown: -1}
        if key in months:
            base = self._date or self._today()
            moved = QDate(base.year, base.month, base.day).addMonths(months[key]).toPython()
            assert isinstance(moved, dt.date)
            self._set(moved, confirmed=False)
            return
        super().keyPressEvent(event)

    def _step(self, delta: dt.timedelta) -> None:
        self._set((self._date or self._today()) + delta, confirmed=False)

    def open_calendar(self) -> None:
        if self._popup is None:
            self._popup = _CalendarPopup(self)
            self._popup.calendar.clicked.connect(self._on_calendar_picked)
            self._popup.calendar.activated.connect(self._on_calendar_picked)
            self._popup.calendar.installEventFilter(self)
        base = self._date or self._today()
        self._popup.calendar.setSelectedDate(QDate(base.year, base.month, base.day))
        self._popup.adjustSize()
        self._popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self._popup.show()
        self._popup.calendar.setFocus()

    @property
    def calendar(self) -> QCalendarWidget | None:
        return self._popup.calendar if self._popup is not None else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        popup = self._popup
        if (popup is not None and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape):  # fmt: skip
            popup.hide()
            self.setFocus()
            return True
        return super().eventFilter(watched, event)

    def _on_calendar_picked(self, picked: QDate) -> None:
        if self._popup is not None:
            self._popup.hide()
        day = picked.toPython()
        assert isinstance(day, dt.date)
        self._set(day, confirmed=False)
        self.setFocus()
