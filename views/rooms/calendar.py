"""Calendar grid of rooms, painted in code.

日视图: rooms as columns, time in rows; bookings are blocks; dragging a block moves it (to another
time or room), dragging its bottom edge resizes it; both snap to 15 minutes and ask for the move
through a signal, so the service's conflict check decides.

周视图: rooms in rows (named at the left), days in columns; each cell lists its bookings in time
order as cards (time, title, party, mediator), so a week of four busy rooms reads at 1366 px
without a sideways scroll (a time axis of 7 × 4 columns left 28 px each: "…" only). Dragging a
card moves it to another day or room at the same time of day.

The keyboard does everything the mouse does; Tab and Shift+Tab leave the grid (arrows walk it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QLocale, QPoint, QRectF, QSize, Qt, Signal
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
CLOSED_FILL = "#eceef1"  # closed hours/days: grey with diagonal hatching


@dataclass
class _Drag:
    booking: BookingInfo
    resize: bool
    origin: QPoint
    start: dt.datetime
    end: dt.datetime
    room_id: str


MIN_WEEK_COL = 88  # px: a week day column still shows "09:00–10:30" and a four-character name
ROOM_W = 84  # the week view's room names, left of each room's row
CARD_LINES = 4  # time, title, party, mediator
CARD_GAP = 3
IDLE_DAY_W = 44  # a week day when every room is closed and nothing is booked


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
        self._cells: dict[tuple[str, dt.date], list[BookingInfo]] = {}  # week: (room, day)
        self._rows: dict[str, tuple[float, float]] = {}  # week: room id -> (top, height)
        self._place: dict[str, int] = {}
        self._spans: tuple[object, list[tuple[float, float]]] = (None, [])
        self._version = 0
        self._week: tuple[dt.date | None, list[dt.date]] = (None, [])
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
        self._version += 1  # the week's day widths are worked out again
        self._cells = self._week_cells() if mode == "week" else {}
        self._rows = self._week_rows() if mode == "week" else {}
        if mode == "week":
            bottom = max((top + h for top, h in self._rows.values()), default=HEADER_H)
            self.setMinimumHeight(int(bottom) + 1)
            self.setMinimumWidth(ROOM_W + 7 * MIN_WEEK_COL)
        else:
            self.setMinimumHeight(HEADER_H + (self.hour_to - self.hour_from) * HOUR_H + 1)
            self.setMinimumWidth(GUTTER_W + max(1, len(rooms)) * 60)
        self._drag = None
        if self.selected and self.selected not in {b.id for b in self.bookings}:
            self.selected = ""
        self.update()

    def days(self) -> list[dt.date]:
        if self.mode == "day":
            return [self.anchor]
        monday = self.anchor - dt.timedelta(days=self.anchor.weekday())
        if self._week[0] != monday:
            self._week = (monday, [monday + dt.timedelta(days=i) for i in range(7)])
        return self._week[1]

    def sizeHint(self) -> QSize:
        if self.mode == "week":
            return QSize(ROOM_W + 7 * 140, self.minimumHeight())
        return QSize(GUTTER_W + max(1, len(self.rooms)) * 160, self.minimumHeight())

    # --- week: rooms in rows, days in columns, bookings as cards ------------------------------

    def _week_cells(self) -> dict[tuple[str, dt.date], list[BookingInfo]]:
        cells: dict[tuple[str, dt.date], list[BookingInfo]] = {}
        self._place = {}  # booking id -> its place in its cell
        for b in sorted(self.bookings, key=lambda b: (b.start, b.end, b.id)):
            cell = cells.setdefault((b.room_id, b.start.date()), [])
            self._place[b.id] = len(cell)
            cell.append(b)
        return cells

    def card_height(self) -> float:
        return CARD_LINES * self.fontMetrics().height() + 6

    def _week_rows(self) -> dict[str, tuple[float, float]]:
        """Each room's row: as tall as its busiest day's cards, at least one (a drop target)."""
        rows: dict[str, tuple[float, float]] = {}
        top, step = float(HEADER_H), self.card_height() + CARD_GAP
        for room in self.rooms:
            most = max((len(self._cells.get((room.id, d), ())) for d in self.days()), default=0)
            height = max(1, most) * step + CARD_GAP + 2
            rows[room.id] = (top, height)
            top += height
        return rows

    def day_spans(self) -> list[tuple[float, float]]:
        """(x, width) of each week day: a day every room is closed with nothing booked (the
        weekend) is narrow, the others share the rest (kept until the width or data change)."""
        key = (self.width(), self._version)
        if self._spans[0] != key:
            self._spans = (key, self._day_spans())
        return self._spans[1]

    def _day_spans(self) -> list[tuple[float, float]]:
        days = self.days()
        rooms = [r.id for r in self.rooms]
        idle = [bool(rooms) and all((r, d) in self.closed for r in rooms)
                and not any((r, d) in self._cells for r in rooms) for d in days]  # fmt: skip
        busy = max(1, len(days) - sum(idle))
        wide = max(4.0, (self.width() - ROOM_W - sum(idle) * IDLE_DAY_W) / busy)
        spans, x = [], float(ROOM_W)
        for quiet in idle:
            w = IDLE_DAY_W if quiet else wide
            spans.append((x, w))
            x += w
        return spans

    def cell_rect(self, room_id: str, day: dt.date) -> QRectF:
        """A week cell: one room on one day."""
        days = self.days()
        if room_id not in self._rows or day not in days:
            return QRectF()
        top, height = self._rows[room_id]
        x, w = self.day_spans()[days.index(day)]
        return QRectF(x, top, w, height)

    def shown_title(self, b: BookingInfo) -> str:
        """The title without the case code it starts with (the code is in the tooltip)."""
        if b.case_code and b.title.startswith(b.case_code):
            return b.title.removeprefix(b.case_code).strip() or b.title
        return b.title

    def _card_rect(self, b: BookingInfo) -> QRectF:
        cell = self.cell_rect(b.room_id, b.start.date())
        place = self._place.get(b.id)
        if cell.isNull() or place is None:
            return QRectF()
        height = self.card_height()
        return QRectF(cell.left() + 2, cell.top() + CARD_GAP + place * (height + CARD_GAP),
                      cell.width() - 4, height)  # fmt: skip

    def block_lines(self, b: BookingInfo, r: QRectF | None = None) -> list[str]:
        """The lines a week card shows, cut to its width: time, title, party, mediator."""
        r = self._rect(b) if r is None else r
        metrics = self.fontMetrics()
        width = int(r.width()) - 6
        lines = [f"{b.start:%H:%M}–{b.end:%H:%M}", self.shown_title(b), "、".join(b.party_names),
                 "、".join(b.mediator_names)]  # fmt: skip
        return [metrics.elidedText(t, Qt.TextElideMode.ElideRight, width) for t in lines if t]

    def day_lines(self, b: BookingInfo, start: dt.datetime, end: dt.datetime,
                  fit: int) -> list[str]:  # fmt: skip
        """A day block's lines, as many as ``fit``: time and status, title, party, mediator (the
        last two share a line in a one-hour block, rather than the mediator being cut off)."""
        lines = [f"{start:%H:%M}–{end:%H:%M} {b.status_label}", self.shown_title(b)]
        party, mediator = "、".join(b.party_names), "、".join(b.mediator_names)
        if fit >= 4 or not (party and mediator):
            lines += [party, self.tr("调解员：") + mediator if mediator else ""]
        else:
            lines.append(f"{party}｜{mediator}")
        return [t for t in lines if t][:fit]

    def room_label_texts(self) -> list[str]:
        """Room names as the week view writes them (wrapped in their row, never cut)."""
        metrics = self.fontMetrics()
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWrapAnywhere)
        out = []
        for name, rect in self.room_label_rects():
            inner = rect.adjusted(4, 4, -4, -4).toRect()
            fits = metrics.boundingRect(inner, flags, name).height() <= inner.height()
            out.append(name if fits else metrics.elidedText(name, Qt.TextElideMode.ElideRight,
                                                               inner.width()))  # fmt: skip
        return out

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
        if self.mode == "week":
            return self._card_rect(b)
        return self.block_rect(b.start, b.end, b.room_id, self.lanes.get(b.id, (0, 1)))

    def header_text(self, day: dt.date, room: RoomInfo) -> str:
        """The day view's column header; a room closed all day says so (闭馆)."""
        text = self.tr("%1\n%2人").replace("%1", room.name).replace("%2", str(room.capacity))
        return text + (self.tr("（闭馆）") if (room.id, day) in self.closed else "")

    def closed_rects(self, day: dt.date, room: RoomInfo) -> list[QRectF]:
        """Where a booking cannot go in a column: the whole day when the room is closed
        (闭馆日期, 非工作日, 不开放的星期), else the hours before opening and after closing."""
        if self.mode == "week":
            cell = self.cell_rect(room.id, day)
            return [cell] if (room.id, day) in self.closed and not cell.isNull() else []
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
        """The time (snapped) and room under a point (week: the cell's next free time)."""
        if self.mode == "week":
            return self._week_at(pos)
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

    def _week_at(self, pos: QPoint) -> tuple[dt.datetime, str] | None:
        if pos.x() < ROOM_W or pos.y() < HEADER_H:
            return None
        day_i = next((i for i, (x, w) in enumerate(self.day_spans()) if x <= pos.x() < x + w), -1)
        room = next((r for r in self.rooms if self._rows[r.id][0] <= pos.y()
                     < sum(self._rows[r.id])), None)  # fmt: skip
        if room is None or not 0 <= day_i < 7:
            return None
        day = self.days()[day_i]
        items = self._cells.get((room.id, day), [])
        start = max([dt.datetime.combine(day, max(dt.time(9), room.open_from))]
                    + [b.end for b in items])  # fmt: skip
        return start, room.id

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
        exposed = QRectF(event.rect())  # in a scroll area: the part in sight
        for b in self.bookings:
            if self._drag is not None and self._drag.booking.id == b.id:
                continue
            if self.mode == "week" and not self._card_rect(b).intersects(exposed):
                continue
            self._paint_block(p, b, b.start, b.end, b.room_id)
        if self._drag is not None:
            d = self._drag
            self._paint_block(p, d.booking, d.start, d.end, d.room_id, ghost=True)
        self._paint_header(p, self.header_top())
        p.end()

    def header_top(self) -> float:
        """Where the header is painted: the top of the visible part, so the room names (day
        view) and days (week view) stay in sight when the page scrolls down."""
        return float(max(0, -self.y())) if self.parentWidget() is not None else 0.0

    def _paint_header(self, p: QPainter, y0: float) -> None:
        p.fillRect(QRectF(0, y0, self.width(), HEADER_H), QColor("#ffffff"))
        p.setPen(QColor("#1f2328"))
        today = dt.date.today()
        if self.mode == "week":
            for day, (x, w) in zip(self.days(), self.day_spans(), strict=True):
                font = QFont(self.font())
                font.setBold(day == today)
                p.setFont(font)
                count = sum(len(self._cells.get((r.id, day), ())) for r in self.rooms)
                name = QLocale().standaloneDayName(day.isoweekday(), QLocale.FormatType.ShortFormat)
                label = name + ("\n" if w < MIN_WEEK_COL else " ")
                label += f"{day:%m-%d}"
                label += ("\n" + self.tr("%1场").replace("%1", str(count))) if count else ""
                p.drawText(QRectF(x, y0, w, HEADER_H), Qt.AlignmentFlag.AlignCenter, label)
            p.setFont(self.font())
        else:
            w = self._col_w()
            for ri, room in enumerate(self.rooms):
                x = GUTTER_W + ri * w
                p.drawText(QRectF(x, y0, w, HEADER_H), Qt.AlignmentFlag.AlignCenter,
                           self.header_text(self.anchor, room))  # fmt: skip
        p.setPen(QPen(QColor("#9aa3ad")))
        p.drawLine(0, int(y0 + HEADER_H), self.width(), int(y0 + HEADER_H))

    def _paint_grid(self, p: QPainter) -> None:
        if self.mode == "week":
            self._paint_week_grid(p)
            return
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
        for di, _day in enumerate(days):
            for ri, _room in enumerate(self.rooms or ()):
                x = GUTTER_W + (di * n + ri) * w
                p.setPen(QPen(QColor("#9aa3ad" if ri == 0 else "#e3e6ea")))
                p.drawLine(int(x), HEADER_H if ri else 0, int(x), bottom)

    def _paint_week_grid(self, p: QPainter) -> None:
        """Days across the top, a row per room named at the left, closed cells hatched."""
        shade = QBrush(QColor("#c3c8cf"), Qt.BrushStyle.BDiagPattern)
        for day in self.days():
            for room in self.rooms:
                for r in self.closed_rects(day, room):
                    p.fillRect(r, QColor(CLOSED_FILL))
                    p.fillRect(r, shade)
        bottom = max((top + h for top, h in self._rows.values()), default=HEADER_H)
        for x, _w in self.day_spans():
            p.setPen(QPen(QColor("#9aa3ad")))
            p.drawLine(int(x), 0, int(x), int(bottom))
        flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                    | Qt.TextFlag.TextWrapAnywhere)  # fmt: skip
        seen_from = self.header_top() + HEADER_H  # a row scrolled half away keeps its name
        for (_name, rect), text in zip(self.room_label_rects(), self.room_label_texts(),
                                      strict=True):  # fmt: skip
            p.setPen(QPen(QColor("#9aa3ad")))
            p.drawLine(0, int(rect.top()), self.width(), int(rect.top()))
            p.setPen(QColor("#1f2328"))
            box = rect.adjusted(4, 8, -4, -4)
            box.setTop(min(max(box.top(), seen_from + 8), box.bottom() - 20))
            p.drawText(box, flags, text)
        p.setPen(QPen(QColor("#9aa3ad")))
        p.drawLine(0, int(bottom), self.width(), int(bottom))

    def room_label_rects(self) -> list[tuple[str, QRectF]]:
        """Where the week view writes room names: left of each room's row."""
        if self.mode != "week":
            return []
        return [(r.name, QRectF(0, self._rows[r.id][0], ROOM_W, self._rows[r.id][1]))
                for r in self.rooms]  # fmt: skip

    def _paint_block(self, p: QPainter, b: BookingInfo, start: dt.datetime, end: dt.datetime,
                     room_id: str, ghost: bool = False) -> None:  # fmt: skip
        if self.mode == "week":
            self._paint_card(p, b, start, end, room_id, ghost)
            return
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
        metrics = p.fontMetrics()
        fit = max(1, int(box.height() // metrics.height()))
        lines = self.day_lines(b, start, end, fit)
        cut = Qt.TextElideMode.ElideRight
        p.drawText(box, top, "\n".join(metrics.elidedText(t, cut, int(box.width())) for t in lines))

    def _paint_card(self, p: QPainter, b: BookingInfo, start: dt.datetime, end: dt.datetime,
                    room_id: str, ghost: bool) -> None:  # fmt: skip
        """A week card; a dragged card's ghost goes under its target cell's cards."""
        if ghost:
            cell = self.cell_rect(room_id, start.date())
            if cell.isNull():
                return
            r = QRectF(cell.left() + 2, cell.bottom() - self.card_height() - CARD_GAP,
                       cell.width() - 4, self.card_height())  # fmt: skip
        else:
            r = self._card_rect(b)
        if r.isNull():
            return
        colour = QColor(COLOURS.get(b.status, "#2f6fb3"))
        if ghost:
            colour.setAlpha(150)
        p.fillRect(r, colour)
        if self.lanes.get(b.id, (0, 1))[1] > 1:  # a clash that came by sync: a red edge
            p.fillRect(QRectF(r.left(), r.top(), 4, r.height()), QColor("#e74c3c"))
        if b.id == self.selected:
            p.setPen(QPen(QColor("#f5a623"), 3))
            p.drawRect(r.adjusted(1, 1, -1, -1))
        p.setPen(QColor("#ffffff"))
        top = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        p.drawText(r.adjusted(5, 3, -1, -1), top, "\n".join(self.block_lines(b, r)))

    # --- mouse -------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        b = self.booking_at(pos)
        self._select(b.id if b else "")
        if b is not None and b.status == "booked" and event.button() == Qt.MouseButton.LeftButton:
            r = self._rect(b)
            resize = self.mode == "day" and r.bottom() - pos.y() <= EDGE
            self._drag = _Drag(b, resize, pos, b.start, b.end, b.room_id)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        d = self._drag
        if d is None:
            b = self.booking_at(pos)
            near = self.mode == "day" and b and self._rect(b).bottom() - pos.y() <= EDGE
            self.setCursor(Qt.CursorShape.SizeVerCursor if near else Qt.CursorShape.ArrowCursor)
            return
        minutes = round((pos.y() - d.origin.y()) * 60 / HOUR_H / SNAP_MIN) * SNAP_MIN
        delta = dt.timedelta(minutes=minutes)
        if self.mode == "week":  # another day or room, the same time of day
            spot = self._at(pos)
            day = spot[0].date() if spot else d.booking.start.date()
            d.start = dt.datetime.combine(day, d.booking.start.time())
            d.end = d.start + (d.booking.end - d.booking.start)
            d.room_id = spot[1] if spot else d.booking.room_id
        elif d.resize:
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
        """Reading order: day view column by column; week view room by room, day by day."""
        if self.mode == "week":
            rooms = [r.id for r in self.rooms]

            def room_first(b: BookingInfo) -> tuple[int, dt.datetime]:
                return (rooms.index(b.room_id) if b.room_id in rooms else len(rooms), b.start)

            return sorted(self.bookings, key=room_first)
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
        elif key in (keys.Key_Up, keys.Key_Down, keys.Key_Left, keys.Key_Right):
            self._select(self._neighbour(b, key))
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

    def _neighbour(self, b: BookingInfo | None, key: int) -> str:
        ordered = self._ordered()
        if not ordered:
            return ""
        if b is None:
            return ordered[0].id
        i = ordered.index(b)
        keys = Qt.Key
        if key == keys.Key_Down:
            return ordered[min(i + 1, len(ordered) - 1)].id
        if key == keys.Key_Up:
            return ordered[max(i - 1, 0)].id
        step = len(self.rooms) if self.mode == "week" else 1  # week: the next day, same room
        col = self._column(b.start.date(), b.room_id) + (step if key == keys.Key_Right else -step)
        same = [o for o in ordered if self._column(o.start.date(), o.room_id) == col]
        if not same:
            return b.id
        return min(same, key=lambda o: abs((o.start - b.start).total_seconds())).id
