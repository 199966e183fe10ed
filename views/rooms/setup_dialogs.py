"""Adding and editing rooms (添加/修改调解室, with 闭馆日期) and mediators (添加/修改调解员)."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QCoreApplication, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from services.domain.errors import ValidationError
from services.rooms.dto import (
    EQUIPMENT,
    CentreContact,
    MediatorInfo,
    MediatorInput,
    RoomInfo,
    RoomInput,
)
from ui.dates import weekday_names
from ui.i18n import QT_TRANSLATE_NOOP
from ui.tasks import TaskRunner
from views.rooms.api import RoomsApi
from views.rooms.dialogs import _Dialog

OPEN_RULES = (
    ("workdays", QT_TRANSLATE_NOOP("RoomDialog", "法定工作日")),
    ("weekdays", QT_TRANSLATE_NOOP("RoomDialog", "指定星期")),
    ("always", QT_TRANSLATE_NOOP("RoomDialog", "每天")),
)
SLOT_MODES = (
    ("free", QT_TRANSLATE_NOOP("RoomDialog", "自由时段")),
    ("hourly", QT_TRANSLATE_NOOP("RoomDialog", "整点时段")),
)


def _checks(labels: tuple[str, ...]) -> tuple[QWidget, list[QCheckBox]]:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    checks = [QCheckBox(label) for label in labels]
    for c in checks:
        row.addWidget(c)
    return box, checks


def _set_checks(checks: list[QCheckBox], on: set[int] | set[str], by_text: bool = False) -> None:
    for i, c in enumerate(checks):
        c.setChecked((c.text() if by_text else i + 1) in on)


def parse_dates(text: str) -> tuple[dt.date, ...]:
    """Closure dates typed as 2026-12-01、2026-12-24 (also 2026/12/1, commas or spaces)."""
    out = []
    for part in (p for p in re.split(r"[、，,；;\s]+", text.strip()) if p):
        try:
            y, m, d = (int(x) for x in re.split(r"[-/.年月日]", part.rstrip("日")))
            out.append(dt.date(y, m, d))
        except ValueError:
            text = f"闭馆日期“{part}”无法识别，请按 2026-12-01 填写"
            raise ValidationError("closures", "room.closures", text) from None
    return tuple(sorted(set(out)))


def _combo(items: tuple[tuple[str, str], ...]) -> QComboBox:
    combo = QComboBox()
    for code, label in items:
        combo.addItem(QCoreApplication.translate("RoomDialog", label), code)
    return combo


class RoomDialog(_Dialog):
    """A new room, or (given ``rooms``) an existing one picked at the top: type, capacity,
    equipment, opening rule, slots, hours and closure dates (闭馆日期)."""

    def __init__(self, services: RoomsApi, runner: TaskRunner, parent: QWidget | None = None,
                 rooms: tuple[RoomInfo, ...] = ()) -> None:  # fmt: skip
        title = self.tr("修改调解室") if rooms else self.tr("添加调解室")
        super().__init__(title, services, runner, parent)
        self.result_value: RoomInfo | None = None
        self.pick = QComboBox()
        for r in rooms:
            self.pick.addItem(r.name, r.id)
        if rooms:
            self.form.addRow(self.tr("调解室"), self.pick)
        self.name = QLineEdit()
        self.room_type = QLineEdit(self.tr("普通调解室"))
        self.capacity = QSpinBox()
        self.capacity.setRange(1, 100)
        self.capacity.setValue(6)
        equipment, self.equipment = _checks(EQUIPMENT)
        self.open_rule = _combo(OPEN_RULES)
        weekdays, self.weekdays = _checks(weekday_names())
        self.slot_mode = _combo(SLOT_MODES)
        self.open_from = QTimeEdit(QTime(8, 30))
        self.open_to = QTimeEdit(QTime(17, 30))
        self.closures = QLineEdit()
        self.closures.setPlaceholderText(self.tr("如 2026-12-01、2026-12-24，以顿号分隔"))
        for label, widget in ((self.tr("名称"), self.name), (self.tr("类型"), self.room_type),
                              (self.tr("容纳人数"), self.capacity),
                              (self.tr("设备"), equipment), (self.tr("开放规则"), self.open_rule),
                              (self.tr("开放星期"), weekdays),
                              (self.tr("预约方式"), self.slot_mode),
                              (self.tr("开门"), self.open_from),
                              (self.tr("关门"), self.open_to),
                              (self.tr("闭馆日期"), self.closures)):  # fmt: skip
            self.form.addRow(label, widget)
        if rooms:
            self.pick.currentIndexChanged.connect(lambda _i: self._load())
            self._load()

    def editing(self) -> str:
        """The id of the room being edited ("" when adding one)."""
        return str(self.pick.currentData() or "")

    def _load(self) -> None:
        room_id = self.editing()
        if room_id:
            self.runner.run(lambda: self.services.room_form(room_id), self._fill, self._on_error)

    def _fill(self, form: RoomInput) -> None:
        self.name.setText(form.name)
        self.room_type.setText(form.room_type)
        self.capacity.setValue(form.capacity)
        _set_checks(self.equipment, set(form.equipment), by_text=True)
        self.open_rule.setCurrentIndex(max(0, self.open_rule.findData(form.open_rule)))
        _set_checks(self.weekdays, set(form.weekdays))
        self.slot_mode.setCurrentIndex(max(0, self.slot_mode.findData(form.slot_mode)))
        self.open_from.setTime(QTime(form.open_from.hour, form.open_from.minute))
        self.open_to.setTime(QTime(form.open_to.hour, form.open_to.minute))
        self.closures.setText("、".join(d.isoformat() for d in form.closures))

    def request(self) -> RoomInput:
        start, end = self.open_from.time().toPython(), self.open_to.time().toPython()
        return RoomInput(
            self.name.text().strip(), self.room_type.text().strip() or "普通调解室",
            self.capacity.value(),
            tuple(c.text() for c in self.equipment if c.isChecked()),
            str(self.open_rule.currentData()),
            tuple(i + 1 for i, c in enumerate(self.weekdays) if c.isChecked()),
            str(self.slot_mode.currentData()), start, end,  # type: ignore[arg-type]
            parse_dates(self.closures.text()),
        )  # fmt: skip

    def _on_buttons_accepted(self) -> None:
        try:
            form = self.request()
        except ValidationError as exc:
            self._on_error(exc)
            return
        room_id = self.editing()
        if room_id:
            self.runner.run(lambda: self.services.edit_room(room_id, form), self._on_saved,
                            self._on_error)  # fmt: skip
            return
        self.runner.run(lambda: self.services.add_room(form), self._on_saved, self._on_error)

    def _on_saved(self, info: RoomInfo) -> None:
        self.result_value = info
        self.accept()


class MediatorDialog(_Dialog):
    """A new mediator, or (given ``mediators``) one picked at the top: staff or external
    人民调解员, specialties, duty days."""

    def __init__(self, services: RoomsApi, runner: TaskRunner, parent: QWidget | None = None,
                 mediators: tuple[MediatorInfo, ...] = ()) -> None:  # fmt: skip
        title = self.tr("修改调解员") if mediators else self.tr("添加调解员")
        super().__init__(title, services, runner, parent)
        self.result_value: MediatorInfo | None = None
        self.pick = QComboBox()
        for m in mediators:
            self.pick.addItem(m.name, m.id)
        if mediators:
            self.form.addRow(self.tr("调解员"), self.pick)
        self.name = QLineEdit()
        self.kind = _combo(
            (
                ("staff", QT_TRANSLATE_NOOP("RoomDialog", "中心工作人员")),
                ("external", QT_TRANSLATE_NOOP("RoomDialog", "外聘人民调解员")),
            )
        )
        self.phone = QLineEdit()
        self.specialties = QLineEdit()
        self.specialties.setPlaceholderText(self.tr("擅长纠纷类别代码，如 02、0301，以顿号分隔"))
        weekdays, self.weekdays = _checks(weekday_names())
        for label, widget in ((self.tr("姓名"), self.name), (self.tr("身份"), self.kind),
                              (self.tr("电话"), self.phone),
                              (self.tr("擅长类别"), self.specialties),
                              (self.tr("值班星期（不选为每天）"), weekdays)):  # fmt: skip
            self.form.addRow(label, widget)
        if mediators:
            self.pick.currentIndexChanged.connect(lambda _i: self._load())
            self._load()

    def editing(self) -> str:
        return str(self.pick.currentData() or "")

    def _load(self) -> None:
        mediator_id = self.editing()
        if mediator_id:
            self.runner.run(lambda: self.services.mediator_form(mediator_id), self._fill,
                            self._on_error)  # fmt: skip

    def _fill(self, form: MediatorInput) -> None:
        self.name.setText(form.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(form.kind)))
        self.phone.setText(form.phone)
        self.specialties.setText("、".join(form.specialties))
        _set_checks(self.weekdays, set(form.weekdays))

    def request(self) -> MediatorInput:
        text = self.specialties.text().replace(",", "、").replace("，", "、").replace(" ", "、")
        return MediatorInput(self.name.text().strip(), str(self.kind.currentData()),
                             self.phone.text().strip(), tuple(s for s in text.split("、") if s),
                             tuple(i + 1 for i, c in enumerate(self.weekdays)
                                   if c.isChecked()))  # fmt: skip

    def _on_buttons_accepted(self) -> None:
        form, mediator_id = self.request(), self.editing()
        if mediator_id:
            self.runner.run(lambda: self.services.edit_mediator(mediator_id, form),
                            self._on_saved, self._on_error)  # fmt: skip
            return
        self.runner.run(lambda: self.services.add_mediator(form), self._on_saved, self._on_error)

    def _on_saved(self, info: MediatorInfo) -> None:
        self.result_value = info
        self.accept()


class CentreDialog(_Dialog):
    """The centre's address and phone printed on every 调解通知书 (通知书地址电话)."""

    def __init__(self, services: RoomsApi, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(self.tr("通知书上的地址和电话"), services, runner, parent)
        self.result_value: CentreContact | None = None
        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("如 青山镇综治中心二楼（镇政府院内）"))
        self.phone = QLineEdit()
        self.form.addRow(self.tr("中心地址"), self.address)
        self.form.addRow(self.tr("联系电话"), self.phone)
        self.runner.run(self.services.centre_contact, self._fill, self._on_error)

    def _fill(self, contact: CentreContact) -> None:
        self.address.setText(contact.address)
        self.phone.setText(contact.phone)

    def _on_buttons_accepted(self) -> None:
        contact = CentreContact(self.address.text(), self.phone.text())
        self.runner.run(lambda: self.services.set_centre_contact(contact), self._on_saved,
                        self._on_error)  # fmt: skip

    def _on_saved(self, contact: CentreContact) -> None:
        self.result_value = contact
        self.accept()
