"""Mediation-room data (调解室): rooms, mediators, bookings, reminders, sessions, agreements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from services.domain.dto import Changes
from services.domain.errors import ConflictError, PermissionDeniedError
from services.domain.messages import msg, when

STATUS_LABELS = {
    "booked": "已预约",
    "in_use": "使用中",
    "finished": "已结束",
    "cancelled": "已取消",
    "no_show": "过期未到",
}
EQUIPMENT = ("录音录像", "视频调解", "无障碍")
MODES = ("面对面", "背对背", "联合调解", "线上")
OUTCOMES = ("达成", "未达成", "继续调解")
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
RESOURCE_LABELS = {"room": "调解室", "mediator": "调解员", "person": "当事人"}


@dataclass(frozen=True, slots=True)
class RoomInput:
    """A new mediation room (调解室)."""

    name: str
    room_type: str = "普通调解室"
    capacity: int = 6
    equipment: tuple[str, ...] = ()
    open_rule: str = "workdays"  # workdays / weekdays / always
    weekdays: tuple[int, ...] = ()  # 1 = Monday, for open_rule "weekdays"
    slot_mode: str = "free"  # free / hourly
    open_from: dt.time = dt.time(8, 30)
    open_to: dt.time = dt.time(17, 30)
    closures: tuple[dt.date, ...] = ()


@dataclass(frozen=True, slots=True)
class RoomInfo:
    """A room as the calendar shows it."""

    id: str
    name: str
    room_type: str
    capacity: int
    equipment: tuple[str, ...]
    open_rule: str
    slot_mode: str
    open_from: dt.time
    open_to: dt.time
    changes: Changes = field(default=Changes(), compare=False)  # of the call that made it


@dataclass(frozen=True, slots=True)
class MediatorInput:
    """A new mediator (调解员): ``staff`` or ``external`` (外聘人民调解员)."""

    name: str
    kind: str = "staff"
    phone: str = ""
    specialties: tuple[str, ...] = ()  # GB/T 31000 category codes
    weekdays: tuple[int, ...] = ()  # duty days; empty = every day


@dataclass(frozen=True, slots=True)
class MediatorInfo:
    id: str
    name: str
    kind: str
    specialties: tuple[str, ...]
    weekdays: tuple[int, ...]
    changes: Changes = field(default=Changes(), compare=False)  # of the call that made it


@dataclass(frozen=True, slots=True)
class BookingInput:
    """A booking request (预约); with ``case_id`` and no ``person_ids`` the parties come in."""

    room_id: str
    start: dt.datetime
    end: dt.datetime
    title: str = ""
    case_id: str | None = None
    mediator_ids: tuple[str, ...] = ()
    person_ids: tuple[str, ...] | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class BookingInfo:
    """A booking as the calendar, the reminders and the reception panel show it."""

    id: str
    room_id: str
    room_name: str
    case_id: str | None
    case_code: str
    title: str
    start: dt.datetime
    end: dt.datetime
    status: str
    mediator_ids: tuple[str, ...]
    mediator_names: tuple[str, ...]
    person_ids: tuple[str, ...]
    party_names: tuple[str, ...]
    series_id: str | None = None
    detached: bool = False
    follow_up: bool = False
    note: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def time_text(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class Collision:
    """What a refused booking collides with (冲突项)."""

    kind: str  # room / mediator / person
    name: str
    booking_id: str
    title: str
    start: dt.datetime
    end: dt.datetime

    def describe(self) -> str:
        label = RESOURCE_LABELS.get(self.kind, self.kind)
        return msg("{resource}“{name}”已有 {start}–{end}「{title}」", resource=label,
                   name=self.name, start=when(self.start, "%m月%d日 %H:%M"),
                   end=when(self.end, "%H:%M"), title=self.title)  # fmt: skip


class BookingConflictError(ConflictError):
    """A booking collides with others (预约冲突); ``collisions`` names each of them."""

    def __init__(self, collisions: tuple[Collision, ...], prefix: str = "") -> None:
        described = tuple(c.describe() for c in collisions)
        text = (msg("{prefix}时间冲突：{collisions}", prefix=prefix, collisions=described) if prefix
                else msg("时间冲突：{collisions}", collisions=described))  # fmt: skip
        super().__init__("booking.conflict", text)
        self.collisions = collisions


@dataclass(frozen=True, slots=True)
class BookingResult:
    """A saved booking, with warnings that did not refuse it (e.g. after the case deadline)."""

    booking: BookingInfo
    warnings: tuple[str, ...]
    changes: Changes


@dataclass(frozen=True, slots=True)
class BookingsResult:
    """Bookings a call changed at once (a series cancelled, missed sessions expired)."""

    bookings: tuple[BookingInfo, ...]
    changes: Changes


@dataclass(frozen=True, slots=True)
class BookingProposal:
    """What booking from the case file starts with: the parties and a mediator by specialty."""

    case_id: str
    case_code: str
    title: str
    person_ids: tuple[str, ...]
    party_names: tuple[str, ...]
    mediator_ids: tuple[str, ...]
    due_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class SeriesInput:
    """A weekly series (每周固定预约), e.g. the lawyer's duty session."""

    room_id: str
    title: str
    weekday: int  # 1 = Monday
    start_time: dt.time
    end_time: dt.time
    first_date: dt.date
    until_date: dt.date
    mediator_ids: tuple[str, ...] = ()
    note: str = ""
    count: int | None = None  # "repeat N times" (重复次数) instead of ``until_date``


