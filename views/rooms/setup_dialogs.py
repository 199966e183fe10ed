"""Adding rooms (添加调解室) and mediators (添加调解员) with their rules."""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from services.room_dto import (
    EQUIPMENT,
    WEEKDAY_NAMES,
    MediatorInfo,
    MediatorInput,
    RoomInfo,
    RoomInput,
)
from ui.tasks import TaskRunner
from views.rooms.api import RoomsApi
from views.rooms.dialogs import _Dialog

OPEN_RULES = (("workdays", "法定工作日"), ("weekdays", "指定星期"), ("always", "每天"))
SLOT_MODES = (("free", "自由时段"), ("hourly", "整点时段"))


def _checks(labels: tuple[str, ...]) -> tuple[QWidget, list[QCheckBox]]:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    checks = [QCheckBox(label) for label in labels]
    for c in checks:
        row.addWidget(c)
    return box, checks


def _combo(items: tuple[tuple[str, str], ...]) -> QComboBox:
    combo = QComboBox()
    for code, label in items:
        combo.addItem(label, code)
    return combo


class RoomDialog(_Dialog):
    """A new room: type, capacity, equipment, opening rule, slots, hours."""

    def __init__(self, services: RoomsApi, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(self.tr("添加调解室"), services, runner, parent)
        self.result_value: RoomInfo | None = None
        self.name = QLineEdit()
        self.room_type = QLineEdit(self.tr("普通调解室"))
        self.capacity = QSpinBox()
        self.capacity.setRange(1, 100)
        self.capacity.setValue(6)
        equipment, self.equipment = _checks(EQUIPMENT)
        self.open_rule = _combo(OPEN_RULES)
        weekdays, self.weekdays = _checks(WEEKDAY_NAMES)
        self.slot_mode = _combo(SLOT_MODES)
        self.open_from = QTimeEdit(QTime(8, 30))
        self.open_to = QTimeEdit(QTime(17, 30))
        for label, widget in ((self.tr("名称"), self.name), (self.tr("类型"), self.room_type),
                              (self.tr("容纳人数"), self.capacity),
                              (self.tr("设备"), equipment), (self.tr("开放规则"), self.open_rule),
                              (self.tr("开放星期"), weekdays),
                              (self.tr("预约方式"), self.slot_mode),
                              (self.tr("开门"), self.open_from),
                              (self.tr("关门"), self.open_to)):  # fmt: skip
            self.form.addRow(label, widget)

    def request(self) -> RoomInput:
        start, end = self.open_from.time().toPython(), self.open_to.time().toPython()
        return RoomInput(
            self.name.text().strip(), self.room_type.text().strip() or "普通调解室",
            self.capacity.value(),
            tuple(c.text() for c in self.equipment if c.isChecked()),
            str(self.open_rule.currentData()),
            tuple(i + 1 for i, c in enumerate(self.weekdays) if c.isChecked()),
            str(self.slot_mode.currentData()), start, end,  # type: ignore[arg-type]
        )  # fmt: skip

    def _on_buttons_accepted(self) -> None:
        form = self.request()
        self.runner.run(lambda: self.services.add_room(form), self._on_saved, self._on_error)

    def _on_saved(self, info: RoomInfo) -> None:
        self.result_value = info
        self.accept()


class MediatorDialog(_Dialog):
    """A new mediator: staff or external 人民调解员, specialties, duty days."""

    def __init__(self, services: RoomsApi, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(self.tr("添加调解员"), services, runner, parent)
        self.result_value: MediatorInfo | None = None
        self.name = QLineEdit()
        self.kind = _combo((("staff", "中心工作人员"), ("external", "外聘人民调解员")))
        self.phone = QLineEdit()
        self.specialties = QLineEdit()
        self.specialties.setPlaceholderText(self.tr("擅长纠纷类别代码，如 02、0301，以顿号分隔"))
        weekdays, self.weekdays = _checks(WEEKDAY_NAMES)
        for label, widget in ((self.tr("姓名"), self.name), (self.tr("身份"), self.kind),
                              (self.tr("电话"), self.phone),
                              (self.tr("擅长类别"), self.specialties),
                              (self.tr("值班星期（不选为每天）"), weekdays)):  # fmt: skip
            self.form.addRow(label, widget)

    def request(self) -> MediatorInput:
        text = self.specialties.text().replace(",", "、").replace("，", "、").replace(" ", "、")
        return MediatorInput(self.name.text().strip(), str(self.kind.currentData()),
                             self.phone.text().strip(), tuple(s for s in text.split("、") if s),
                             tuple(i + 1 for i, c in enumerate(self.weekdays)
                                   if c.isChecked()))  # fmt: skip

    def _on_buttons_accepted(self) -> None:
        form = self.request()
        self.runner.run(lambda: self.services.add_mediator(form), self._on_saved, self._on_error)

    def _on_saved(self, info: MediatorInfo) -> None:
        self.result_value = info
        self.accept()
