"""Main window: navigation between the screens, the change bridge and the status bar."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.menus import MenuBar, ShortcutsDialog
from desktop.settings import Settings
from ui.i18n import QT_TRANSLATE_NOOP, message, vocab
from ui.screen_fit import fit_to_screen, restore_geometry, scrolling

if TYPE_CHECKING:  # the screens import the services (SQLAlchemy): loaded after the window shows
    from desktop.demo_fill import DemoFiller
    from desktop.restore import RestoreDialog
    from desktop.session import SessionController
    from services.api import Workbench
    from services.rooms.service import RoomService
    from services.setup.pc import StatusInfo
    from ui.tasks import TaskRunner
    from views.cases.case_file import CaseFileView
    from views.cases.ledger_view import LedgerView
    from views.dashboard.view import DashboardApi, DashboardView
    from views.reception.view import ReceptionView
    from views.rooms.view import RoomsView
    from views.settings.fonts import FontsApi
    from views.settings.view import HubSettingsApi, SettingsView
    from views.slips.api import SlipsApi
    from views.slips.issue_dialog import IssueSlipDialog
    from views.slips.view import SlipsView
    from views.sync.view import SyncServiceLike, SyncView

SCREENS = (
    ("reception", QT_TRANSLATE_NOOP("MainWindow", "接待登记")),
    ("ledger", QT_TRANSLATE_NOOP("MainWindow", "案件台账")),
    ("case", QT_TRANSLATE_NOOP("MainWindow", "案件详情")),
    ("rooms", QT_TRANSLATE_NOOP("MainWindow", "调解室")),
    ("slips", QT_TRANSLATE_NOOP("MainWindow", "文书")),
    ("dashboard", QT_TRANSLATE_NOOP("MainWindow", "统计")),
    ("sync", QT_TRANSLATE_NOOP("MainWindow", "同步")),
    ("settings", QT_TRANSLATE_NOOP("MainWindow", "设置")),
)

log = logging.getLogger(__name__)


class AppEvents(QObject):
    """The bridge from service results to every open view (STYLE rule 10).

    Signals:
        changed(object): a :class:`services.domain.dto.Changes` from any view.
    """

    changed = Signal(object)


def placeholder(text: str) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    label = QLabel(text, page)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555; font-size: 14pt;")
    layout.addWidget(label)
    return page


class _LockMinutes:
    """The idle screen-lock minutes: the running watcher and the saved settings."""

    def __init__(self, settings: Settings, session: SessionController) -> None:
        self._settings, self._session = settings, session

    def lock_minutes(self) -> int:
        return self._session.idle.minutes

    def set_lock_minutes(self, minutes: int) -> None:
        self._settings.lock_minutes = minutes
        self._session.idle.set_minutes(minutes)


class _AuditApi:
    """The audit queries over this window's services (the screen for directors)."""

    def __init__(self, services: Any) -> None:
        self._services = services

    def search(self, query: Any) -> tuple[Any, ...]:
        from services.audit.query import search_audit

        return search_audit(self._services.ctx, query)

    def export_csv(self, query: Any, header: Any, cells: Any) -> bytes:
        from services.audit.query import export_audit_csv

        return export_audit_csv(self._services.ctx, query, header, cells)

    def users(self) -> tuple[Any, ...]:
        return tuple(self._services.users())


def issue_receipt(slips: SlipsApi, case_id: str, handler: str) -> tuple[str, object | None]:
    """The case's 受理回执: (slip id, the IssueResult when issued now, None when it already had
    one). 受理人 is ``handler`` (the signed-in user) unless the form already names someone."""
    from services.slips.dto import IssueRequest, SlipQuery

    issued = slips.search(SlipQuery(kind="acceptance", case_id=case_id, include_voided=False))
    if issued:
        return issued[0].id, None
    form = slips.form(case_id, "acceptance")
    values = dict(form.values)
    if not values.get("handler") and handler:
        values["handler"] = handler
    result = slips.issue(IssueRequest(case_id, "acceptance", values))
    return result.slip.id, result


