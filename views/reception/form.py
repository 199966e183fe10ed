"""The walk-in registration form (来访登记表), research/domain.md §2.1, keyboard first."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.domain.dto import PartyInput, WalkInInput
from services.domain.errors import ValidationError
from services.domain.identity import ID_TYPE_RESIDENT, id_type_mismatch, id_type_of_number
from services.reference.data import Reference
from services.setup.township import OrgInfo
from ui.forms import EnterMovesFocus, ErrorLabel, FunctionCompleter, mark_invalid
from ui.i18n import message, vocab

COLLECTIVE = 5
W = TypeVar("W", bound=QWidget)


def _party_index(field: str) -> int | None:
    """2 for "parties[2].phone"; None for other fields."""
    if not field.startswith("parties["):
        return None
    try:
        return int(field[len("parties[") : field.index("]")])
    except ValueError:
        return None


class WalkInForm(QWidget):
    """Fields of one walk-in; builds a :class:`WalkInInput` and shows field errors inline.

    Signals:
        submit_requested(): Enter on the last field.
        lookup_changed(str, str, str): (id number, phone, name) as typed, for person matching.
    """

    submit_requested = Signal()
    lookup_changed = Signal(str, str, str)

    def __init__(self, reference: Reference, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ref = reference
        self._errors: dict[str, tuple[QWidget, ErrorLabel]] = {}
        self._detected_type: str | None = None
        self.person_id: str | None = None
        self._extra_offset = 2
        self._setup_ui()
        self._connect_signals()

    # --- building
    def _row(self, form: QFormLayout, label: str, widget: W, key: str | None) -> W:
        holder = QWidget(self)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        error = ErrorLabel(holder)
        box.addWidget(error)
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        form.addRow(caption, holder)
        if key:
            self._errors[key] = (widget, error)
        return widget

    def _combo(self, options: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        for code, name in options:
            combo.addItem(vocab(name), code)
        return combo

    def _setup_ui(self) -> None:
        ref = self._ref
        outer = QHBoxLayout(self)
        left, right = QVBoxLayout(), QVBoxLayout()
        outer.addLayout(left, 1)
        outer.addLayout(right, 1)
        visit = QGroupBox(self.tr("来访信息"), self)
        vf = QFormLayout(visit)
        self.channel = self._combo([(c.code, c.name) for c in ref.channels])
        self._row(vf, self.tr("来访方式(&W)"), self.channel, "channel")
        self.head_count = QSpinBox(self)
        self.head_count.setRange(1, 100000)
        self._row(vf, self.tr("来访人数(&R)"), self.head_count, "head_count")
        self.collective = QLabel(self.tr("5人及以上，将标记为集体访"), self)
        self.collective.setStyleSheet("color: #C62828; font-weight: bold;")
        self.collective.hide()
        vf.addRow("", self.collective)
        person = QGroupBox(self.tr("来访人"), self)
        pf = QFormLayout(person)
        self.name = self._row(pf, self.tr("姓名(&N)"), QLineEdit(self), "parties[0].name")
        self.id_type = self._combo([(o.code, o.name) for o in ref.options("id_types")])
        self._row(pf, self.tr("证件类型"), self.id_type, "parties[0].id_type")
        self.id_number = self._row(
            pf, self.tr("证件号码(&I)"), QLineEdit(self), "parties[0].id_number"
        )
        hint_row = QWidget(self)
        hint_box = QHBoxLayout(hint_row)
        hint_box.setContentsMargins(0, 0, 0, 0)
        self.id_type_hint = QLabel(hint_row)
        self.id_type_hint.setWordWrap(True)
        self.id_type_hint.setStyleSheet("color: #E65100;")
        self.switch_id_type = QPushButton(hint_row)
        self.switch_id_type.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        hint_box.addWidget(self.id_type_hint, 1)
        hint_box.addWidget(self.switch_id_type)
        pf.addRow("", hint_row)
        self._id_hint_row = hint_row
        hint_row.hide()
        self.phone = self._row(pf, self.tr("联系电话(&P)"), QLineEdit(self), "parties[0].phone")
        self.address = self._row(pf, self.tr("住址"), QLineEdit(self), "parties[0].address")
        other = QGroupBox(self.tr("对方当事人"), self)
        of = QFormLayout(other)
        self.respondent = self._row(of, self.tr("姓名(&O)"), QLineEdit(self), "parties[1].name")
        self.respondent_phone = self._row(of, self.tr("电话"), QLineEdit(self), "parties[1].phone")
        more = QGroupBox(self.tr("其他当事人（代表、第三人、更多被申请人）"), self)
        mbox = QVBoxLayout(more)
        self.extra = QTableWidget(0, 5, self)
        self.extra.setHorizontalHeaderLabels([self.tr("角色"), self.tr("姓名"), self.tr("证件号码"),
                                              self.tr("电话"), self.tr("同来")])  # fmt: skip
        self.extra.horizontalHeader().setStretchLastSection(True)
        self.extra.verticalHeader().setVisible(False)
        self.extra.setFixedHeight(110)
        self.extra.setTabKeyNavigation(False)
        buttons = QHBoxLayout()
        self.add_party = QPushButton(self.tr("添加当事人 (Ctrl+N)"), self)
        self.remove_party = QPushButton(self.tr("删除所选 (Ctrl+D)"), self)
        for button in (self.add_party, self.remove_party):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.extra_error = ErrorLabel(self)
        mbox.addWidget(self.extra)
        mbox.addLayout(buttons)
        mbox.addWidget(self.extra_error)
        matter = QGroupBox(self.tr("诉求与研判"), self)
        mf = QFormLayout(matter)
        self.summary = QPlainTextEdit(self)
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(72)
        self.summary.setPlaceholderText(self.tr("简述诉求或纠纷经过（Tab 键进入下一项）"))
        self._row(mf, self.tr("诉求简述(&S)"), self.summary, "summary")
        self.category = QLineEdit(self)
        self.category.setPlaceholderText(self.tr("输入类别名称、拼音首字母或代码，如 ll、宅基地"))
        self._completer = FunctionCompleter(self._suggest_categories, self)
        self.category.setCompleter(self._completer)
        self._row(mf, self.tr("纠纷类别(&C)"), self.category, "category_code")
        self.village = QComboBox(self)
        self.village.addItem(self.tr("（未指定）"), None)
        self._row(mf, self.tr("所属村(社区)(&V)"), self.village, "village_id")
        self.place = self._row(mf, self.tr("事发地点"), QLineEdit(self), "occurred_place")
        self.amount = self._row(mf, self.tr("涉及金额(元)"), QLineEdit(self), "amount")
        self.colour = self._combo([(o.code, o.name) for o in ref.options("colours")])
        self._row(mf, self.tr("风险颜色(&K)"), self.colour, "risk_colour")
        self.basis = self._row(mf, self.tr("定色依据"), QLineEdit(self), "risk_basis")
        self.level = self._combo([(o.code, o.name) for o in ref.options("handling_levels")])
        self.level.setCurrentIndex(max(0, self.level.findData("township")))
        self._row(mf, self.tr("办理层级"), self.level, "handling_level")
        self.disposition = self._combo([(o.code, o.name) for o in ref.options("dispositions")])
        self.disposition.setCurrentIndex(max(0, self.disposition.findData("accepted")))
        self._row(mf, self.tr("处理方式(&D)"), self.disposition, "disposition")
        self.answer = self._row(mf, self.tr("答复内容"), QLineEdit(self), "answer")
        for box in (visit, person, other, more):
            left.addWidget(box)
        left.addStretch(1)
        right.addWidget(matter)
        right.addStretch(1)
        self._fields: list[QWidget] = [
            self.channel, self.head_count, self.name, self.id_type, self.id_number, self.phone,
            self.address, self.respondent, self.respondent_phone, self.summary, self.category,
            self.village, self.place, self.amount, self.colour, self.basis, self.level,
            self.disposition, self.answer,
        ]  # fmt: skip
        for first, second in zip(self._fields, self._fields[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._enter = EnterMovesFocus(self, self._is_last)
        self._enter.watch(self._fields)
        self._update_dependents()

    def _connect_signals(self) -> None:
        self._enter.submitted.connect(self.submit_requested)
        self.category.textEdited.connect(self._completer.update_for)
        self.add_party.clicked.connect(self.add_party_row)
        self.remove_party.clicked.connect(self._on_remove_party_clicked)
        for keys, slot in (
            ("Ctrl+N", self.add_party_row),
            ("Ctrl+D", self._on_remove_party_clicked),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.head_count.valueChanged.connect(self._update_dependents)
        self.colour.currentIndexChanged.connect(self._update_dependents)
        self.disposition.currentIndexChanged.connect(self._update_dependents)
        for edit in (self.name, self.id_number, self.phone):
            edit.textEdited.connect(self._on_lookup_edited)
        self.id_number.textChanged.connect(self._update_id_type_hint)
        self.id_type.currentIndexChanged.connect(self._update_id_type_hint)
        self.switch_id_type.clicked.connect(self.switch_to_detected_type)

    # --- other parties
    def add_party_row(self, role: str = "representative", name: str = "", id_number: str = "",
                      phone: str = "", visitor: bool = True) -> int:  # fmt: skip
        """Add a party line (代表 by default, who came along); returns its row."""
        row = self.extra.rowCount()
        self.extra.insertRow(row)
        combo = QComboBox(self.extra)
        for option in self._ref.options("party_roles"):
            combo.addItem(vocab(option.name), option.code)
        combo.setCurrentIndex(max(0, combo.findData(role)))
        self.extra.setCellWidget(row, 0, combo)
        for col, text in ((1, name), (2, id_number), (3, phone)):
            self.extra.setItem(row, col, QTableWidgetItem(text))
        came = QTableWidgetItem()
        came.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        came.setCheckState(Qt.CheckState.Checked if visitor else Qt.CheckState.Unchecked)
        self.extra.setItem(row, 4, came)
        self.extra.setCurrentCell(row, 1)
        self.extra.setFocus()
        return row

    def _on_remove_party_clicked(self) -> None:
        row = self.extra.currentRow()
        if row >= 0:
            self.extra.removeRow(row)

    def _extra_parties(self) -> list[PartyInput]:
        out = []
        for row in range(self.extra.rowCount()):

            def text(col: int, row: int = row) -> str:
                item = self.extra.item(row, col)
                return item.text().strip() if item is not None else ""

            combo = self.extra.cellWidget(row, 0)
            role = combo.currentData() if isinstance(combo, QComboBox) else "representative"
            came = self.extra.item(row, 4)
            visitor = came is not None and came.checkState() == Qt.CheckState.Checked
            if text(1) or text(2) or text(3):  # no type column: the type the number shows
                id_type = id_type_of_number(text(2)) or ID_TYPE_RESIDENT
                out.append(PartyInput(name=text(1), role=role, is_visitor=visitor,
                                      id_type=id_type, id_number=text(2),
                                      phone=text(3)))  # fmt: skip
        return out

    # --- behaviour
    def _suggest_categories(self, text: str) -> list[str]:
        return [f"{c.code} {self._ref.qualified_name(c.code)}"
                for c in self._ref.search_categories(text, 15)]  # fmt: skip

    def _is_last(self, widget: QWidget) -> bool:
        last = self.answer if self.answer.isEnabled() else self.disposition
        return widget is last

    def _update_dependents(self) -> None:
        self.collective.setVisible(self.head_count.value() >= COLLECTIVE)
        self.basis.setEnabled(self.colour.currentData() != "green")
        self.answer.setEnabled(self.disposition.currentData() == "answered")

    def _update_id_type_hint(self) -> None:
        """Say which document a number is when it is not the chosen type (港澳居住证 typed as
        居民身份证) and offer to switch."""
        chosen = self.id_type.currentData()
        text = self.id_number.text()
        found = id_type_mismatch(chosen, text) if text.strip() else None
        if found is None and chosen == "passport" and text.strip():
            found = id_type_of_number(text)  # an ID number under 护照
        self._detected_type = found
        index = self.id_type.findData(found) if found else -1
        if index < 0:
            self._id_hint_row.hide()
            return
        name = self.id_type.itemText(index)
        self.id_type_hint.setText(self.tr("这是%1号码").replace("%1", name))
        self.switch_id_type.setText(self.tr("改为%1").replace("%1", name))
        self._id_hint_row.show()

    def switch_to_detected_type(self) -> None:
        """Take the document type the number shows (the hint's button)."""
        index = self.id_type.findData(self._detected_type) if self._detected_type else -1
        if index >= 0:
            self.id_type.setCurrentIndex(index)
            self.id_number.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_lookup_edited(self) -> None:
        if self.sender() is self.name:
            self.person_id = None  # a new name means another person
        self.lookup_changed.emit(self.id_number.text(), self.phone.text(), self.name.text())

    def set_villages(self, villages: tuple[OrgInfo, ...]) -> None:
        current = self.village.currentData()
        self.village.clear()
        self.village.addItem(self.tr("（未指定）"), None)
        for v in villages:
            self.village.addItem(v.name, v.id)
        self.village.setCurrentIndex(max(0, self.village.findData(current)))

    def use_person(self, person_id: str, name: str) -> None:
        """Take an existing person from the match panel as the visitor."""
        self.person_id = person_id
        self.name.setText(name)

    def use_defaults(self, person_id: str, phone_masked: str, category: str) -> None:
        """A repeat visitor: the phone on file is kept unless another is typed, and the category
        of their latest case is offered (both only if the clerk has not typed one)."""
        if person_id != self.person_id:
            return  # another person was chosen meanwhile
        if phone_masked and not self.phone.text().strip():
            self.phone.setPlaceholderText(
                self.tr("已登记 %1，不填则沿用").replace("%1", phone_masked)
            )
        if category and not self.category.text().strip():
            try:
                self.category.setText(f"{category} {self._ref.qualified_name(category)}")
            except KeyError:
                self.category.setText(category)

    def category_code(self) -> str:
        text = self.category.text().strip()
        code = text.split(" ", 1)[0]
        if code.isdigit() and len(code) in (2, 4):
            return code
        hits = self._ref.search_categories(text, 1) if text else ()
        return hits[0].code if hits and hits[0].name == text else code

    def has_input(self) -> bool:
        edits = (self.name, self.id_number, self.phone, self.respondent, self.category, self.place)
        return any(e.text().strip() for e in edits) or bool(self.summary.toPlainText().strip())

    def build(self, attach_to_case_id: str | None = None) -> WalkInInput:
        """The form's content as a service input; raises ValidationError for a bad amount."""
        amount = None
        if self.amount.text().strip():
            try:
                amount = Decimal(self.amount.text().strip().replace(",", ""))
            except InvalidOperation:
                raise ValidationError(
                    "amount", "amount.invalid", self.tr("涉及金额格式不正确")
                ) from None
        parties = [PartyInput(name=self.name.text(), id_type=self.id_type.currentData(),
                              id_number=self.id_number.text(), phone=self.phone.text(),
                              address=self.address.text(), person_id=self.person_id)]  # fmt: skip
        if self.respondent.text().strip():
            respondent = PartyInput(
                name=self.respondent.text(),
                role="respondent",
                is_visitor=False,
                phone=self.respondent_phone.text(),
            )
            parties.append(respondent)
        self._extra_offset = len(parties)
        parties.extend(self._extra_parties())
        return WalkInInput(
            parties=tuple(parties), summary=self.summary.toPlainText(),
            category_code=self.category_code(), disposition=self.disposition.currentData(),
            channel=self.channel.currentData(), head_count=self.head_count.value(),
            risk_colour=self.colour.currentData(), risk_basis=self.basis.text(),
            handling_level=self.level.currentData(), village_id=self.village.currentData(),
            occurred_place=self.place.text(), amount=amount, answer=self.answer.text(),
            attach_to_case_id=attach_to_case_id,
        )  # fmt: skip

    def show_errors(self, errors: tuple[ValidationError, ...]) -> None:
        """Mark each invalid field with its message (interface language); focus the first one."""
        self.clear_errors()
        first: QWidget | None = None
        extra_messages = []
        for err in errors:
            index = _party_index(err.field)
            if index is not None and index >= self._extra_offset and err.field not in self._errors:
                row = index - self._extra_offset + 1
                line = self.tr("第%1行：").replace("%1", str(row))
                extra_messages.append(line + message(err.message))
                first = first or self.extra
                continue
            widget, label = self._errors.get(err.field, (None, None))
            if widget is None or label is None:
                widget, label = self._errors["summary"] if err.field == "parties" else (None, None)
            if widget is None or label is None:
                continue
            label.show_error(message(err.message))
            mark_invalid(widget, True)
            first = first or widget
        self.extra_error.show_error("；".join(extra_messages))
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_errors(self) -> None:
        self.extra_error.show_error("")
        for widget, label in self._errors.values():
            label.show_error("")
            mark_invalid(widget, False)

    def error_text(self, key: str) -> str:
        return self._errors[key][1].text() if key in self._errors else ""

    def clear(self) -> None:
        for edit in (self.name, self.id_number, self.phone, self.address, self.respondent,
                     self.respondent_phone, self.category, self.place, self.amount, self.basis,
                     self.answer):  # fmt: skip
            edit.clear()
        self.summary.clear()
        self.extra.setRowCount(0)
        self.head_count.setValue(1)
        self.colour.setCurrentIndex(0)
        self.person_id = None
        self.clear_errors()
        self.channel.setFocus(Qt.FocusReason.OtherFocusReason)
