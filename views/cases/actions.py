"""Small forms for case actions (办理操作): the fields each action needs; the service validates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from services.domain.enums import (
    ClosureType,
    Evaluation,
    HandlingLevel,
    MediationResult,
    RevisitOutcome,
    RiskColour,
    SupervisionLevel,
    choices,
)
from services.domain.errors import (
    ValidationError,
    ValidationErrors,
)
from services.domain.workflow import ACTION_LABELS, FIELD_LABELS, REQUIRED, Action
from services.setup.township import OrgInfo
from ui.dates import DateEdit
from ui.forms import ErrorLabel, mark_invalid
from ui.i18n import QT_TRANSLATE_NOOP, message, vocab
from views.messages import error_text

EVALUATIONS = choices(Evaluation)
CLOSURES = choices(ClosureType)
CLOSURE_FOR_STATE = {
    "resolved": "normal",
    "evaluation_pending": "evaluation_timeout",
    "mediation_failed": "terminated_mediation",
    "escalated": "county_closed",
}
CHANNELS = (
    ("诉讼", QT_TRANSLATE_NOOP("ActionDialog", "诉讼")),
    ("仲裁", QT_TRANSLATE_NOOP("ActionDialog", "仲裁")),
    ("行政复议", QT_TRANSLATE_NOOP("ActionDialog", "行政复议")),
    ("信访", QT_TRANSLATE_NOOP("ActionDialog", "信访")),
    ("12345热线", QT_TRANSLATE_NOOP("ActionDialog", "12345热线")),
)  # stored as the Chinese name (the code); shown translated


@dataclass(frozen=True)
class Field:
    """One input of an action form: key, kind and (for choices) the options."""

    key: str
    kind: str  # text, line, int, bool, date, unit, units (several), choice
    label: str = ""
    options: tuple[tuple[str, str], ...] = ()


def _choice(key: str, options: tuple[tuple[str, str], ...], label: str = "") -> Field:
    return Field(key, "choice", label, options)


COLOURS = choices(RiskColour)
LEVELS = choices(HandlingLevel)
FIELDS: dict[Action, tuple[Field, ...]] = {
    Action.ACCEPT: (Field("note", "text", QT_TRANSLATE_NOOP("ActionDialog", "受理意见")),),
    Action.REJECT: (Field("reason", "text"), _choice("advised_channel", CHANNELS)),
    Action.ANSWER: (Field("answer", "text"),),
    Action.ASSESS: (
        _choice("risk_colour", COLOURS),
        Field("risk_basis", "line"),
        _choice("handling_level", LEVELS),
    ),  # fmt: skip
    Action.MEDIATE: (Field("mediator", "line"),),
    Action.MEDIATION_RESULT: (
        _choice("result", choices(MediationResult), QT_TRANSLATE_NOOP("ActionDialog", "调解结果")),
        Field("note", "text", QT_TRANSLATE_NOOP("ActionDialog", "说明")),
    ),  # fmt: skip
    Action.ASSIGN: (
        Field("unit_id", "unit"),
        Field("co_unit_ids", "units", QT_TRANSLATE_NOOP("ActionDialog", "协办单位（可多选）")),
        Field("due_date", "date", QT_TRANSLATE_NOOP("ActionDialog", "办结期限（可选）")),
        Field("opinion", "text", QT_TRANSLATE_NOOP("ActionDialog", "交办意见")),
    ),  # fmt: skip
    Action.SIGN: (Field("signer", "line"),),
    Action.CO_SIGN: (
        Field("unit_id", "unit", QT_TRANSLATE_NOOP("ActionDialog", "协办单位")),
        Field("signer", "line"),
    ),
    Action.CO_FEEDBACK: (
        Field("unit_id", "unit", QT_TRANSLATE_NOOP("ActionDialog", "协办单位")),
        Field("result", "text", QT_TRANSLATE_NOOP("ActionDialog", "协办意见")),
    ),
    Action.REQUEST_EXTENSION: (
        Field("days", "int", QT_TRANSLATE_NOOP("ActionDialog", "延期工作日数")),
        Field("reason", "text"),
    ),
    Action.DECIDE_EXTENSION: (
        Field("approved", "bool", QT_TRANSLATE_NOOP("ActionDialog", "同意延期")),
        Field("days", "int", QT_TRANSLATE_NOOP("ActionDialog", "批准工作日数（不填按申请）")),
        Field("opinion", "text", QT_TRANSLATE_NOOP("ActionDialog", "审批意见")),
    ),  # fmt: skip
    Action.FEEDBACK: (Field("result", "text", QT_TRANSLATE_NOOP("ActionDialog", "办理结果")),),
    Action.APPROVE: (Field("opinion", "text", QT_TRANSLATE_NOOP("ActionDialog", "审核意见")),),
    Action.SEND_BACK: (Field("opinion", "text", QT_TRANSLATE_NOOP("ActionDialog", "退回意见")),),
    Action.ESCALATE: (Field("reason", "text", QT_TRANSLATE_NOOP("ActionDialog", "上报理由")),),
    Action.EVALUATE: (
        _choice("evaluation", EVALUATIONS),
        Field("note", "text", QT_TRANSLATE_NOOP("ActionDialog", "评价说明")),
    ),
    Action.CLOSE: (
        _choice("closure_type", CLOSURES),
        Field("reason", "text", QT_TRANSLATE_NOOP("ActionDialog", "说明")),
    ),
    Action.ARCHIVE: (),
    Action.REVISIT: (
        _choice("outcome", choices(RevisitOutcome)),
        Field("note", "text", QT_TRANSLATE_NOOP("ActionDialog", "回访记录")),
    ),  # fmt: skip
    Action.VOID: (Field("reason", "text", QT_TRANSLATE_NOOP("ActionDialog", "作废理由")),),
    Action.SUPERVISE: (
        _choice("level", choices(SupervisionLevel, skip=("none",))),
        Field("opinion", "text"),
    ),  # fmt: skip
    Action.CANCEL_SUPERVISION: (
        Field("reason", "text", QT_TRANSLATE_NOOP("ActionDialog", "取消理由")),
    ),
    Action.WARN: (_choice("risk_colour", COLOURS), Field("basis", "text")),
    Action.PAUSE_CLOCK: (
        Field("reason", "text", QT_TRANSLATE_NOOP("ActionDialog", "暂停理由（如等待鉴定）")),
    ),
    Action.RESUME_CLOCK: (),
}


class ActionDialog(QDialog):
    """Form for one action; stays open with inline errors until the service accepts it.

    Signals:
        submitted(dict): the payload, when the user presses OK.
    """

    submitted = Signal(dict)

    def __init__(self, action: Action, units: tuple[OrgInfo, ...], state: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.action = action
        self._units, self._state = units, state
        self.inputs: dict[str, QWidget] = {}
        self._errors: dict[str, ErrorLabel] = {}
        self._readers: dict[str, Callable[[], Any]] = {}
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setWindowTitle(vocab(ACTION_LABELS[self.action]))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        required = set(REQUIRED.get(self.action, ()))
        for field in FIELDS.get(self.action, ()):
            widget, reader = self._make(field)
            self.inputs[field.key], self._readers[field.key] = widget, reader
            label = (
                self.tr(field.label)
                if field.label
                else vocab(FIELD_LABELS.get(field.key, field.key))
            )
            if field.key in required or (field.key == "unit_id" and self.action is Action.ASSIGN):
                label += " *"
            error = ErrorLabel(self)
            self._errors[field.key] = error
            holder = QWidget(self)
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(widget)
            box.addWidget(error)
            form.addRow(label, holder)
        self.general_error = ErrorLabel(self)
        layout.addLayout(form)
        if not self.inputs:
            layout.addWidget(
                QLabel(self.tr("确认执行“%1”？").replace("%1", vocab(ACTION_LABELS[self.action])))
            )
        layout.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _make(self, field: Field) -> tuple[QWidget, Callable[[], Any]]:
        if field.kind == "text":
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64)
            return edit, lambda: edit.toPlainText().strip()
        if field.kind == "line":
            line = QLineEdit(self)
            return line, lambda: line.text().strip()
        if field.kind == "int":
            spin = QSpinBox(self)
            spin.setRange(0, 60)
            return spin, lambda: spin.value() or None
        if field.kind == "bool":
            check = QCheckBox(self)
            check.setChecked(True)
            return check, check.isChecked
        if field.kind == "date":
            date = DateEdit(self, allow_empty=True, empty_text=self.tr("不填则按规则计算"))

            def iso() -> str | None:
                day = date.date()
                return day.isoformat() if day is not None else None

            return date, iso
        if field.kind == "units":
            return self._units_list()
        combo = QComboBox(self)
        options = (
            tuple((u.id, u.name) for u in self._units) if field.kind == "unit" else field.options
        )
        if field.kind == "unit":
            combo.addItem(self.tr("请选择%1").replace("%1", field.label or "承办单位"), None)
        for code, name in options:
            combo.addItem(name if field.kind == "unit" else vocab(self.tr(name)), code)
        if field.key == "closure_type":
            combo.setCurrentIndex(max(0, combo.findData(CLOSURE_FOR_STATE.get(self._state))))
        return combo, combo.currentData

    def _units_list(self) -> tuple[QWidget, Callable[[], Any]]:
        """Several units ticked in the organisation tree (协办单位), read as their ids."""
        units = QListWidget(self)
        units.setFixedHeight(88)
        for unit in self._units:
            item = QListWidgetItem(unit.name, units)
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)

        def checked() -> list[str] | None:
            rows = (units.item(i) for i in range(units.count()))
            ids = [str(it.data(Qt.ItemDataRole.UserRole)) for it in rows
                   if it is not None and it.checkState() == Qt.CheckState.Checked]  # fmt: skip
            return ids or None

        return units, checked

    def payload(self) -> dict[str, Any]:
        values = {key: read() for key, read in self._readers.items()}
        return {k: v for k, v in values.items() if v not in (None, "")}

    def _on_buttons_accepted(self) -> None:
        self.buttons.setEnabled(False)
        self.submitted.emit(self.payload())

    def show_error(self, exc: BaseException) -> None:
        """The service refused: mark the field (or say why) and let the user correct it."""
        self.buttons.setEnabled(True)
        for key, label in self._errors.items():
            label.show_error("")
            mark_invalid(self.inputs[key], False)
        errors = exc.errors if isinstance(exc, ValidationErrors) else (
            (exc,) if isinstance(exc, ValidationError) else ())  # fmt: skip
        shown = False
        for err in errors:
            key = "unit_id" if err.field == "unit_name" else err.field
            if key in self._errors:
                self._errors[key].show_error(message(err.message))
                mark_invalid(self.inputs[key], True)
                shown = True
        if not shown:
            self.general_error.show_error(error_text(exc))