class MainWindow(QMainWindow):
    """The shell (主窗口): shown first, with the screens attached once the data is open."""

    def __init__(self, settings: Settings,
                 save_settings: Callable[[Settings], None] | None = None) -> None:  # fmt: skip
        super().__init__()
        self._settings = settings
        self._save = save_settings
        self.events = AppEvents(self)
        self.pages: dict[str, QWidget] = {}
        self.attached = False
        self.demo_filler: DemoFiller | None = None  # the demo's cases being made (--demo)
        self.session: SessionController | None = None  # set by desktop.app before attach
        # desktop.app turns this on for the real window; a test's window closes without asking.
        self.ask_on_close = False
        self.restart_requested = False  # desktop.app starts the workbench again after closing
        self.restore_dialog: RestoreDialog | None = None
        from ui import i18n

        self._language = i18n.current()  # what the texts on screen are in (retranslateUi)
        self._retranslate_pending = False
        self._setup_frame()

    @classmethod
    def build(cls, services: Workbench, runner: TaskRunner, settings: Settings,
              save_settings: Callable[[Settings], None] | None = None,
              extra_views: dict[str, QWidget] | None = None,
              slips: SlipsApi | None = None) -> MainWindow:  # fmt: skip
        """Frame and screens at once (tests, screenshot mode)."""
        window = cls(settings, save_settings)
        window.attach(services, runner, slips=slips, extra_views=extra_views)
        return window

    def _setup_frame(self) -> None:
        self.setWindowTitle(self.tr("综治中心工作台"))
        self.resize(1366, 800)
        fit_to_screen(self)  # 1366×768 less the taskbar, or 1920×1080 at 150%: never off-screen
        if self._settings.geometry:  # only if it still fits this PC's screen
            restore_geometry(self, QByteArray.fromBase64(self._settings.geometry.encode()))
        central = QWidget(self)
        layout = QHBoxLayout(central)
        self.nav = QListWidget(central)
        self.nav.setFixedWidth(130)
        self.nav.setStyleSheet(
            "QListWidget { font-size: 12pt; } QListWidget::item { padding: 8px; }"
        )
        self.stack = QStackedWidget(central)
        self.stack.addWidget(placeholder(self.tr("正在打开数据…")))
        for _key, _name in SCREENS:
            self.nav.addItem("")
        self._name_screens()
        self.nav.setEnabled(False)
        self.menu = MenuBar(self, SCREENS, self.pages.get, self.show_screen, self._command,
                            self.allows)  # fmt: skip
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        bar = self.statusBar()
        self.user_label, self.township_label = QLabel(self), QLabel(self)
        self.fresh_label, self.clock_label = QLabel(self), QLabel(self)
        for label in (self.user_label, self.township_label, self.fresh_label, self.clock_label):
            bar.addPermanentWidget(label)
        self._clock = QTimer(self)
        self._clock.setInterval(15_000)
        self._clock.timeout.connect(self._tick)
        self._tick()
        self._clock.start()

    def _name_screens(self) -> None:
        for i, (_key, name) in enumerate(SCREENS):
            self.nav.item(i).setText(self.tr(name))
            self.nav.item(i).setToolTip(self.tr("%1（Alt+%2）").replace("%1", self.tr(name))
                                        .replace("%2", str(i + 1)))  # fmt: skip
        font = QFont(self.nav.font())
        font.setPointSize(12)  # the list's style sheet; English names are wider than Chinese ones
        metrics = QFontMetrics(font)
        widest = max(
            metrics.horizontalAdvance(self.nav.item(i).text()) for i in range(len(SCREENS))
        )
        self.nav.setFixedWidth(max(130, widest + 40))

    # --- language
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and not self._retranslate_pending:
            # one LanguageChange per translator removed or installed: act once they are all in
            self._retranslate_pending = True
            QTimer.singleShot(0, self, self.retranslateUi)  # dropped if the window is gone
        super().changeEvent(event)

    def retranslateUi(self) -> None:  # noqa: N802 (Qt's name)
        """Every open window in the language just installed (设置 → 界面语言)."""
        from ui import i18n

        self._retranslate_pending = False
        old, new = self._language, i18n.current()
        if old == new:
            return
        self._language = new
        self.setWindowTitle(self.tr("综治中心工作台"))
        self._name_screens()
        self.menu.retranslate()
        self.menu.unlabel_buttons()
        i18n.Retranslator(old, new).apply(QApplication.topLevelWidgets())
        if self.attached:
            self.menu.label_buttons()
        if not self.attached:
            return
        for page in self.pages.values():  # counts, dates and names made again in the new words
            refresh = getattr(page, "refresh", None)
            if callable(refresh):
                refresh()
        self.refresh_status()

    def set_language(self, language: str) -> None:
        """设置 → 界面语言: switch now and remember it for the next start."""
        from ui import i18n

        if i18n.switch(language):
            self._settings.language = i18n.current()
            if self._save is not None:
                self._save(self._settings)

    def attach(self, services: Workbench, runner: TaskRunner, *, slips: SlipsApi | None = None,
               extra_views: dict[str, QWidget] | None = None, sync: SyncServiceLike | None = None,
               hub: HubSettingsApi | None = None, sync_auto: bool = True,
               rooms: RoomService | None = None,
               statistics: DashboardApi | None = None,
               fonts: FontsApi | None = None) -> None:  # fmt: skip
        """Build the screens over the services and show the last screen.

        Background work (overdue scan, missed sessions, county sync) runs in the controllers of
        :mod:`desktop.controllers`, not in a screen; ``sync_auto`` starts the sync timer.
        """
        from desktop.controllers import BackgroundJobs, ChangeBridge, SyncController
        from views.cases.case_file import CaseFileView
        from views.cases.ledger_view import LedgerView
        from views.reception.view import ReceptionView
        from views.settings.view import SettingsView

        self._services, self._runner, self._slips = services, runner, slips
        self.slips_api = slips
        self._receipt_flow: Any = None
        self._rooms = rooms
        self._sync = sync
        self.services, self.runner = services, runner
        self._extra = extra_views or {}
        today = rooms.today_panel if rooms is not None else None
        self.reception: ReceptionView = ReceptionView(services, runner, today=today)
        self.ledger: LedgerView = LedgerView(services, runner)
        mediation = rooms.case_mediation if rooms is not None else None
        self.case_file: CaseFileView = CaseFileView(services, runner, mediation=mediation)
        session = self.session
        self.settings_view: SettingsView = SettingsView(
            services, runner, services.now().date(), hub=hub,
            users=session.auth if session is not None else None,
            lock=_LockMinutes(self._settings, session) if session is not None else None,
            audit=_AuditApi(services) if session is not None else None, fonts=fonts,
        )  # fmt: skip
        built: dict[str, QWidget] = {
            "reception": self.reception,
            "ledger": self.ledger,
            "case": self.case_file,
            "settings": self.settings_view,
        }
        self.slips_view: SlipsView | None = None
        if slips is not None:
            from views.slips.view import SlipsView

            self.slips_view = SlipsView(slips, runner, now=services.now)
            built["slips"] = self.slips_view
        self.rooms_view: RoomsView | None = None
        if rooms is not None:
            from views.rooms.view import RoomsView

            self.rooms_view = RoomsView(rooms, runner)
            built["rooms"] = self.rooms_view
        self.dashboard_view: DashboardView | None = None
        if statistics is not None:
            from views.dashboard.view import DashboardView

            self.dashboard_view = DashboardView(statistics, runner, now=services.now)
            built["dashboard"] = self.dashboard_view
        self.sync_view: SyncView | None = None
        if sync is not None:
            from views.sync.view import SyncView

            self.sync_view = SyncView(sync, runner)
            built["sync"] = self.sync_view
        self.bridge = ChangeBridge(services.ctx.feed, self)
        expire = rooms.expire_overdue if rooms is not None else None
        self.jobs = BackgroundJobs(runner, services.run_overdue_scan, expire, parent=self)
        self.sync_controller: SyncController | None = None
        if sync is not None:
            self.sync_controller = SyncController(sync, runner, parent=self)
        self._sync_auto = sync_auto
        built.update(self._extra)
        loading = self.stack.widget(0)
        if loading is not None:
            self.stack.removeWidget(loading)
            loading.deleteLater()
        for key, name in SCREENS:
            page = built.get(key) or placeholder(
                self.tr("“%1”尚未开放，将在后续版本中提供。").replace("%1", self.tr(name))
            )
            self.pages[key] = page
            self.stack.addWidget(scrolling(page, self.stack))  # a small screen scrolls, never clips
        self.nav.setEnabled(True)
        self.attached = True
        self.menu.label_buttons()
        self._connect_signals()
        self._restore()

    def _connect_signals(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        views: tuple[QWidget, ...] = (
            self.reception,
            self.ledger,
            self.case_file,
            self.settings_view,
        )
        if self.rooms_view is not None:
            views = (*views, self.rooms_view)
        if self.dashboard_view is not None:
            views = (*views, self.dashboard_view)
            self.dashboard_view.ledger_requested.connect(self.open_ledger_on)
        for view in (*views, *self._extra.values()):
            signal = getattr(view, "changed", None)
            if signal is not None:
                signal.connect(self.events.changed)
            slot = getattr(view, "on_changes", None)
            if slot is not None:
                self.events.changed.connect(slot)
        if self.slips_view is not None:  # a void or a print changes the case's slips
            self.slips_view.slips_changed.connect(self.events.changed)
        self.events.changed.connect(self._on_events_changed)
        self.bridge.changed.connect(self.events.changed)  # background jobs, sync pulls
        self.jobs.changed.connect(self.events.changed)
        self.jobs.failed.connect(self.statusBar().showMessage)
        self.settings_view.language_chosen.connect(self.set_language)
        self._wire_session()
        self.ledger.case_opened.connect(self.open_case)
        self.reception.case_opened.connect(self.open_case)
        self.case_file.slip_requested.connect(self.issue_slip)
        self.case_file.booking_requested.connect(self.book_for_case)
        self.case_file.booking_opened.connect(self.show_booking)
        self.reception.receipt_requested.connect(self.print_receipt)
        if self.sync_view is not None:
            self.sync_view.status_changed.connect(self._on_sync_status)
            if self.sync_controller is not None:
                from desktop.controllers import wire_sync_view

                wire_sync_view(self.sync_view, self.sync_controller)

    def _wire_session(self) -> None:
        """切换用户 / 修改密码 / 锁定 in the status bar (Ctrl+L locks) when someone signed in."""
        session = self.session
        if session is None:
            return
        from PySide6.QtWidgets import QPushButton

        bar = self.statusBar()
        for text, slot in ((self.tr("切换用户"), session.switch_user),
                           (self.tr("修改密码"), session.change_password),
                           (self.tr("锁定"), session.lock)):  # fmt: skip
            button = QPushButton(text, self)
            button.setFlat(True)
            button.clicked.connect(lambda _c=False, slot=slot: slot())
            bar.addPermanentWidget(button)
        QShortcut(QKeySequence("Ctrl+L"), self).activated.connect(session.lock)
        session.user_changed.connect(self._on_user_changed)

    def _on_user_changed(self, principal: Any) -> None:
        from services.domain.dto import Changes

        self._settings.last_username = getattr(principal, "username", "")
        self.refresh_status()
        self.events.changed.emit(Changes(case_ids=frozenset({"*"})))

    def _restore(self) -> None:
        self.show_screen(self._settings.last_screen)
        self._on_nav_current_row_changed(self.nav.currentRow())
        self.jobs.start()
        if self.sync_controller is not None and self._sync_auto:
            self.sync_controller.start()
        self.refresh_status()

    # --- navigation
    def show_screen(self, key: str) -> None:
        keys = [k for k, _ in SCREENS]
        self.nav.setCurrentRow(keys.index(key) if key in keys else 0)

    def current_screen(self) -> str:
        return SCREENS[max(0, self.nav.currentRow())][0]

    def _on_nav_current_row_changed(self, row: int) -> None:
        if row < 0 or not self.attached:
            return
        self.stack.setCurrentIndex(row)
        self._settings.last_screen = SCREENS[row][0]

    def open_ledger_on(self, filt: object, label: str) -> None:
        """Show the ledger filtered to a figure's cases (from the 统计 screen)."""
        self.ledger.show_filter(filt, label)  # type: ignore[arg-type]
        self.show_screen("ledger")

    def open_case(self, case_id: str) -> None:
        self.case_file.open_case(case_id)
        self.show_screen("case")

    def book_for_case(self, case_id: str) -> None:
        """预约调解 from the case file: the booking dialog, with the case's parties."""
        if self.rooms_view is None:
            QMessageBox.information(self, self.tr("调解室"), self.tr("调解室功能未启用"))
            return
        self.show_screen("rooms")
        self.rooms_view.open_booking(None, "", case_id=case_id)

    def show_booking(self, booking_id: str, start: object) -> None:
        """A booking or session listed in the case file, shown in the 调解室 calendar."""
        if self.rooms_view is None or not isinstance(start, dt.datetime):
            return
        self.show_screen("rooms")
        self.rooms_view.go_to(start.date())
        self.rooms_view.select_booking(booking_id)

    def issue_slip(self, case_id: str, kind: str = "") -> IssueSlipDialog | None:
        """Open the slip dialog for a case (from the case file or the reception receipt)."""
        if self._slips is None:
            QMessageBox.information(self, self.tr("文书"), self.tr("文书功能未启用"))
            return None
        from views.slips.issue_dialog import IssueSlipDialog

        principal = getattr(self._services.ctx, "principal", None)
        handler = getattr(principal, "display_name", "") or ""
        dialog = IssueSlipDialog(self._slips, self._runner, case_id, kind=kind or None,
                                 parent=self, handler=handler)  # fmt: skip
        dialog.slip_issued.connect(self._on_slip_issued)
        self.slip_dialog = dialog
        dialog.open()
        return dialog

    def print_receipt(self, case_id: str) -> None:
        """打印回执 (Ctrl+P in reception): the case's 受理回执 straight to the printer, signed by
        the user at the desk (受理人); an already issued receipt is printed again (补打). Only a
        receipt the service refuses opens the full 签发文书 dialog."""
        slips = self._slips
        if slips is None:
            QMessageBox.information(self, self.tr("文书"), self.tr("文书功能未启用"))
            return
        principal = getattr(self._services.ctx, "principal", None)
        handler = getattr(principal, "display_name", "") or ""
        self._runner.run(lambda: issue_receipt(slips, case_id, handler),
                         lambda result: self._print_receipt(case_id, result),
                         lambda exc: self._receipt_refused(case_id, exc))  # fmt: skip

    def _receipt_refused(self, case_id: str, exc: BaseException) -> None:
        """The receipt could not be issued as it stands (a required field the case lacks…): the
        full dialog, where the clerk sees why and completes it."""
        log.info("receipt not issued directly (%s): issue dialog opened", type(exc).__name__)
        self.issue_slip(case_id, "acceptance")

    def _print_receipt(self, case_id: str, result: tuple[str, object | None]) -> None:
        slip_id, issued = result
        if issued is not None:
            self._on_slip_issued(issued)
        if self._receipt_flow is None:
            from views.slips.print_flow import SlipPrintFlow

            self._receipt_flow = SlipPrintFlow(self._slips, self._runner, self)  # type: ignore[arg-type]
            self._receipt_flow.message.connect(self.statusBar().showMessage)
        self._receipt_flow.print_slips([slip_id])

    def _on_slip_issued(self, result: object) -> None:
        changes = getattr(result, "changes", None)
        if changes is not None:
            self.events.changed.emit(changes)
        if self.slips_view is not None:
            self.slips_view.refresh()

    # --- status bar
    def _tick(self) -> None:
        self.clock_label.setText(f"{dt.datetime.now():%Y-%m-%d %H:%M}")

    def refresh_status(self) -> None:
        self._runner.run(self._services.status, self._show_status, self._on_status_failed)

    def _on_status_failed(self, exc: BaseException) -> None:
        log.warning("status bar figures could not be read", exc_info=exc)
        self.fresh_label.setText(self.tr("状态暂时无法读取，详情见日志"))

    def _show_status(self, status: StatusInfo) -> None:
        name = status.user_name or "—"
        if name.endswith("）") and "（" in name:  # 刘主任（中心主任）: the role in the UI language
            person, role = name[:-1].rsplit("（", 1)
            name = self.tr("%1（%2）").replace("%1", person).replace("%2", vocab(role))
        self.user_label.setText(self.tr("用户：%1").replace("%1", name))
        self.township_label.setText(f"{status.township_name}（{status.township_code}）")
        if getattr(self, "_sync_status", None) is not None:
            return  # the sync service reports freshness itself
        sync = (self.tr("上次同步 %1").replace("%1", f"{status.last_sync:%m-%d %H:%M}")
                if status.last_sync else self.tr("尚未与县级平台同步"))  # fmt: skip
        self.fresh_label.setText(self.tr("%1 · 待同步 %2 条").replace("%1", sync)
                                 .replace("%2", str(status.pending_changes)))  # fmt: skip

    def _on_sync_status(self, status: Any) -> None:
        """Data freshness from the sync service (上次同步、待上传、冲突、隔离)."""
        self._sync_status = status
        last = (self.tr("上次同步 %1").replace("%1", f"{status.last_success_at:%m-%d %H:%M}")
                if status.last_success_at else self.tr("尚未与县级平台同步"))  # fmt: skip
        from views.sync.view import is_configured

        if not is_configured(self._sync):
            last = self.tr("未配置县级平台")
        parts = [last, self.tr("待同步 %1 条").replace("%1", str(status.pending))]
        if status.conflicts:
            parts.append(self.tr("冲突 %1").replace("%1", str(status.conflicts)))
        if status.quarantined:
            parts.append(self.tr("隔离 %1").replace("%1", str(status.quarantined)))
        if getattr(status, "clock_warning", False):  # off from the hub's, or refused for it
            parts.append(self.tr("本机时钟不准，请校准本机时间"))
        if status.state == "offline":
            parts.append(self.tr("离线，稍后重试"))
        elif status.state in ("error", "refused") and is_configured(self._sync):
            parts.append(self.tr("同步出错：%1").replace("%1", message(status.message)))
        self.fresh_label.setText(" · ".join(parts))

    def _on_events_changed(self, _changes: Any) -> None:
        self.refresh_status()
        if self._sync is not None:  # 待同步 counts at once, not at the next sync (300 s)
            self._runner.run(self._sync.status, self._on_sync_status, lambda _e: None)

    def confirm_close(self, where: str) -> bool:
        """Ask before a half-filled form is thrown away; True to close anyway."""
        from ui.guard import ask_discard

        text = self.tr("“%1”中有尚未保存的内容。关闭程序将丢弃这些内容，确定关闭吗？")
        return ask_discard(self, text.replace("%1", where))

    def show_notice(self, text: str) -> None:
        if text:
            QMessageBox.information(self, self.tr("提示"), text)

    # --- menu commands
    def _command(self, name: str) -> Callable[[], Any] | None:
        from desktop import commands

        if name == "close":
            return self.close
        command = getattr(commands, name, None)
        return (lambda: command(self)) if callable(command) else None

    def allows(self, permission: str) -> bool:
        """Whether the signed-in user holds ``permission`` (roles.json)."""
        return self.attached and self.services.ctx.allows(permission)

    def open_restore_dialog(self) -> RestoreDialog | None:
        """从备份恢复…: the backups of the folder set in 设置, checked, restored at a restart."""
        dialog = self.make_restore_dialog()
        if dialog is not None:
            dialog.open()
        return dialog

    def make_restore_dialog(self) -> RestoreDialog | None:
        from desktop.restore import LocalRestore, RestoreDialog, backup_folder

        path = self.services.ctx.store.path
        if path is None:
            return None
        folder = backup_folder(path, self._settings.backup_folder)
        api = LocalRestore(self.services.ctx, path, folder)
        dialog = RestoreDialog(api, self.runner, self, unsaved=self.unsaved_input)
        dialog.requested.connect(self.restart)
        self.restore_dialog = dialog
        return dialog

    def restart(self) -> None:
        """Close, then start again (a recorded restore is done before the data opens)."""
        self.restart_requested = True
        if not self.close():
            self.restart_requested = False

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(SCREENS, self)
        dialog.open()
        return dialog

    def unsaved_input(self) -> str:
        """What would be lost by closing now ("" when nothing)."""
        # An open 签发文书 dialog is window-modal (the window cannot be closed under it) and
        # asks itself on Esc/关闭.
        if self.attached and self.reception.form.has_input():
            return self.tr("接待登记")
        return ""

    def closeEvent(self, event: QCloseEvent) -> None:
        where = self.unsaved_input() if self.ask_on_close else ""
        if where and not self.confirm_close(where):
            event.ignore()
            return
        self._settings.geometry = bytes(self.saveGeometry().toBase64().data()).decode()
        if self._save is not None:
            self._save(self._settings)
        super().closeEvent(event)
