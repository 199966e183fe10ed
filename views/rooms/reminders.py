"""Table of tomorrow's sessions, one row per party to call (明日提醒), phones masked."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from services.rooms.dto import BookingInfo, ReminderItem, ReminderParty

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("时间", "当事人", "电话", "调解室", "事由")
PHONE_COLUMN = 2


class ReminderModel(QAbstractTableModel):
    """One row per (session, party); a revealed phone replaces the masked one."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[BookingInfo, ReminderParty]] = []
        self.revealed: dict[str, str] = {}

    def set_items(self, items: tuple[ReminderItem, ...]) -> None:
        self.beginResetModel()
        self.rows = [(it.booking, p) for it in items for p in it.parties]
        self.rows += [(it.booking, ReminderParty("", "", "")) for it in items if not it.parties]
        self.revealed = {}
        self.endResetModel()

    def reveal(self, person_id: str, phone: str) -> None:
        self.revealed[person_id] = phone
        for r, (_b, p) in enumerate(self.rows):
            if p.person_id == person_id:
                idx = self.index(r, PHONE_COLUMN)
                self.dataChanged.emit(idx, idx)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        b, p = self.rows[index.row()]
        phone = self.revealed.get(p.person_id, p.phone_masked)
        return (b.time_text, p.name, phone, b.room_name, b.title)[
            index.column()]  # fmt: skip
