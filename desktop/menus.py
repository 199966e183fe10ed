"""The menu bar (文件/编辑/视图/案件/文书/帮助): every action with its shortcut, and the F1 list.

Each entry either presses a screen's own button (so the menu can never do something the screen
would not) or calls a main-window command. Keys a screen already handles itself (Ctrl+S in the
reception form…) are only shown in the menu, never bound twice: two bindings of one key make
Qt fire neither.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import QT_TRANSLATE_NOOP

MENUS = (
    QT_TRANSLATE_NOOP("menus", "文件"),
    QT_TRANSLATE_NOOP("menus", "编辑"),
    QT_TRANSLATE_NOOP("menus", "视图"),
    QT_TRANSLATE_NOOP("menus", "案件"),
    QT_TRANSLATE_NOOP("menus", "文书"),
    QT_TRANSLATE_NOOP("menus", "帮助"),
)


@dataclass(frozen=True)
class Entry:
    """One menu item.

    ``bound`` False: the screen handles the key itself; the menu only shows it.
    ``button``: dotted attribute path of a button on ``screen`` that the item presses.
    ``command``: a method name on the main window, called when there is no button.
    """

    menu: str
    label: str
    keys: str = ""
    screen: str = ""
    button: str = ""
    command: str = ""
    bound: bool = True
    context: str = "menus"  # where the label's translation is (the screens': MainWindow)
    permission: str = ""  # greyed out unless the signed-in user holds it (roles.json)


def tr(text: str) -> str:
    return QCoreApplication.translate("menus", text)


ENTRIES: tuple[Entry, ...] = (
    Entry("文件", QT_TRANSLATE_NOOP("menus", "导出Excel…"), "Ctrl+E", "ledger", "export_button"),
    Entry("文件", QT_TRANSLATE_NOOP("menus", "立即同步"), "Ctrl+Shift+Y", "sync", "_sync_button"),
    Entry("文件", QT_TRANSLATE_NOOP("menus", "审计日志…"), "", command="audit_log"),
    Entry(
        "文件",
        QT_TRANSLATE_NOOP("menus", "从备份恢复…"),
        "",
        command="restore_backup",
        permission="backup.manage",
    ),
    Entry("文件", QT_TRANSLATE_NOOP("menus", "切换用户…"), "", command="switch_user"),
    Entry("文件", QT_TRANSLATE_NOOP("menus", "修改密码…"), "", command="change_password"),
    Entry("文件", QT_TRANSLATE_NOOP("menus", "锁定"), "Ctrl+L", command="lock", bound=False),
    Entry("文件", QT_TRANSLATE_NOOP("menus", "退出"), "Ctrl+Q", command="close"),
    Entry(
        "编辑",
        QT_TRANSLATE_NOOP("menus", "保存登记"),
        "Ctrl+S",
        "reception",
        "save_button",
        bound=False,
    ),
    Entry(
        "编辑",
        QT_TRANSLATE_NOOP("menus", "清空表单"),
        "Esc",
        "reception",
        "clear_button",
        bound=False,
    ),
    Entry(
        "编辑",
        QT_TRANSLATE_NOOP("menus", "添加当事人"),
        "Ctrl+N",
        "reception",
        "form.add_party",
        bound=False,
    ),
    Entry(
        "编辑",
        QT_TRANSLATE_NOOP("menus", "删除所选当事人"),
        "Ctrl+D",
        "reception",
        "form.remove_party",
        bound=False,
    ),
    Entry("编辑", QT_TRANSLATE_NOOP("menus", "查找案件"), "Ctrl+F", command="find_case"),
    Entry("案件", QT_TRANSLATE_NOOP("menus", "新来访登记"), "F2", command="new_visit"),
    Entry(
        "案件",
        QT_TRANSLATE_NOOP("menus", "打开刚登记的案件"),
        "Ctrl+O",
        "reception",
        "open_button",
        bound=False,
    ),
    Entry(
        "案件",
        QT_TRANSLATE_NOOP("menus", "选择匹配的人员"),
        "F3",
        command="pick_person",
        bound=False,
    ),
    Entry(
        "案件",
        QT_TRANSLATE_NOOP("menus", "作为重复来访关联"),
        "F4",
        command="attach_repeat",
        bound=False,
    ),
    Entry("案件", QT_TRANSLATE_NOOP("menus", "预约调解…"), "Ctrl+B", "case", "book_button"),
    Entry(
        "案件", QT_TRANSLATE_NOOP("menus", "新建调解室预约…"), "Ctrl+Shift+B", "rooms", "new_btn"
    ),
    Entry("文书", QT_TRANSLATE_NOOP("menus", "签发文书…"), "Ctrl+I", "case", "slip_button"),
    Entry(
        "文书",
        QT_TRANSLATE_NOOP("menus", "打印回执"),
        "Ctrl+P",
        "reception",
        "receipt_button",
        bound=False,
    ),
    Entry("文书", QT_TRANSLATE_NOOP("menus", "打印所选文书"), "Ctrl+Shift+P", "slips", "_print"),
    Entry("文书", QT_TRANSLATE_NOOP("menus", "批量打印所列文书"), "", "slips", "_batch"),
    Entry("文书", QT_TRANSLATE_NOOP("menus", "所选文书另存为PDF…"), "", "slips", "_save"),
    Entry("文书", QT_TRANSLATE_NOOP("menus", "作废所选文书…"), "", "slips", "_void"),
    Entry("帮助", QT_TRANSLATE_NOOP("menus", "快捷键一览"), "F1", command="show_shortcuts"),
    Entry("帮助", QT_TRANSLATE_NOOP("menus", "用户手册"), "", command="open_manual"),
    Entry("帮助", QT_TRANSLATE_NOOP("menus", "关于"), "", command="about"),
)
# Keys the reception form handles that have no menu item of their own.
FORM_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", QT_TRANSLATE_NOOP("menus", "接待登记：下一项；最后一项时保存")),
    ("Ctrl+Enter", QT_TRANSLATE_NOOP("menus", "接待登记：保存登记")),
    ("Tab / Shift+Tab", QT_TRANSLATE_NOOP("menus", "下一项 / 上一项（多行文本框中也是）")),
    ("F4 / Alt+↓", QT_TRANSLATE_NOOP("menus", "日期框：打开日历")),
    ("↑ / ↓", QT_TRANSLATE_NOOP("menus", "日期框：加减一天")),
)


def find_button(page: QWidget | None, path: str) -> QAbstractButton | None:
    """The button at ``path`` ("form.add_party") on a screen, if it is there."""
    target: Any = page
    for part in path.split("."):
        target = getattr(target, part, None)
    return target if isinstance(target, QAbstractButton) else None


def shortcut_text(keys: str) -> str:
    """Keys as the user's platform spells them ("Esc" stays "Esc")."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText) or keys


