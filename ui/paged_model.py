"""A table model over SQL pages: rows arrive page by page through ``canFetchMore``/``fetchMore``.

Filtering and sorting happen in the fetch function (in SQL), never in a proxy model: a
QSortFilterProxyModel over a million rows takes minutes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from ui.tasks import TaskRunner

Index: TypeAlias = QModelIndex | QPersistentModelIndex
Fetch = Callable[[Any], tuple[Sequence[Any], Any]]
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    """One column: its header, how to show a row, and the SQL sort key it maps to (if any)."""

    header: str  # the source text, marked QT_TRANSLATE_NOOP("Columns", …); shown translated
    text: Callable[[Any], str]
    sort_key: str | None = None
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    background: Callable[[Any], str | None] | None = None
    foreground: Callable[[Any], str | None] | None = None
    tooltip: Callable[[Any], str] | None = None

    def shown_header(self) -> str:
        """The header in the interface language (read at each paint: a switch shows at once)."""
        return QCoreApplication.translate("Columns", self.header)


class PagedTableModel(QAbstractTableModel):
    """Rows of DTOs fetched page by page off the GUI thread, with bounded memory.

    ``fetch(cursor)`` returns ``(rows, next_cursor)``; ``next_cursor`` None means the end. Only
    the most recently used ``max_pages`` pages stay in memory; the cursor that starts each page is
    kept, so a page scrolled back into view is fetched again (rows show empty meanwhile). This
    keeps a ledger scrolled through a million cases within a few MB of rows.

    Signals:
        loading_changed(bool): a page is being fetched.
        load_failed(object): the fetch raised; the exception is passed on.
        sort_requested(str, bool): a header was clicked; (sort key, descending).
    """

    loading_changed = Signal(bool)
    load_failed = Signal(object)
    sort_requested = Signal(str, bool)

    def __init__(self, columns: Sequence[Column], runner: TaskRunner, parent: Any = None, *,
                 page_size: int = 100, max_pages: int = 40) -> None:  # fmt: skip
        super().__init__(parent)
        self._columns = list(columns)
        self._runner = runner
        self._page_size = page_size
        self._max_pages = max(2, max_pages)
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()
        self._starts: list[Any] = []  # cursor that fetches page i
        self._count = 0
        self._fetch: Fetch | None = None
        self._has_more = False
        self._loading = False
        self._refetching: set[int] = set()
        self._generation = 0
        self._brushes: dict[str, QBrush] = {}

    def set_columns(self, columns: Sequence[Column]) -> None:
        self.beginResetModel()
        self._columns = list(columns)
        self.endResetModel()

    # --- loading
    def set_fetch(self, fetch: Fetch) -> None:
        """Start over with a new query (new filter or sort)."""
        self._generation += 1
        self.beginResetModel()
        self._pages.clear()
        self._starts = [None]
        self._count = 0
        self._fetch = fetch
        self._has_more = True
        self._loading = False
        self._refetching.clear()
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def reload(self) -> None:
        if self._fetch is not None:
            self.set_fetch(self._fetch)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._has_more and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._fetch is None or not self._has_more or self._loading:
            return
        self._set_loading(True)
        generation, fetch = self._generation, self._fetch
        page = len(self._starts) - 1
        cursor = self._starts[page]
        self._runner.run(
            lambda: fetch(cursor),
            lambda result: self._append(generation, page, result),
            lambda exc: self._failed(generation, exc),
        )

    def _append(self, generation: int, page: int, result: tuple[Sequence[Any], Any]) -> None:
        if generation != self._generation:
            return  # a stale page from before a new filter
        rows, cursor = result
        self._has_more = cursor is not None and len(rows) > 0
        if self._has_more:
            self._starts.append(cursor)
        if rows:
            first = self._count
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._remember(page, list(rows))
            self._count += len(rows)
            self.endInsertRows()
        self._set_loading(False)

    def _remember(self, page: int, rows: list[Any]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)

    def _refetch(self, page: int) -> None:
        """Fetch an evicted page again (it scrolled back into view)."""
        if page in self._pages or self._fetch is None or page >= len(self._starts):
            self._refetching.discard(page)
            return
        generation, fetch, cursor = self._generation, self._fetch, self._starts[page]

        def done(result: tuple[Sequence[Any], Any]) -> None:
            self._refetching.discard(page)
            if generation != self._generation:
                return
            first = page * self._page_size
            rows = list(result[0])[: max(0, self._count - first)]
            self._remember(page, rows)
            if rows:
                last = first + len(rows) - 1
                self.dataChanged.emit(self.index(first, 0),
                                      self.index(last, len(self._columns) - 1))  # fmt: skip

        def failed(exc: BaseException) -> None:
            self._refetching.discard(page)
            self.load_failed.emit(exc)

        self._runner.run(lambda: fetch(cursor), done, failed)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._has_more = False
        self._set_loading(False)
        self.load_failed.emit(exc)

    def _set_loading(self, value: bool) -> None:
        if self._loading != value:
            self._loading = value
            self.loading_changed.emit(value)

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def has_more(self) -> bool:
        return self._has_more

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    # --- model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def row_at(self, row: int) -> Any:
        """The row object, or None while its page is being fetched again."""
        if not 0 <= row < self._count:
            return None
        page = row // self._page_size
        rows = self._pages.get(page)
        if rows is None:
            if page not in self._refetching:  # once per page, outside data(): no re-entrancy
                self._refetching.add(page)
                QTimer.singleShot(0, lambda: self._refetch(page))
            return None
        self._pages.move_to_end(page)
        offset = row - page * self._page_size
        return rows[offset] if offset < len(rows) else None

    def _brush(self, colour: str) -> QBrush:
        brush = self._brushes.get(colour)
        if brush is None:
            brush = self._brushes[colour] = QBrush(QColor(colour))
        return brush

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self._columns):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        col = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align.value)
        if role == Qt.ItemDataRole.BackgroundRole and col.background is not None:
            colour = col.background(row)
            return self._brush(colour) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole and col.foreground is not None:
            colour = col.foreground(row)
            return self._brush(colour) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].shown_header()
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self._columns) and self._columns[column].sort_key:
            key = self._columns[column].sort_key
            assert key is not None
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)
