"""文书字体: which font each role of the printed documents uses, chosen by the director."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QWidget,
)

from reports.fonts import ROLES, RoleFont
from services.domain.errors import ServiceError
from ui.i18n import vocab
from ui.tasks import TaskRunner
from views.messages import error_text


class FontsApi(Protocol):
    """``desktop.fonts.SlipFonts``."""

    def may_change(self) -> bool: ...

    def roles(self) -> tuple[RoleFont, ...]: ...

    def set_font(self, role: str, path: str) -> tuple[RoleFont, ...]: ...


class FontsPanel(QGroupBox):
    """One row per role (仿宋, 宋体, 黑体, 小标宋): the font in use, where it came from, and
    选择…/自动 for the director."""

    def __init__(self, api: FontsApi, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("文书字体（打印的文书、通知书、协议书）"))
        self._api, self._runner = api, runner
        grid = QGridLayout(self)
        self.used: dict[str, QLabel] = {}
        self.choose: dict[str, QPushButton] = {}
        self.automatic: dict[str, QPushButton] = {}
        labels = {"fangsong": self.tr("仿宋（正文）"), "song": self.tr("宋体"),
                  "hei": self.tr("黑体（标题、标签）"),
                  "xiaobiaosong": self.tr("小标宋（文头）")}  # fmt: skip
        for row, role in enumerate(ROLES):
            grid.addWidget(QLabel(labels[role], self), row, 0)
            used = QLabel(self)
            used.setWordWrap(True)
            choose = QPushButton(self.tr("选择字体文件…"), self)
            automatic = QPushButton(self.tr("自动"), self)
            automatic.setToolTip(self.tr("依次使用方正GBK字体、Windows字体、随软件附带的字体"))
            choose.clicked.connect(lambda _c=False, r=role: self._on_choose(r))
            automatic.clicked.connect(lambda _c=False, r=role: self._set(r, ""))
            grid.addWidget(used, row, 1)
            grid.addWidget(choose, row, 2)
            grid.addWidget(automatic, row, 3)
            self.used[role], self.choose[role], self.automatic[role] = used, choose, automatic
        grid.setColumnStretch(1, 1)
        self.note = QLabel(self.tr("更改字体后，新打印的文书使用新字体；已签发文书重新生成的PDF"
                                   "与签发时的校验值将不一致。"), self)  # fmt: skip
        self.note.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        grid.addWidget(self.note, len(ROLES), 0, 1, 4)
        grid.addWidget(self.message, len(ROLES) + 1, 0, 1, 4)

    def reload(self) -> None:
        allowed = self._api.may_change()
        for role in ROLES:
            self.choose[role].setEnabled(allowed)
            self.automatic[role].setEnabled(allowed)
        if not allowed:
            self.message.setText(self.tr("只有中心主任或系统管理员可以更改文书字体"))
        self._runner.run(self._api.roles, self._show, self._failed, pool="cpu")

    def _show(self, roles: tuple[RoleFont, ...]) -> None:
        for r in roles:
            text = f"{Path(r.path).name}（{vocab(r.origin_label)}）"
            if r.bold:
                text += self.tr("，加粗显示")
            self.used[r.role].setText(text)
            self.used[r.role].setToolTip(r.path)

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(error_text(exc) if isinstance(exc, ServiceError) else
                             self.tr("字体读取失败，详情已记入日志"))  # fmt: skip

    def _on_choose(self, role: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择字体文件"), "",
                                              self.tr("TrueType 字体 (*.ttf *.ttc)"))  # fmt: skip
        if path:
            self._set(role, path)

    def _set(self, role: str, path: str) -> None:
        def done(roles: tuple[RoleFont, ...]) -> None:
            self._show(roles)
            self.message.setText(self.tr("已保存，新打印的文书使用所列字体"))

        self._runner.run(lambda: self._api.set_font(role, path), done, self._failed, pool="cpu")