class MenuBar:
    """Builds the window's menus; ``actions`` maps an entry label to its QAction."""

    def __init__(self, window: QMainWindow, screens: tuple[tuple[str, str], ...],
                 page: Callable[[str], QWidget | None], show_screen: Callable[[str], None],
                 command: Callable[[str], Callable[[], Any] | None],
                 allows: Callable[[str], bool] = lambda _permission: True) -> None:  # fmt: skip
        self._window, self._page, self._show, self._command = window, page, show_screen, command
        self._allows = allows
        self.actions: dict[str, QAction] = {}
        self._untagged: dict[int, tuple[QAbstractButton, str]] = {}  # tooltips before the keys
        self.menus: dict[str, QMenu] = {}
        bar = window.menuBar()
        for name in MENUS:
            menu = bar.addMenu(tr(name) + f"(&{_MNEMONIC[name]})")
            menu.aboutToShow.connect(lambda m=menu: self._update(m))
            self.menus[name] = menu
        for entry in ENTRIES:
            if entry.menu == "视图" or entry.menu == "帮助":
                continue
            self._add(entry)
        self._add_screens(screens)
        for entry in ENTRIES:
            if entry.menu == "帮助":
                self._add(entry)

    def retranslate(self) -> None:
        """Menu titles and items again in the interface language just installed."""
        for name, menu in self.menus.items():
            menu.setTitle(tr(name) + f"(&{_MNEMONIC[name]})")
        for action in self.actions.values():
            entry = action.data()
            if isinstance(entry, Entry):
                action.setText(self._text(entry))

    @staticmethod
    def _text(entry: Entry) -> str:
        text = QCoreApplication.translate(entry.context, entry.label)
        if entry.keys and not entry.bound:
            text += "\t" + shortcut_text(entry.keys)  # shown, not bound: the screen owns the key
        return text

    def _add(self, entry: Entry) -> QAction:
        menu = self.menus[entry.menu]
        action = QAction(self._text(entry), self._window)
        if entry.keys and entry.bound:
            action.setShortcut(QKeySequence(entry.keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setData(entry)
        action.triggered.connect(lambda _c=False, e=entry: self.trigger(e))
        menu.addAction(action)
        self._window.addAction(action)  # shortcuts work while the menu bar is hidden too
        self.actions[entry.label] = action
        return action

    def _add_screens(self, screens: tuple[tuple[str, str], ...]) -> None:
        for i, (key, name) in enumerate(screens):
            entry = Entry(
                "视图", name, f"Alt+{i + 1}", command="screen:" + key, context="MainWindow"
            )
            self._add(entry)
        self.menus["视图"].addSeparator()
        self._add(Entry("视图", QT_TRANSLATE_NOOP("menus", "刷新"), "F5", command="refresh_screen"))

    def trigger(self, entry: Entry) -> None:
        if entry.command.startswith("screen:"):
            self._show(entry.command.split(":", 1)[1])
            return
        if entry.button:
            button = find_button(self._page(entry.screen), entry.button)
            if button is None or not button.isEnabled():
                return
            self._show(entry.screen)
            button.click()
            return
        handler = self._command(entry.command)
        if handler is not None:
            handler()

    def _update(self, menu: QMenu) -> None:
        """Grey out what cannot be done now (签发文书 with no case open, 从备份恢复… for a
        user without the permission)."""
        for action in menu.actions():
            entry = action.data()
            if isinstance(entry, Entry) and entry.button:
                button = find_button(self._page(entry.screen), entry.button)
                action.setEnabled(button is not None and button.isEnabled())
            elif isinstance(entry, Entry) and entry.permission:
                action.setEnabled(self._allows(entry.permission))

    def unlabel_buttons(self) -> None:
        """Tooltips as they were before :meth:`label_buttons` (to retranslate, then label)."""
        for button, tip in self._untagged.values():
            button.setToolTip(tip)
        self._untagged.clear()

    def label_buttons(self) -> None:
        """Put each bound shortcut in its button's tooltip (the buttons keep their text)."""
        for entry in ENTRIES:
            if not (entry.button and entry.keys):
                continue
            button = find_button(self._page(entry.screen), entry.button)
            if button is not None:
                tip = button.toolTip()
                self._untagged.setdefault(id(button), (button, tip))
                keys = shortcut_text(entry.keys)
                if keys not in tip:
                    head = tip or button.text().replace("&", "")
                    button.setToolTip(f"{head}（{keys}）")


_MNEMONIC = {"文件": "F", "编辑": "E", "视图": "V", "案件": "C", "文书": "D", "帮助": "H"}


def shortcut_rows(screens: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every shortcut, in menu order, then the form keys."""
    rows = [(tr(e.menu), tr(e.label), shortcut_text(e.keys)) for e in ENTRIES
            if e.keys and e.menu != "帮助"]  # fmt: skip
    rows += [
        (
            QCoreApplication.translate("menus", "视图"),
            QCoreApplication.translate("MainWindow", name),
            f"Alt+{i + 1}",
        )
        for i, (_k, name) in enumerate(screens)
    ]
    rows.append(
        (
            QCoreApplication.translate("menus", "视图"),
            QCoreApplication.translate("menus", "刷新"),
            "F5",
        )
    )
    rows += [
        (QCoreApplication.translate("menus", "表单"), tr(text), keys) for keys, text in FORM_KEYS
    ]
    rows += [(tr(e.menu), tr(e.label), shortcut_text(e.keys)) for e in ENTRIES
             if e.keys and e.menu == "帮助"]  # fmt: skip
    return rows


class ShortcutsDialog(QDialog):
    """快捷键一览 (F1): every shortcut of the app in one table."""

    def __init__(self, screens: tuple[tuple[str, str], ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("快捷键一览"))
        rows = shortcut_rows(screens)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("菜单"), self.tr("操作"), self.tr("快捷键")])
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 520)
