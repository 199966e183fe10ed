"""Settings (设置): this PC, the holiday schedule that deadlines follow, and the users."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.cases.schedule import CalendarYear
from services.domain.deadlines import parse_calendar_text
from services.domain.dto import Changes
from services.domain.errors import ValidationError
from services.setup.pc import DeviceInfo, UserInfo
from ui.forms import ErrorLabel
from ui.i18n import QT_TRANSLATE_NOOP
from ui.tasks import TaskRunner
from views.messages import error_text
from views.settings.audit import AuditApi, AuditPanel
from views.settings.fonts import FontsApi, FontsPanel
from views.settings.users import LockApi, UsersApi, UsersPanel

ROLES = {"admin": QT_TRANSLATE_NOOP("SettingsView", "系统管理员"),
         "director": QT_TRANSLATE_NOOP("SettingsView", "中心主任"),
         "receptionist": QT_TRANSLATE_NOOP("SettingsView", "接待员"),
         "mediator": QT_TRANSLATE_NOOP("SettingsView", "调解员"),
         "county": QT_TRANSLATE_NOOP("SettingsView", "县级用户")}  # fmt: skip
EXAMPLE = QT_TRANSLATE_NOOP(
    "SettingsView", "日期,类型,名称\n2027-01-01,休,元旦\n2027-02-06,班,调休上班"
)


@dataclass(frozen=True)
class HubInfo:
    """How this PC reaches the county hub (县级平台)."""

    url: str
    ca_bundle: str
    has_token: bool
    keyring_message: str  # Chinese note when no keyring backend is available


class HubSettingsApi(Protocol):
    def hub_info(self) -> HubInfo: ...

    def save_hub(self, url: str, ca_bundle: str, token: str) -> HubInfo: ...


class SettingsServices(Protocol):
    def device_info(self) -> DeviceInfo: ...

    def calendar_years(self, years: tuple[int, ...]) -> tuple[CalendarYear, ...]: ...

    def import_schedule(self, text: str, complete_years: tuple[int, ...]) -> int: ...

    def users(self) -> tuple[UserInfo, ...]: ...


class SettingsView(QWidget):
    """This PC, the holiday schedule and the users.

    Signals:
        changed(object): a :class:`Changes` after a schedule import (deadlines recomputed).
    """

    changed = Signal(object)
    language_chosen = Signal(str)

    def __init__(
        self, services: SettingsServices, runner: TaskRunner, today: dt.date,
        parent: QWidget | None = None, *, hub: HubSettingsApi | None = None,
        users: UsersApi | None = None, lock: LockApi | None = None,
        audit: AuditApi | None = None, fonts: FontsApi | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._services, self._runner, self._today = services, runner, today
        self._hub = hub
        self.users_panel: UsersPanel | None = (
            UsersPanel(users, runner, lock, self) if users else None
        )
        self.audit_panel: AuditPanel | None = AuditPanel(audit, runner, self) if audit else None
        self.fonts_panel: FontsPanel | None = FontsPanel(fonts, runner, self) if fonts else None
        self._setup_ui()
        self._connect_signals()
        self.reload()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        device = QGroupBox(self.tr("本机信息"), self)
        form = QFormLayout(device)
        self.township, self.device, self.database = QLabel(self), QLabel(self), QLabel(self)
        form.addRow(self.tr("乡镇（街道）"), self.township)
        form.addRow(self.tr("本机编号"), self.device)
        form.addRow(self.tr("数据文件"), self.database)
        from ui.i18n import LANGUAGES, current

        self.language = QComboBox(self)
        for code, name in LANGUAGES.items():  # each language named in itself
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current())))
        self.language.setToolTip(self.tr("界面语言，切换后立即生效"))
        form.addRow(self.tr("界面语言"), self.language)
        calendar = QGroupBox(self.tr("节假日安排（办理期限按工作日计算）"), self)
        box = QVBoxLayout(calendar)
        self.years = QLabel(self)
        self.years.setWordWrap(True)
        box.addWidget(self.years)
        box.addWidget(QLabel(self.tr("粘贴或导入国务院办公厅公布的放假安排，每行：日期,类型(休/班),名称"),
                             self))  # fmt: skip
        self.schedule = QPlainTextEdit(self)
        self.schedule.setPlaceholderText(self.tr(EXAMPLE))
        self.schedule.setFixedHeight(120)
        box.addWidget(self.schedule)
        row = QHBoxLayout()
        self.complete = QCheckBox(self)
        self.complete.setChecked(True)
        self._show_complete_years()
        self.schedule.textChanged.connect(self._show_complete_years)
        self.import_button = QPushButton(self.tr("导入"), self)
        self.file_button = QPushButton(self.tr("从文件读取…"), self)
        row.addWidget(self.complete)
        row.addStretch(1)
        row.addWidget(self.file_button)
        row.addWidget(self.import_button)
        box.addLayout(row)
        self.message = QLabel(self)
        self.error = ErrorLabel(self)
        box.addWidget(self.message)
        box.addWidget(self.error)
        hub = QGroupBox(self.tr("县级平台（同步）"), self)
        hform = QFormLayout(hub)
        self.hub_url = QLineEdit(self)
        self.hub_url.setPlaceholderText("https://zzpt.example.gov.cn:8443")
        self.ca_bundle = QLineEdit(self)
        self.ca_bundle.setPlaceholderText(self.tr("县综治中心提供的 CA 证书文件（可不填）"))
        self.token = QLineEdit(self)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("县级管理员发放的设备令牌（保存在系统凭据管理器中）"))
        self.hub_save = QPushButton(self.tr("保存连接设置"), self)
        self.hub_message = QLabel(self)
        self.hub_message.setWordWrap(True)
        hform.addRow(self.tr("平台地址"), self.hub_url)
        hform.addRow(self.tr("CA 证书"), self.ca_bundle)
        hform.addRow(self.tr("设备令牌"), self.token)
        hform.addRow("", self.hub_save)
        hform.addRow("", self.hub_message)
        hub.setVisible(self._hub is not None)
        users = QGroupBox(self.tr("用户"), self)
        ubox = QVBoxLayout(users)
        self.users = QListWidget(self)
        self.users.setMaximumHeight(140)
        ubox.addWidget(self.users)
        layout.addWidget(device)
        layout.addWidget(calendar)
        layout.addWidget(hub)
        layout.addWidget(users)
        if self.users_panel is not None:
            layout.addWidget(self.users_panel)
        if self.fonts_panel is not None:
            layout.addWidget(self.fonts_panel)
        if self.audit_panel is not None:
            layout.addWidget(self.audit_panel)
        layout.addStretch(1)

    def _connect_signals(self) -> None:
        self.import_button.clicked.connect(self._on_import_clicked)
        self.file_button.clicked.connect(self._on_file_clicked)
        self.hub_save.clicked.connect(self._on_hub_save_clicked)
        self.language.activated.connect(
            lambda i: self.language_chosen.emit(str(self.language.itemData(i)))
        )

    def reload(self) -> None:
        self._runner.run(self._services.device_info, self._show_device, self._on_failed)
        years = (self._today.year, self._today.year + 1)
        self._runner.run(lambda: self._services.calendar_years(years), self._show_years,
                         self._on_failed)  # fmt: skip
        self._runner.run(self._services.users, self._show_users, self._on_failed)
        if self.users_panel is not None:
            self.users_panel.reload()
        if self.audit_panel is not None:
            self.audit_panel.reload()
        if self.fonts_panel is not None:
            self.fonts_panel.reload()
        if self._hub is not None:
            self._runner.run(self._hub.hub_info, self._show_hub, self._on_hub_failed)

    def refresh(self) -> None:
        """F5, and after a language switch: everything on this screen read again."""
        self.reload()

    def on_changes(self, changes: Changes) -> None:
        """Another user signed in (``*``): what they may manage differs."""
        if "*" in changes.case_ids and self.users_panel is not None:
            self.users_panel.reload()
        if "*" in changes.case_ids and self.audit_panel is not None:
            self.audit_panel.reload()
        if "*" in changes.case_ids and self.fonts_panel is not None:
            self.fonts_panel.reload()

    def _show_hub(self, info: HubInfo) -> None:
        self.hub_url.setText(info.url)
        self.ca_bundle.setText(info.ca_bundle)
        self.token.clear()
        if info.keyring_message:
            text = info.keyring_message
        elif not info.url:
            text = self.tr("尚未设置县级平台地址：本机数据只保存在本机")
        else:
            text = self.tr("设备令牌已保存") if info.has_token else self.tr("尚未保存设备令牌")
        self.hub_message.setText(text)

    def _on_hub_failed(self, exc: BaseException) -> None:
        self.hub_message.setText(error_text(exc))

    def _on_hub_save_clicked(self) -> None:
        hub = self._hub
        if hub is None:
            return
        url, ca, token = self.hub_url.text(), self.ca_bundle.text(), self.token.text()
        self._runner.run(lambda: hub.save_hub(url, ca, token), self._show_hub,
                         self._on_hub_failed)  # fmt: skip

    def _show_device(self, info: DeviceInfo) -> None:
        self.township.setText(f"{info.township_name}（{info.township_code}）")
        self.device.setText(info.device_id)
        self.database.setText(info.database)

    def _show_years(self, years: tuple[CalendarYear, ...]) -> None:
        lines = []
        for y in years:
            if y.source == "package":
                text = self.tr("%1 年：已内置官方安排")
            elif y.source == "imported":
                text = self.tr("%1 年：已导入官方安排")
            else:
                text = self.tr("%1 年：尚未导入，期限按周一至周五临时计算，导入后自动更正")
            lines.append(text.replace("%1", str(y.year)))
        self.years.setText("\n".join(lines))

    def _show_users(self, users: tuple[UserInfo, ...]) -> None:
        self.users.clear()
        for u in users:
            self.users.addItem(
                f"{u.display_name}（{u.username}）  {self.tr(ROLES.get(u.role, u.role))}"
            )

    def _on_failed(self, exc: BaseException) -> None:
        self.error.show_error(error_text(exc))

    def _on_file_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择放假安排文件"), "",
                                              "CSV (*.csv *.txt)")  # fmt: skip
        if path:
            raw = Path(path).read_bytes()
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    self.schedule.setPlainText(raw.decode(encoding))
                    break
                except UnicodeDecodeError:
                    continue

    def _years_in_text(self) -> tuple[int, ...]:
        """The years the pasted schedule has days of (none while it does not parse)."""
        try:
            entries = parse_calendar_text(self.schedule.toPlainText())
        except ValidationError:
            return ()
        return tuple(sorted({e.day.year for e in entries}))

    def _show_complete_years(self) -> None:
        years = self._years_in_text() or (self._today.year + 1,)
        self.complete.setText(self.tr("这是 %1 年完整的放假安排").replace(
            "%1", "、".join(str(y) for y in years)))  # fmt: skip

    def _on_import_clicked(self) -> None:
        text = self.schedule.toPlainText()
        # "complete" marks exactly the years the schedule holds, never a year it lacks
        complete = self._years_in_text() if self.complete.isChecked() else ()
        self.error.show_error("")
        self.import_button.setEnabled(False)

        def done(count: int) -> None:
            self.import_button.setEnabled(True)
            self.message.setText(self.tr("已导入 %1 天，在办案件的期限已重新计算").replace(
                "%1", str(count)))  # fmt: skip
            self.schedule.clear()
            self.reload()
            self.changed.emit(Changes(case_ids=frozenset({"*"}), reference=True))

        def failed(exc: BaseException) -> None:
            self.import_button.setEnabled(True)
            self._on_failed(exc)

        self._runner.run(lambda: self._services.import_schedule(text, complete), done, failed)
