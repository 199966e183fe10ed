"""Table models of the 同步 screen: read-only columns over frozen DTO lists."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeAlias, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from services.sync.dto import ConflictItem, OutboxItem, ParkedItem, field_label

T = TypeVar("T")
Index: TypeAlias = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("SyncView", text)


def when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def shown(value: Any) -> str:
    if value is None:
        return _tr("（空）")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class DtoTableModel(QAbstractTableModel, Generic[T]):
    """Columns are (header, getter) pairs over a tuple of DTOs."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[T], str]]]) -> None:
        super().__init__()
        self._columns = tuple(columns)
        self._rows: tuple[T, ...] = ()

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        return self._columns[index.column()][1](self._rows[index.row()])

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section][0]
        return None


def _op(item: OutboxItem) -> str:
    return _tr("新增") if item.op == "insert" else _tr("修改")


def outbox_model() -> DtoTableModel[OutboxItem]:
    return DtoTableModel(
        [
            (_tr("时间"), lambda i: when(i.created_at)),
            (_tr("数据"), lambda i: i.entity_label),
            (_tr("操作"), _op),
            (_tr("记录编号"), lambda i: i.entity_id[-12:]),
        ]
    )


def quarantine_model() -> DtoTableModel[OutboxItem]:
    return DtoTableModel(
        [
            (_tr("时间"), lambda i: when(i.created_at)),
            (_tr("数据"), lambda i: i.entity_label),
            (_tr("操作"), _op),
            (_tr("县级平台答复"), lambda i: f"{i.status_code or ''} {i.reason}".strip()),
        ]
    )


def _subject(item: ConflictItem) -> str:
    if item.kind == "event":
        return _tr("案件流转：%1").replace("%1", shown((item.lost_value or {}).get("label")))
    return f"{item.entity_label}·{field_label(item.field)}"


def conflict_model() -> DtoTableModel[ConflictItem]:
    return DtoTableModel(
        [
            (_tr("发现时间"), lambda i: when(i.detected_at)),
            (_tr("案件"), lambda i: i.case_code or ""),
            (_tr("内容"), _subject),
            (_tr("现行值"), lambda i: "" if i.kind == "event" else shown(i.kept_value)),
            (_tr("另一值"), lambda i: "" if i.kind == "event" else shown(i.lost_value)),
            (_tr("说明"), lambda i: i.reason),
        ]
    )


def parked_model() -> DtoTableModel[ParkedItem]:
    return DtoTableModel(
        [
            (_tr("时间"), lambda i: when(i.parked_at)),
            (_tr("数据"), lambda i: i.entity),
            (_tr("原因"), lambda i: i.reason),
        ]
    )
