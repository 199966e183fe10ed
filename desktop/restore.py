"""文件 → 从备份恢复…: the backups listed and checked, a confirmed restore done at a restart.

The dialog lists the backups of the folder set in 设置 (or any file chosen), checks one off the
GUI thread (integrity, schema version, audit chains: ``services.backup.service.check_backup``)
and, once it passed and the user confirmed, records the restore (``services.backup.pending``)
and restarts the workbench. The next start runs the restore assistant before the store opens
(:func:`apply_at_start`); the replaced database is kept as a backup, so nothing is lost whatever
fails, and the user is told what happened (:func:`outcome_text`).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.backup.pending import RestoreOutcome
from services.backup.service import CHECK_STAGES, BackupCheck, BackupInfo
from services.domain.errors import ServiceError
from ui.forms import ErrorLabel
from ui.i18n import QT_TRANSLATE_NOOP
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("RestoreDialog", text)


class RestoreApi(Protocol):
    """What the dialog needs: the backups, a check, and the recorded request."""

    folder: Path

    def backups(self) -> tuple[BackupInfo, ...]: ...

    def describe(self, path: Path) -> BackupInfo: ...

    def check(self, path: Path, progress: Callable[[str], None]) -> BackupCheck: ...

    def request(self, check: BackupCheck) -> None: ...


class LocalRestore:
    """:class:`RestoreApi` over this PC's database, its backup folder and the signed-in user."""

    def __init__(self, ctx: object, db: Path, folder: Path) -> None:
        self._ctx, self._db, self.folder = ctx, db, folder

    def backups(self) -> tuple[BackupInfo, ...]:
        from services.backup.service import describe, list_backups

        return tuple(describe(p) for p in list_backups(self.folder))

    def describe(self, path: Path) -> BackupInfo:
        from services.backup.service import describe

        return describe(path)

    def check(self, path: Path, progress: Callable[[str], None]) -> BackupCheck:
        from services.backup.service import check_backup

        return check_backup(path, progress)

    def request(self, check: BackupCheck) -> None:
        from services.backup.pending import request_restore

        request_restore(self._ctx, self._db, check)  # type: ignore[arg-type]


def backup_folder(db: Path, chosen: str) -> Path:
    """The backup folder set in 设置 (``chosen``), else ``backups`` beside the database."""
    return Path(chosen) if chosen else db.parent / "backups"


def size_text(size: int) -> str:
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GB"
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB"
    return f"{max(1, size // 1024)} KB"


PROBLEM_TEXTS = {
    "unreadable": QT_TRANSLATE_NOOP(
        "RestoreDialog", "不是可用的备份文件：无法作为本程序的数据库打开"
    ),
    "integrity": QT_TRANSLATE_NOOP("RestoreDialog", "数据库文件已损坏（完整性检查未通过）"),
    "schema": QT_TRANSLATE_NOOP("RestoreDialog", "数据结构版本“%1”不是本程序认识的版本"),
    "audit": QT_TRANSLATE_NOOP("RestoreDialog", "审计日志校验未通过：%1"),
}
STAGE_TEXTS = {
    "copy": QT_TRANSLATE_NOOP("RestoreDialog", "正在复制备份…"),
    "integrity": QT_TRANSLATE_NOOP("RestoreDialog", "正在检查完整性…"),
    "schema": QT_TRANSLATE_NOOP("RestoreDialog", "正在核对数据结构版本…"),
    "audit": QT_TRANSLATE_NOOP("RestoreDialog", "正在校验审计日志…"),
}
REASON_TEXTS = {  # why a recorded restore was not done at start
    "backup.in_use": QT_TRANSLATE_NOOP("RestoreDialog", "数据库仍被其他工作台窗口占用"),
    "backup.missing": QT_TRANSLATE_NOOP(
        "RestoreDialog", "找不到要恢复的备份文件（已被移走或删除）"
    ),
    "backup.changed": QT_TRANSLATE_NOOP("RestoreDialog", "备份文件在检查之后被改动过"),
    "backup.refused": QT_TRANSLATE_NOOP("RestoreDialog", "备份未通过检查"),
    "io": QT_TRANSLATE_NOOP("RestoreDialog", "读写文件出错"),
}


def problem_text(code: str, detail: str) -> str:
    """A check's finding in the interface language (``detail``: the schema version, or the
    audit finding in the service's words)."""
    return _tr(PROBLEM_TEXTS[code]).replace("%1", detail) if code in PROBLEM_TEXTS else detail


