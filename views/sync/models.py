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
from ui.i18n import QT_TRANSLATE_NOOP, vocab

T = TypeVar("T")
Index: TypeAlias = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("SyncView", text)


def when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def shown(value: Any) -> str:
    if value is None:
        return QCoreApplication.translate("SyncView", "（空）")
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
            return _tr(self._columns[section][0])
        return None


def _op(item: OutboxItem) -> str:
    return (
        QCoreApplication.translate("SyncView", "新增")
        if item.op == "insert"
        else QCoreApplication.translate("SyncView", "修改")
    )


def outbox_model() -> DtoTableModel[OutboxItem]:
    return DtoTableModel(
        [
            (QT_TRANSLATE_NOOP("SyncView", "时间"), lambda i: when(i.created_at)),
            (QT_TRANSLATE_NOOP("SyncView", "数据"), lambda i: vocab(i.entity_label)),
            (QT_TRANSLATE_NOOP("SyncView", "操作"), _op),
            (QT_TRANSLATE_NOOP("SyncView", "记录编号"), lambda i: i.entity_id[-12:]),
        ]
    )


def quarantine_model() -> DtoTableModel[OutboxItem]:
    return DtoTableModel(
        [
            (QT_TRANSLATE_NOOP("SyncView", "时间"), lambda i: when(i.created_at)),
            (QT_TRANSLATE_NOOP("SyncView", "数据"), lambda i: vocab(i.entity_label)),
            (QT_TRANSLATE_NOOP("SyncView", "操作"), _op),
            (
                QT_TRANSLATE_NOOP("SyncView", "县级平台答复"),
                lambda i: f"{i.status_code or ''} {i.reason}".strip(),
            ),
        ]
    )


def _subject(item: ConflictItem) -> str:
    if item.kind == "event":
        return QCoreApplication.translate("SyncView", "案件流转：%1").replace(
            "%1", shown((item.lost_value or {}).get("label"))
        )
    return f"{vocab(item.entity_label)}·{vocab(field_label(item.field))}"


def conflict_model() -> DtoTableModel[ConflictItem]:
    return DtoTableModel(
        [
            (QT_TRANSLATE_NOOP("SyncView", "发现时间"), lambda i: when(i.detected_at)),
            (QT_TRANSLATE_NOOP("SyncView", "案件"), lambda i: i.case_code or ""),
            (QT_TRANSLATE_NOOP("SyncView", "内容"), _subject),
            (
                QT_TRANSLATE_NOOP("SyncView", "现行值"),
                lambda i: "" if i.kind == "event" else shown(i.kept_value),
            ),
            (
                QT_TRANSLATE_NOOP("SyncView", "另一值"),
                lambda i: "" if i.kind == "event" else shown(i.lost_value),
            ),
            (QT_TRANSLATE_NOOP("SyncView", "说明"), lambda i: i.reason),
        ]
    )


def parked_model() -> DtoTableModel[ParkedItem]:
    return DtoTableModel(
        [
            (QT_TRANSLATE_NOOP("SyncView", "时间"), lambda i: when(i.parked_at)),
            (QT_TRANSLATE_NOOP("SyncView", "数据"), lambda i: i.entity),
            (QT_TRANSLATE_NOOP("SyncView", "原因"), lambda i: i.reason),
        ]
    )
