"""Side panel of people matching what the clerk types, with their open cases (疑似同一人)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from services.domain.dto import PersonCandidate
from ui.i18n import QT_TRANSLATE_NOOP

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1
CASE_ROLE = Qt.ItemDataRole.UserRole + 2

REASONS = {
    "id_number": QT_TRANSLATE_NOOP("CandidatePanel", "身份证号一致"),
    "id_number_prefix": QT_TRANSLATE_NOOP("CandidatePanel", "身份证号前几位相同"),
    "phone": QT_TRANSLATE_NOOP("CandidatePanel", "电话一致"),
    "phone_earlier": QT_TRANSLATE_NOOP("CandidatePanel", "曾用电话一致"),
    "phone_prefix": QT_TRANSLATE_NOOP("CandidatePanel", "电话前几位相同"),
    "name": QT_TRANSLATE_NOOP("CandidatePanel", "姓名相同"),
    "name_prefix": QT_TRANSLATE_NOOP("CandidatePanel", "姓名相近"),
    "initials": QT_TRANSLATE_NOOP("CandidatePanel", "拼音首字母相同"),
}


def reasons_text(reasons: tuple[str, ...]) -> str:
    """Why a person is shown: 同名同电话 when both the name and a phone match."""
    if "name" in reasons and ("phone" in reasons or "phone_earlier" in reasons):
        rest = [r for r in reasons if r not in ("name", "phone", "phone_earlier", "name_prefix")]
        same = QCoreApplication.translate("CandidatePanel", "同名同电话")
        return "、".join([same, *(_reason(r) for r in rest)])
    return "、".join(_reason(r) for r in reasons)


def _reason(code: str) -> str:
    return QCoreApplication.translate("CandidatePanel", REASONS.get(code, code))


class CandidatePanel(QWidget):
    """Candidates and their open cases; Enter on a person uses them, on a case attaches to it.

    Signals:
        person_chosen(str, str): (person id, name).
        case_chosen(str, str): (case id, case code) for a repeat visit.
    """

    person_chosen = Signal(str, str)
    case_chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.title = QLabel(self.tr("疑似同一人（F3 选择，Enter 确认；F4 关联首个在办案件）"), self)
        self.title.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.empty = QLabel(self.tr("输入姓名、证件号码或电话后，这里显示已登记的人员及其在办案件"))
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #666;")
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)

    def _connect_signals(self) -> None:
        self.list.itemActivated.connect(self._on_list_item_activated)

    def show_candidates(self, candidates: tuple[PersonCandidate, ...]) -> None:
        self.list.clear()
        self.empty.setVisible(not candidates)
        for cand in candidates:
            p = cand.person
            reasons = reasons_text(cand.reasons)
            visits = self.tr("来访%1次").replace("%1", str(cand.visit_count))
            text = f"{p.name}  {p.id_number_masked}  {p.phone_masked}\n{reasons} · {visits}"
            item = QListWidgetItem(text, self.list)
            item.setData(PERSON_ROLE, (p.id, p.name))
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            for case in cand.open_cases:
                line = self.tr("　↳ 关联在办案件 %1 %2（%3）")
                text = line.replace("%1", case.code).replace("%2", case.title)
                sub = QListWidgetItem(text.replace("%3", case.state_label), self.list)
                sub.setData(CASE_ROLE, (case.id, case.code))

    def first_open_case(self) -> tuple[str, str] | None:
        for i in range(self.list.count()):
            data = self.list.item(i).data(CASE_ROLE)
            if data:
                return (str(data[0]), str(data[1]))
        return None

    def focus_list(self) -> None:
        if self.list.count():
            self.list.setCurrentRow(0)
            self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        case = item.data(CASE_ROLE)
        if case:
            self.case_chosen.emit(str(case[0]), str(case[1]))
            return
        person = item.data(PERSON_ROLE)
        if person:
            self.person_chosen.emit(str(person[0]), str(person[1]))