class RestoreDialog(QDialog):
    """从备份恢复: the backups (time, size, schema version, check result), 检查 and 恢复….

    ``ask(title, text)`` confirms and ``inform(title, text)`` tells (message boxes; tests
    replace them). ``unsaved()`` names a form with unsaved input ("" when none): the restart
    would lose it, so the restore waits until it is saved or cleared.

    Signals:
        requested(): the restore was recorded; the window restarts to do it.
        progressed(str): a check stage from the worker (queued to the GUI thread).
    """

    requested = Signal()
    progressed = Signal(str)

    def __init__(self, api: RestoreApi, runner: TaskRunner, parent: QWidget | None = None, *,
                 unsaved: Callable[[], str] = lambda: "") -> None:  # fmt: skip
        super().__init__(parent)
        self._api, self._runner, self._unsaved = api, runner, unsaved
        self.infos: list[BackupInfo] = []
        self.checks: dict[Path, BackupCheck] = {}
        self._checking: Path | None = None
        self.ask: Callable[[str, str], bool] = self._ask
        self.inform: Callable[[str, str], None] = self._inform
        self._setup_ui()
        self._connect_signals()
        self.reload()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("从备份恢复"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        self.folder_label = QLabel(self.tr("备份文件夹：%1").replace("%1", str(self._api.folder)))
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.folder_label)
        note = QLabel(self.tr(
            "先选中一个备份并“检查”（完整性、数据结构版本、审计日志），通过后才能恢复。"
            "恢复时工作台重新启动，替换前再检查一遍；现在的数据库另存为备份，不会丢失。"
            "备份之后登记和办理的事项，下次同步时从县级平台取回。"
        ))  # fmt: skip
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("备份时间"), self.tr("大小"), self.tr("数据结构版本"), self.tr("检查结果")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, len(CHECK_STAGES))
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.error = ErrorLabel(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        self.other_button = QPushButton(self.tr("选择其他备份文件…"), self)
        self.check_button = QPushButton(self.tr("检查"), self)
        self.restore_button = QPushButton(self.tr("恢复…"), self)
        self.close_button = QPushButton(self.tr("关闭"), self)
        row.addWidget(self.other_button)
        row.addStretch(1)
        for button in (self.check_button, self.restore_button, self.close_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        self.other_button.setAutoDefault(False)
        layout.addLayout(row)
        self.resize(760, 460)

    def _connect_signals(self) -> None:
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.other_button.clicked.connect(self._on_other_clicked)
        self.check_button.clicked.connect(self.check_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.close_button.clicked.connect(self.reject)
        self.progressed.connect(self._on_progressed)

    # --- the list
    def reload(self) -> None:
        self.status.setText(self.tr("正在读取备份…"))
        self._runner.run(self._api.backups, self._on_listed, self._on_failed, pool="io")

    def _on_listed(self, infos: tuple[BackupInfo, ...]) -> None:
        self.infos = list(infos)
        self._fill()
        if not self.infos:
            self.status.setText(self.tr("备份文件夹中没有备份。可以“选择其他备份文件…”。"))
        else:
            self.status.setText(self.tr("共 %1 个备份").replace("%1", str(len(self.infos))))
            self.table.selectRow(0)
        self._update_buttons()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.infos))
        for r, info in enumerate(self.infos):
            when = f"{info.taken_at:%Y-%m-%d %H:%M:%S}" if info.taken_at else info.path.name
            cells = (when, size_text(info.size), info.schema or self.tr("无法读取"),
                     self._result_text(info.path))  # fmt: skip
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(info.path) if c == 0 else text)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()

    def _result_text(self, path: Path) -> str:
        if path == self._checking:
            return self.tr("正在检查…")
        check = self.checks.get(path)
        if check is None:
            return self.tr("未检查")
        if check.ok:
            return self.tr("通过")
        pairs = zip(check.codes, check.details, strict=False)
        problems = "；".join(problem_text(code, detail) for code, detail in pairs)
        return self.tr("未通过：%1").replace("%1", problems)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.infos[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        info = self.selected()
        busy = self._checking is not None
        self.check_button.setEnabled(info is not None and not busy)
        check = self.checks.get(info.path) if info is not None else None
        self.restore_button.setEnabled(check is not None and check.ok and not busy)
        self.other_button.setEnabled(not busy)

    def _on_other_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择备份文件"), str(self._api.folder),
                                              self.tr("数据库备份 (*.db)"))  # fmt: skip
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path) -> None:
        """A backup from elsewhere (a USB stick…), listed first and selected."""
        known = [i for i in self.infos if i.path.resolve() != path.resolve()]
        self.infos = [self._api.describe(path), *known]
        self._fill()
        self.table.selectRow(0)
        self._update_buttons()

    # --- checking
    def check_selected(self) -> None:
        info = self.selected()
        if info is None or self._checking is not None:
            return
        self._checking = info.path
        self.error.show_error("")
        self.progress.setValue(0)
        self.progress.show()
        self._fill()
        self._update_buttons()
        path, emit = info.path, self.progressed.emit
        # the io worker: checking a large backup takes minutes; saves (db) and PDFs (cpu) go on
        self._runner.run(lambda: self._api.check(path, emit), self._on_checked,
                         self._on_check_failed, pool="io")  # fmt: skip

    def _on_progressed(self, stage: str) -> None:
        if stage in CHECK_STAGES:
            self.progress.setValue(CHECK_STAGES.index(stage))
        self.status.setText(_tr(STAGE_TEXTS[stage]) if stage in STAGE_TEXTS else "")

    def _on_checked(self, check: BackupCheck) -> None:
        self._checking = None
        self.progress.hide()
        self.checks[check.path] = check
        self._fill()
        self._select(check.path)
        if check.ok:
            self.status.setText(self.tr("检查通过：完整性、数据结构版本（%1）和审计日志均正常。"
                                        "可以恢复。").replace("%1", check.schema))  # fmt: skip
        else:
            self.status.setText(self.tr("检查未通过，不能用这个备份恢复。"))
        self._update_buttons()

    def _on_check_failed(self, exc: BaseException) -> None:
        self._checking = None
        self.progress.hide()
        self._fill()
        self._on_failed(exc)
        self._update_buttons()

    def _select(self, path: Path) -> None:
        for r, info in enumerate(self.infos):
            if info.path == path:
                self.table.selectRow(r)

    # --- restoring
    def restore_selected(self) -> None:
        info = self.selected()
        check = self.checks.get(info.path) if info is not None else None
        if info is None or check is None or not check.ok:
            return
        where = self._unsaved()
        if where:
            text = self.tr("“%1”中有尚未保存的内容。恢复时工作台要重新启动，"
                           "请先保存或清空这些内容，再恢复。")  # fmt: skip
            self.inform(self.tr("从备份恢复"), text.replace("%1", where))
            return
        when = f"{info.taken_at:%Y-%m-%d %H:%M}" if info.taken_at else info.path.name
        text = self.tr(
            "用 %1 的备份替换本机数据库？\n\n"
            "工作台将关闭并重新启动，启动时再检查一遍备份，然后替换。"
            "现在的数据库先另存为备份，不会丢失。\n"
            "备份之后登记和办理的事项，下次同步时从县级平台取回。"
        ).replace("%1", when)  # fmt: skip
        if not self.ask(self.tr("从备份恢复"), text):
            return
        self.restore_button.setEnabled(False)
        self._runner.run(lambda: self._api.request(check), self._on_requested, self._on_failed)

    def _on_requested(self, _result: object) -> None:
        self.status.setText(self.tr("已记下要恢复的备份，工作台正在重新启动…"))
        self.accept()
        self.requested.emit()

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ServiceError):
            self.error.show_error(exc.message)
        else:
            log.error("restore dialog: %s", type(exc).__name__, exc_info=exc)
            self.error.show_error(self.tr("出现意外错误，详情已记入日志，数据库未被改动。"))
        self._update_buttons()

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _inform(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)


