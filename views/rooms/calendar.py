"""Calendar grid of rooms (日视图: rooms as columns; 周视图: days × rooms), painted in code.

Bookings are drawn as blocks; dragging a block moves it (to another time or room), dragging its
bottom edge resizes it; both snap to 15 minutes and ask for the move through a signal, so the
service's conflict check decides. The keyboard does everything the mouse does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from services.rooms.dto import BookingInfo, RoomInfo

HOUR_FROM, HOUR_TO = 8, 18
SNAP_MIN = 15
HEADER_H, GUTTER_W = 40, 52
HOUR_H = 56
EDGE = 6  # px at a block's bottom that resize instead of move
COLOURS = {"booked": "#2f6fb3", "in_use": "#2e8b57", "finished": "#8a8f98",
           "cancelled": "#c9c9c9", "no_show": "#c0392b"}  # fmt: skip
WEEKDAYS = "一二三四五六日"
CLOSED_FILL = "#eceef1"  # closed hours/days: grey with diagonal hatching


@dataclass
class _Drag:
    booking: BookingInfo
    resize: bool
    origin: QPoint
    start: dt.datetime
    end: dt.datetime
    room_id: str


MIN_WEEK_COL = 96  # px: a week block shows time, title, party and mediator (scrolls sideways)


def hour_range(bookings: tuple[BookingInfo, ...], rooms: tuple[RoomInfo, ...]) -> tuple[int, int]:
    """08–18, widened to every booking and opening hour (a 19:00 or 07:15 session shows)."""
    first = [HOUR_FROM, *(b.start.hour for b in bookings), *(r.open_from.hour for r in rooms)]
    last = [HOUR_TO, *(b.end.hour + (1 if b.end.minute else 0) for b in bookings),
            *(r.open_to.hour + (1 if r.open_to.minute else 0) for r in rooms)]  # fmt: skip
    return max(0, min(first)), min(24, max(last))


def lanes_of(bookings: tuple[BookingInfo, ...]) -> dict[str, tuple[int, int]]:
    """(lane, lanes) of each booking: bookings of one room that overlap (a clash that came by
    sync) are drawn side by side instead of one exactly over the other."""
    out: dict[str, tuple[int, int]] = {}
    by_room: dict[tuple[str, dt.date], list[BookingInfo]] = {}
    for b in bookings:
        by_room.setdefault((b.room_id, b.start.date()), []).append(b)
    for items in by_room.values():
        items.sort(key=lambda b: (b.start, b.end))
        group: list[BookingInfo] = []
        for b in items:
            if group and b.start >= max(g.end for g in group):
                _assign(group, out)
                group = []
            group.append(b)
        _assign(group, out)
    return out


def _assign(group: list[BookingInfo], out: dict[str, tuple[int, int]]) -> None:
    ends: list[dt.datetime] = []  # the end of the last block in each lane
    lane_of: dict[str, int] = {}
    for b in group:
        free = next((i for i, e in enumerate(ends) if e <= b.start), None)
        if free is None:
            ends.append(b.end)
            free = len(ends) - 1
        else:
            ends[free] = b.end
        lane_of[b.id] = free
    for b in group:
        out[b.id] = (lane_of[b.id], max(1, len(ends)))


class CalendarGrid(QWidget):
    """Day or week grid of bookings.

    Signals:
        move_requested(str, object, object, str): booking id, new start, new end, room id.
        booking_activated(str): Enter or double-click on a booking.
        slot_activated(object, str): double-click on an empty slot, Ins, or Enter with nothing
            selected: start time, room id.
        selection_changed(str): the selected booking id ("" for none).
        navigate_requested(int): PageUp/PageDown (-1/+1 day or week), Home (0 = today).
    """

    move_requested = Signal(str, object, object, str)
    booking_activated = Signal(str)
    slot_activated = Signal(object, str)
    selection_changed = Signal(str)
    navigate_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = "day"
        self.anchor = dt.date.today()
        self.rooms: tuple[RoomInfo, ...] = ()
        self.bookings: tuple[BookingInfo, ...] = ()
        self.lanes: dict[str, tuple[int, int]] = {}
        self.hour_from, self.hour_to = HOUR_FROM, HOUR_TO  # widened to hold every booking
        self.closed: frozenset[tuple[str, dt.date]] = frozenset()
        self.selected = ""
        self._drag: _Drag | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(HEADER_H + (self.hour_to - self.hour_from) * HOUR_H + 1)
        self.setAccessibleName(self.tr("调解室日程"))

    # --- data --------------------------------------------------------------------------------

    def set_data(self, mode: str, anchor: dt.date, rooms: tuple[RoomInfo, ...],
                 bookings: tuple[BookingInfo, ...],
                 closed: frozenset[tuple[str, dt.date]] = frozenset()) -> None:  # fmt: skip
        """``closed``: (room id, day) pairs when the room is closed all day (shaded)."""
        self.mode, self.anchor, self.rooms, self.closed = mode, anchor, rooms, closed
        self.bookings = tuple(b for b in bookings if b.status != "cancelled")
        self.lanes = lanes_of(self.bookings)
        self.hour_from, self.hour_to = hour_range(self.bookings, rooms)
        self.setMinimumHeight(HEADER_H + (self.hour_to - self.hour_from) * HOUR_H + 1)
        cols = max(1, len(rooms)) * len(self.days())
        self.setMinimumWidth(GUTTER_W + cols * (MIN_WEEK_COL if mode == "week" else 60))
        self._drag = None
        if self.selected and self.selected not in {b.id for b in self.bookings}:
            self.selected = ""
        self.update()

    def days(self) -> list[dt.date]:
        if self.mode == "day":
            return [self.anchor]
        monday = self.anchor - dt.timedelta(days=self.anchor.weekday())
        return [monday + dt.timedelta(days=i) for i in range(7)]

    def sizeHint(self) -> QSize:
        width = GUTTER_W + max(1, len(self.rooms)) * (160 if self.mode == "day" else 7 * 40)
        return QSize(width, self.minimumHeight())

    # --- geometry ----------------------------------------------------------------------------

    def _col_w(self) -> float:
        cols = max(1, len(self.rooms)) * len(self.days())
        return max(4.0, (self.width() - GUTTER_W) / cols)

    def _column(self, day: dt.date, room_id: str) -> int:
        days = self.days()
        rooms = [r.id for r in self.rooms]
        if day not in days or room_id not in rooms:
            return -1
        return days.index(day) * len(rooms) + rooms.index(room_id)

    def _y(self, t: dt.datetime) -> float:
        minutes = (t.hour - self.hour_from) * 60 + t.minute
        return HEADER_H + minutes * HOUR_H / 60

    def block_rect(self, start: dt.datetime, end: dt.datetime, room_id: str,
                   lane: tuple[int, int] = (0, 1)) -> QRectF:  # fmt: skip
        """Where a block goes; ``lane`` (index, count) puts overlapping blocks side by side."""
        col = self._column(start.date(), room_id)
        if col < 0:
            return QRectF()
        w = self._col_w() / lane[1]
        x = GUTTER_W + col * self._col_w() + lane[0] * w
        return QRectF(x + 1, self._y(start), w - 2,
                      max(8.0, self._y(end) - self._y(start) - 1))  # fmt: skip

    def _rect(self, b: BookingInfo) -> QRectF:
        return self.block_rect(b.start, b.end, b.room_id, self.lanes.get(b.id, (0, 1)))

    def header_text(self, day: dt.date, room: RoomInfo) -> str:
        """The day view's column header; a room closed all day says so (闭馆)."""
        text = self.tr("%1\n%2人").replace("%1", room.name).replace("%2", str(room.capacity))
        return text + (self.tr("（闭馆）") if (room.id, day) in self.closed else "")

    def closed_rects(self, day: dt.date, room: RoomInfo) -> list[QRectF]:
        """Where a booking cannot go in a column: the whole day when the room is closed
        (闭馆日期, 非工作日, 不开放的星期), else the hours before opening and after closing."""
        col = self._column(day, room.id)
        if col < 0:
            return []
        w = self._col_w()
        x, top = GUTTER_W + col * w, float(HEADER_H)
        bottom = float(HEADER_H + (self.hour_to - self.hour_from) * HOUR_H)
        if (room.id, day) in self.closed:
            return [QRectF(x, top, w, bottom - top)]
        opens = min(max(self._y(dt.datetime.combine(day, room.open_from)), top), bottom)
        closes = min(max(self._y(dt.datetime.combine(day, room.open_to)), top), bottom)
        return [QRectF(x, y0, w, y1 - y0) for y0, y1 in ((top, opens), (closes, bottom))
                if y1 > y0]  # fmt: skip

    def rect_of(self, booking_id: str) -> QRectF:
        b = self._find(booking_id)
        return self._rect(b) if b else QRectF()

    def _at(self, pos: QPoint) -> tuple[dt.datetime, str] | None:
        """The time (snapped) and room under a point."""
        if pos.x() < GUTTER_W or pos.y() < HEADER_H or not self.rooms:
            return None
        col = int((pos.x() - GUTTER_W) // self._col_w())
        days = self.days()
        day_i, room_i = divmod(col, len(self.rooms))
        if day_i >= len(days):
            return None
        minutes = round((pos.y() - HEADER_H) * 60 / HOUR_H / SNAP_MIN) * SNAP_MIN
        t = dt.datetime.combine(days[day_i], dt.time(self.hour_from))
        t += dt.timedelta(minutes=minutes)
        return t, self.rooms[room_i].id

    def _find(self, booking_id: str) -> BookingInfo | None:
        return next((b for b in self.bookings if b.id == booking_id), None)

    def booking_at(self, pos: QPoint) -> BookingInfo | None:
        for b in reversed(self.bookings):
            if self._rect(b).contains(pos.toPointF()):
                return b
        return None

    def tooltip_text(self, b: BookingInfo) -> str:
        """Everything about a block, for the tooltip (the week view's blocks are narrow)."""
        lines = [f"{b.start:%m月%d日} {b.time_text}　{b.room_name}　{b.status_label}", b.title]
        if b.party_names:
            lines.append(self.tr("当事人：") + "、".join(b.party_names))
        if b.mediator_names:
            lines.append(self.tr("调解员：") + "、".join(b.mediator_names))
        if b.note:
            lines.append(self.tr("备注：") + b.note)
        return "\n".join(lines)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            b = self.booking_at(event.pos())
            if b is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_text(b), self)
            return True
        return super().event(event)

    # --- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#ffffff"))
        self._paint_grid(p)
        for b in self.bookings:
            if self._drag is not None and self._drag.booking.id == b.id:
                continue
            self._paint_block(p, b, b.start, b.end, b.room_id)
        if self._drag is not None:
            d = self._drag
            self._paint_block(p, d.booking, d.start, d.end, d.room_id, ghost=True)
        p.end()

    def _paint_grid(self, p: QPainter) -> None:
        w, days, n = self._col_w(), self.days(), max(1, len(self.rooms))
        bottom = HEADER_H + (self.hour_to - self.hour_from) * HOUR_H
        shade = QBrush(QColor("#c3c8cf"), Qt.BrushStyle.BDiagPattern)
        for day in days:
            for room in self.rooms:
                for r in self.closed_rects(day, room):
                    p.fillRect(r, QColor(CLOSED_FILL))
                    p.fillRect(r, shade)
        p.setPen(QPen(QColor("#e3e6ea")))
        for h in range(self.hour_from, self.hour_to + 1):
            y = HEADER_H + (h - self.hour_from) * HOUR_H
            p.drawLine(GUTTER_W, y, self.width(), y)
        p.setPen(QColor("#4a4f57"))
        for h in range(self.hour_from, self.hour_to):
            y = HEADER_H + (h - self.hour_from) * HOUR_H
            p.drawText(QRectF(0, y, GUTTER_W - 6, 18), Qt.AlignmentFlag.AlignRight, f"{h:02d}:00")
        today = dt.date.today()
        for di, day in enumerate(days):
            for ri, room in enumerate(self.rooms or ()):
                x = GUTTER_W + (di * n + ri) * w
                p.setPen(QPen(QColor("#9aa3ad" if ri == 0 else "#e3e6ea")))
                p.drawLine(int(x), HEADER_H if ri else 0, int(x), bottom)
                if self.mode == "day":
                    p.setPen(QColor("#1f2328"))
                    p.drawText(QRectF(x, 0, w, HEADER_H), Qt.AlignmentFlag.AlignCenter,
                               self.header_text(day, room))  # fmt: skip
            if self.mode == "week":
                x = GUTTER_W + di * n * w
                font = QFont(p.font())
                font.setBold(day == today)
                p.setFont(font)
                p.setPen(QColor("#1f2328"))
                p.drawText(QRectF(x, 0, n * w, HEADER_H / 2), Qt.AlignmentFlag.AlignCenter,
                           f"周{WEEKDAYS[day.weekday()]} {day:%m-%d}")  # fmt: skip
                p.setFont(QFont(font.family(), font.pointSize()))
                self._paint_room_labels(p, x, w)

    def _paint_room_labels(self, p: QPainter, x: float, w: float) -> None:
        """The week view names each day's room columns (under the day)."""
        small = QFont(p.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        p.setFont(small)
        p.setPen(QColor("#4a4f57"))
        metrics = p.fontMetrics()
        for ri, room in enumerate(self.rooms):
            box = QRectF(x + ri * w + 2, HEADER_H / 2, w - 4, HEADER_H / 2)
            text = metrics.elidedText(room.name, Qt.TextElideMode.ElideRight, int(box.width()))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def room_label_rects(self) -> list[tuple[str, QRectF]]:
        """Where the week view writes room names (for tests and accessibility)."""
        if self.mode != "week":
            return []
        w, n = self._col_w(), max(1, len(self.rooms))
        return [(r.name, QRectF(GUTTER_W + (di * n + ri) * w, HEADER_H / 2, w, HEADER_H / 2))
                for di in range(len(self.days())) for ri, r in enumerate(self.rooms)]  # fmt: skip

    def _paint_block(self, p: QPainter, b: BookingInfo, start: dt.datetime, end: dt.datetime,
                     room_id: str, ghost: bool = False) -> None:  # fmt: skip
        lane = (0, 1) if ghost else self.lanes.get(b.id, (0, 1))
        r = self.block_rect(start, end, room_id, lane)
        if r.isNull():
            return
        colour = QColor(COLOURS.get(b.status, "#2f6fb3"))
        if ghost:
            colour.setAlpha(150)
        p.fillRect(r, colour)
        if b.id == self.selected:
            p.setPen(QPen(QColor("#f5a623"), 3))
            p.drawRect(r.adjusted(1, 1, -1, -1))
        if r.width() < 24:
            return
        p.setPen(QColor("#ffffff"))
        box = r.adjusted(3, 2, -2, -2)
        top = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if r.width() < 100:  # week view: one short item per line, elided, no wrapping
            lines = [f"{start:%H:%M}–{end:%H:%M}", b.title]  # the colour tells the status
            lines += ["、".join(b.party_names), "、".join(b.mediator_names)]
            lines = [t for t in lines if t][: max(1, int(box.height() // p.fontMetrics().height()))]
            metrics = p.fontMetrics()
            text = "\n".join(metrics.elidedText(s, Qt.TextElideMode.ElideRight, int(box.width()))
                             for s in lines)  # fmt: skip
            p.drawText(box, top, text)
            return
        text = f"{start:%H:%M}–{end:%H:%M} {b.status_label}\n{b.title}"
        if b.party_names:
            text += "\n" + "、".join(b.party_names)
        p.drawText(box, top | int(Qt.TextFlag.TextWordWrap), text)

    # --- mouse -------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        b = self.booking_at(pos)
        self._select(b.id if b else "")
        if b is not None and b.status == "booked" and event.button() == Qt.MouseButton.LeftButton:
            r = self._rect(b)
            self._drag = _Drag(b, r.bottom() - pos.y() <= EDGE, pos, b.start, b.end, b.room_id)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        d = self._drag
        if d is None:
            b = self.booking_at(pos)
            near = b and self._rect(b).bottom() - pos.y() <= EDGE
            self.setCursor(Qt.CursorShape.SizeVerCursor if near else Qt.CursorShape.ArrowCursor)
            return
        minutes = round((pos.y() - d.origin.y()) * 60 / HOUR_H / SNAP_MIN) * SNAP_MIN
        delta = dt.timedelta(minutes=minutes)
        if d.resize:
            d.end = max(d.booking.start + dt.timedelta(minutes=SNAP_MIN), d.booking.end + delta)
        else:
            spot = self._at(QPoint(pos.x(), max(pos.y(), HEADER_H)))
            length = d.booking.end - d.booking.start
            day = spot[0].date() if spot else d.booking.start.date()
            d.start = dt.datetime.combine(day, d.booking.start.time()) + delta
            d.end = d.start + length
            d.room_id = spot[1] if spot else d.booking.room_id
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        d, self._drag = self._drag, None
        if d is None:
            return
        b = d.booking
        if (d.start, d.end, d.room_id) != (b.start, b.end, b.room_id):
            self.move_requested.emit(b.id, d.start, d.end, d.room_id)
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        b = self.booking_at(pos)
        if b is not None:
            self.booking_activated.emit(b.id)
            return
        spot = self._at(pos)
        if spot is not None:
            self.slot_activated.emit(spot[0], spot[1])

    # --- keyboard ----------------------------------------------------------------------------

    def _select(self, booking_id: str) -> None:
        if booking_id != self.selected:
            self.selected = booking_id
            self.selection_changed.emit(booking_id)
            self.update()

    def _ordered(self) -> list[BookingInfo]:
        return sorted(self.bookings, key=lambda b: (self._column(b.start.date(), b.room_id),
                                                    b.start))  # fmt: skip

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        keys, mod = Qt.Key, Qt.KeyboardModifier
        b = self._find(self.selected)
        step = dt.timedelta(minutes=SNAP_MIN)
        if key in (keys.Key_PageUp, keys.Key_PageDown, keys.Key_Home):
            forward = int(key == keys.Key_PageDown)
            self.navigate_requested.emit(-1 if key == keys.Key_PageUp else forward)
        elif b is not None and key in (keys.Key_Up, keys.Key_Down) and mods & mod.ControlModifier:
            sign = -1 if key == keys.Key_Up else 1
            self.move_requested.emit(b.id, b.start + sign * step, b.end + sign * step, b.room_id)
        elif b is not None and key in (keys.Key_Up, keys.Key_Down) and mods & mod.ShiftModifier:
            end = b.end + (-step if key == keys.Key_Up else step)
            if end > b.start:
                self.move_requested.emit(b.id, b.start, end, b.room_id)
        elif key in (keys.Key_Tab, keys.Key_Backtab) and self._walked_out(b, key):
            super().focusNextPrevChild(key == keys.Key_Tab)  # past the last booking: leave
        elif key in (keys.Key_Up, keys.Key_Down, keys.Key_Left, keys.Key_Right, keys.Key_Tab,
                     keys.Key_Backtab):  # fmt: skip
            self._select(self._neighbour(b, keys.Key_Up if key == keys.Key_Backtab else key))
        elif b is not None and key in (keys.Key_Return, keys.Key_Enter):
            self.booking_activated.emit(b.id)
        elif key == keys.Key_Insert or key in (keys.Key_Return, keys.Key_Enter):
            self.slot_activated.emit(*self.free_slot(b))  # book from the keyboard
        else:
            super().keyPressEvent(event)

    def free_slot(self, b: BookingInfo | None) -> tuple[dt.datetime, str]:
        """Where Ins (or Enter with nothing selected) books: right after the selected booking in
        its room, else 09:00 of the shown day in the first room."""
        if b is not None:
            return b.end, b.room_id
        day = self.anchor if self.mode == "day" else self.days()[0]
        return dt.datetime.combine(day, dt.time(9)), self.rooms[0].id if self.rooms else ""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        return False  # Tab walks the bookings, then leaves the grid (keyPressEvent)

    def _walked_out(self, b: BookingInfo | None, key: int) -> bool:
        """Tab on the last booking (Shift+Tab on the first, or none at all) leaves the grid."""
        ordered = self._ordered()
        if not ordered:
            return True
        if key == Qt.Key.Key_Backtab:
            return b is None or b is ordered[0]
        return b is not None and b is ordered[-1]

    def _neighbour(self, b: BookingInfo | None, key: int) -> str:
        ordered = self._ordered()
        if not ordered:
            return ""
        if b is None:
            return ordered[0].id
        i = ordered.index(b)
        keys = Qt.Key
        if key in (keys.Key_Down, keys.Key_Tab):
            return ordered[min(i + 1, len(ordered) - 1)].id
        if key == keys.Key_Up:
            return ordered[max(i - 1, 0)].id
        col = self._column(b.start.date(), b.room_id) + (1 if key == keys.Key_Right else -1)
        same = [o for o in ordered if self._column(o.start.date(), o.room_id) == col]
        if not same:
            return b.id
        return min(same, key=lambda o: abs((o.start - b.start).total_seconds())).id
