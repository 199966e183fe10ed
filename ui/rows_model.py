"""A read-only table model over a short tuple of rows, for screens that load every row at once.

Subclasses name their headers (``HEADERS``, marked ``QT_TRANSLATE_NOOP`` in their own context, so
``self.tr`` finds them) and say what each cell shows (:meth:`RowsModel.cell`). Long lists that
arrive page by page use :mod:`ui.paged_model` instead.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeAlias

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

Index: TypeAlias = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    HEADERS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: tuple[Any, ...] = ()

    def set_rows(self, rows: tuple[Any, ...]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.cell(self.rows[index.row()], index.column())

    def cell(self, row: Any, column: int) -> str:
        """What ``column`` of ``row`` shows, in the interface language."""
        raise NotImplementedError