# --- the restart and the next start ------------------------------------------------------------


def restart_command(argv: list[str] | None = None) -> tuple[str, list[str]]:
    """How to start this workbench again with the same arguments (frozen bundle or script)."""
    args = list(sys.argv if argv is None else argv)
    if getattr(sys, "frozen", False):
        return sys.executable, args[1:]
    return sys.executable, [os.path.abspath(args[0]), *args[1:]]


def start_again(argv: list[str] | None = None) -> bool:
    """Start a new workbench process; it waits for this one to close the database."""
    from PySide6.QtCore import QProcess

    program, arguments = restart_command(argv)
    started = QProcess.startDetached(program, arguments, os.getcwd())
    ok = bool(started[0] if isinstance(started, tuple) else started)
    if not ok:
        log.error("could not start the workbench again after a restore request")
    return ok


def apply_at_start(db: Path, wait: Callable[[threading.Thread], None]) -> RestoreOutcome | None:
    """The recorded restore, before the store opens; ``wait`` keeps the window painted while
    the worker thread checks and replaces (a check of a large backup takes minutes)."""
    from services.backup.pending import apply_pending, read_pending

    if read_pending(db) is None:
        return None
    box: list[RestoreOutcome | None] = [None]
    failure: list[BaseException] = []

    def work() -> None:
        try:
            box[0] = apply_pending(db)
        except Exception as exc:  # re-raised below, on the GUI thread
            failure.append(exc)

    thread = threading.Thread(target=work, daemon=True, name="restore")
    thread.start()
    wait(thread)
    if failure:
        raise failure[0]
    return box[0]


def outcome_text(outcome: RestoreOutcome) -> str:
    """What the user is told after the start that ran a recorded restore."""
    when = outcome.pending.backup.name
    if outcome.ok:
        kept = outcome.kept.name if outcome.kept is not None else ""
        text = QCoreApplication.translate(
            "RestoreDialog",
            "已从备份 %1 恢复本机数据库（数据结构版本 %2）。原来的数据库已另存为备份 %3。"
            "下次同步时将从县级平台重新取回本乡镇的全部数据，备份之后登记和办理的事项会回到本机。",
        )
        return text.replace("%1", when).replace("%2", outcome.pending.schema).replace("%3", kept)
    code = outcome.code
    reason = _tr(REASON_TEXTS[code]) if code in REASON_TEXTS else outcome.message
    text = QCoreApplication.translate(
        "RestoreDialog",
        "未从备份 %1 恢复：%2。本机数据库保持原样，没有任何改动；"
        "可以在“文件 → 从备份恢复…”中重新检查后再试。",
    )
    return text.replace("%1", when).replace("%2", reason)
