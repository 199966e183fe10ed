"""Table model of the slip register (文书台账) over ``SlipInfo`` rows."""

from __future__ import annotations

from typing import TypeAlias

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from services.slips.dto import SlipInfo

Index: TypeAlias = QModelIndex | QPersistentModelIndex


class SlipTableModel(QAbstractTableModel):
    """Columns: 编号, 文书, 等级, 案件编号, 对象, 签发时间, 状态, 打印次数."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[SlipInfo, ...] = ()
        self._headers = (
            self.tr("编号"), self.tr("文书"), self.tr("等级"), self.tr("案件编号"),
            self.tr("对象"), self.tr("签发时间"), self.tr("状态"), self.tr("打印"),
        )  # fmt: skip

    def set_rows(self, rows: tuple[SlipInfo, ...]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def slip(self, row: int) -> SlipInfo:
        return self._rows[row]

    def rows(self) -> tuple[SlipInfo, ...]:
        return self._rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        slip = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(slip, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and slip.voided:
            return self.tr("作废理由：") + slip.void_reason
        if role == Qt.ItemDataRole.ForegroundRole and slip.voided:
            return QBrush(QColor("#888888"))
        return None

    def _text(self, slip: SlipInfo, column: int) -> str:
        if column == 6:
            return self.tr("已作废") if slip.voided else self.tr("已签发")
        if column == 7:
            return str(slip.print_count) if slip.print_count else self.tr("未打印")
        values = (slip.number, slip.kind_title, slip.grade_label, slip.case_code, slip.addressee,
                  slip.issued_at.strftime("%Y-%m-%d %H:%M"))  # fmt: skip
        return values[column]
