"""待处理: bookings to move or cancel before anyone is called (a clash that came by sync, a room
closed or its hours changed, an official holiday), each with the parties to call."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QPushButton, QVBoxLayout, QWidget

from services.rooms.dto import AttentionItem, BookingInfo
from ui.i18n import message

Pick = Callable[[AttentionItem], BookingInfo | None]


def _this(it: AttentionItem) -> BookingInfo | None:
    return it.booking


def _other(it: AttentionItem) -> BookingInfo | None:
    return it.other


class AttentionPanel(QWidget):
    """The 待处理 tab: the list and 在日历中查看 / 取消此预约 / 取消另一个.

    Signals:
        show_requested(object): the ``BookingInfo`` to show in the calendar (to drag or move).
        cancel_requested(object): the ``BookingInfo`` to cancel (the screen asks first).
    """

    show_requested = Signal(object)
    cancel_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: tuple[AttentionItem, ...] = ()
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.show_btn = QPushButton(self.tr("在日历中改期"))
        self.cancel_btn = QPushButton(self.tr("取消此预约"))
        self.cancel_other_btn = QPushButton(self.tr("取消另一个"))
        row = QHBoxLayout()
        for b in (self.show_btn, self.cancel_btn, self.cancel_other_btn):
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.list.currentRowChanged.connect(lambda _r: self._update())
        self.show_btn.clicked.connect(
            lambda: self._emit(self.show_requested, lambda it: it.booking)
        )
        self.cancel_btn.clicked.connect(
            lambda: self._emit(self.cancel_requested, lambda it: it.booking)
        )
        self.cancel_other_btn.clicked.connect(
            lambda: self._emit(self.cancel_requested, lambda it: it.other))  # fmt: skip
        self._update()

    def item_text(self, it: AttentionItem) -> str:
        """One line: what, when, who to call, and why."""
        kinds = {"clash": self.tr("两台电脑重复预约"), "closed": self.tr("调解室不开放"),
                 "holiday": self.tr("节假日")}  # fmt: skip
        b = it.booking
        text = self.tr("【%1】%2 %3「%4」（待通知：%5）").replace("%1", kinds.get(it.kind, it.kind))
        text = text.replace("%2", f"{b.start:%m-%d %H:%M}").replace("%3", b.room_name)
        text = text.replace("%4", b.title).replace("%5", self._parties(b))
        if it.other is not None:
            o = it.other
            more = self.tr(" 与 %1「%2」（待通知：%3）重叠").replace("%1", f"{o.start:%H:%M}")
            text += more.replace("%2", o.title).replace("%3", self._parties(o))
            return text
        return f"{text}：{message(it.reason)}"

    def _parties(self, b: BookingInfo) -> str:
        return "、".join(b.party_names) or self.tr("无当事人")

    def show_items(self, items: tuple[AttentionItem, ...]) -> None:
        self.items = items
        self.list.clear()
        for it in items:
            self.list.addItem(self.item_text(it))
        if items:
            self.list.setCurrentRow(0)
        self._update()

    def current(self) -> AttentionItem | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _emit(
        self, signal: SignalInstance, pick: Callable[[AttentionItem], BookingInfo | None]
    ) -> None:
        it = self.current()
        booking = pick(it) if it is not None else None
        if booking is not None:
            signal.emit(booking)

    def _update(self) -> None:
        it = self.current()
        self.show_btn.setEnabled(it is not None)
        self.cancel_btn.setEnabled(it is not None)
        other = it is not None and it.other is not None
        self.cancel_other_btn.setEnabled(other)
        if it is not None and it.other is not None:
            self.cancel_btn.setText(self.tr("取消「%1」").replace("%1", it.booking.title[:12]))
            self.cancel_other_btn.setText(self.tr("取消「%1」").replace("%1", it.other.title[:12]))
        else:
            self.cancel_btn.setText(self.tr("取消此预约"))
            self.cancel_other_btn.setText(self.tr("取消另一个"))
        self.list.setToolTip("" if it is None else self.item_text(it))