@dataclass(frozen=True, slots=True)
class SeriesResult:
    """Occurrences a series edit produced; days skipped (closed, holiday) with why; warnings
    about booked occurrences on official holidays or in a year without the official schedule."""

    series_id: str
    bookings: tuple[BookingInfo, ...]
    skipped: tuple[str, ...]
    kept_exceptions: int
    changes: Changes = Changes()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReminderParty:
    person_id: str
    name: str
    phone_masked: str
    called_at: dt.datetime | None = None  # the last reminder call (提醒电话)
    called_by: str = ""
    call_result: str = ""
    changes: Changes = field(default=Changes(), compare=False)  # of the call that made it


@dataclass(frozen=True, slots=True)
class CentreContact:
    """The centre's address and phone printed on the 调解通知书."""

    address: str
    phone: str
    changes: Changes = field(default=Changes(), compare=False)  # set when saved


@dataclass(frozen=True, slots=True)
class ReminderItem:
    """One session to call about (提醒), with the parties' phones masked; ``attention`` says why
    it must be settled before anyone is called (a clash from sync, a closure, a holiday)."""

    booking: BookingInfo
    parties: tuple[ReminderParty, ...]
    attention: str = ""


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """A booking to move or cancel before its parties are called (待处理).

    ``kind``: ``clash`` (booked on two PCs; ``other`` is the booking it clashes with and
    ``conflict_id`` the sync conflict), ``closed`` (the room's rules now refuse it) or
    ``holiday`` (an official holiday, once the year's schedule is known).
    """

    kind: str
    booking: BookingInfo
    reason: str
    other: BookingInfo | None = None
    conflict_id: str | None = None


@dataclass(frozen=True, slots=True)
class SessionInput:
    """A mediation session record (人民调解记录)."""

    case_id: str
    started_at: dt.datetime
    presiding_id: str
    mode: str
    outcome: str
    process_text: str = ""
    ended_at: dt.datetime | None = None
    booking_id: str | None = None
    co_mediator_ids: tuple[str, ...] = ()
    recorder: str = ""
    attendees: tuple[str, ...] = ()
    place: str = ""
    next_session_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: str
    case_id: str
    seq: int
    started_at: dt.datetime
    presiding_name: str
    mode: str
    outcome: str
    next_session_at: dt.datetime | None
    warnings: tuple[str, ...] = ()
    booking_id: str | None = None
    voided: bool = False
    revision: int = 1
    changes: Changes = field(default=Changes(), compare=False)  # of the call that made it


@dataclass(frozen=True, slots=True)
class SessionChange:
    """A correction (更正) or a void (作废) of a session record, as its history shows it."""

    kind: str  # correct / void
    reason: str
    before: dict[str, object]
    after: dict[str, object]
    at: dt.datetime
    by_name: str


class RecordPermissionError(PermissionDeniedError):
    """The signed-in user may not do this to a record (e.g. only a director voids a session)."""


@dataclass(frozen=True, slots=True)
class AgreementInfo:
    """One agreement in the case's mediation file."""

    id: str
    number: str
    session_id: str
    oral: bool
    agreed_on: dt.date


@dataclass(frozen=True, slots=True)
class CaseMediation:
    """A case's mediation file (调解卷): its bookings, session records and agreements."""

    case_id: str
    bookings: tuple[BookingInfo, ...]
    sessions: tuple[SessionInfo, ...]
    agreements: tuple[AgreementInfo, ...]


@dataclass(frozen=True, slots=True)
class AgreementInput:
    """The agreement (人民调解协议书); ``form="oral"`` records an oral agreement (口头协议)."""

    session_id: str
    facts: str
    terms: tuple[str, ...]
    performance: str = ""
    form: str = "written"
    committee: str = ""


@dataclass(frozen=True, slots=True)
class AgreementParty:
    role: str  # 甲方 / 乙方 / 丙方…
    name: str
    gender: str
    age: str
    phone: str
    address: str


@dataclass(frozen=True, slots=True)
class AgreementDocument:
    """Everything the agreement PDF prints (research/domain.md §2.4)."""

    id: str
    number: str
    case_code: str
    committee: str
    oral: bool
    parties: tuple[AgreementParty, ...]
    facts: str
    terms: tuple[str, ...]
    performance: str
    copies: int
    mediators: tuple[str, ...]
    recorder: str
    date_text: str
    changes: Changes = field(default=Changes(), compare=False)  # of the call that made it


@dataclass(frozen=True, slots=True)
class NoticeDocument:
    """A 调解通知书 for one party."""

    number: str
    case_code: str
    issuer: str
    addressee: str
    title: str
    room_name: str
    when_text: str
    mediators: tuple[str, ...]
    date_text: str
    centre_address: str = ""
    centre_phone: str = ""


@dataclass(frozen=True, slots=True)
class RoomPrintJob:
    """A numbered room document ready to print: the snapshot as issued and, from the second
    print on, the 补打 note (everything else prints byte for byte as the first time)."""

    document_id: str
    number: str
    reprint_note: str  # empty on the first print
    agreement: AgreementDocument | None = None
    notice: NoticeDocument | None = None

    @property
    def reprint(self) -> bool:
        return bool(self.reprint_note)

    @property
    def name(self) -> str:
        """A file name for the document (no ID numbers or phones)."""
        if self.agreement is not None:
            return f"人民调解协议书-{self.number}"
        addressee = self.notice.addressee if self.notice is not None else ""
        return f"调解通知书-{addressee}-{self.number}"
