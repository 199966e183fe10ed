"""What the 调解室 screen needs from the domain (implemented by ``services.rooms.RoomService``)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from services.room_dto import (
    AgreementDocument,
    AgreementInput,
    BookingInfo,
    BookingInput,
    BookingProposal,
    BookingResult,
    MediatorInfo,
    MediatorInput,
    NoticeDocument,
    ReminderItem,
    RoomInfo,
    RoomInput,
    SessionInfo,
    SessionInput,
)


class RoomsApi(Protocol):
    """The room service as the rooms screen uses it; tests pass a typed fake."""

    def rooms(self) -> tuple[RoomInfo, ...]: ...

    def add_room(self, form: RoomInput) -> RoomInfo: ...

    def add_mediator(self, form: MediatorInput) -> MediatorInfo: ...

    def mediators(self) -> tuple[MediatorInfo, ...]: ...

    def bookings_between(
        self, first: dt.date, last: dt.date, include_cancelled: bool = False
    ) -> tuple[BookingInfo, ...]: ...

    def propose_for_case(self, case_id: str) -> BookingProposal: ...

    def book(self, form: BookingInput) -> BookingResult: ...

    def move(self, booking_id: str, start: dt.datetime, end: dt.datetime,
             room_id: str | None = None) -> BookingResult: ...  # fmt: skip

    def check_in(self, booking_id: str) -> BookingInfo: ...

    def finish(self, booking_id: str) -> BookingInfo: ...

    def cancel(self, booking_id: str) -> BookingInfo: ...

    def mark_no_show(self, booking_id: str) -> BookingInfo: ...

    def expire_overdue(self) -> tuple[BookingInfo, ...]: ...

    def follow_ups(self) -> tuple[BookingInfo, ...]: ...

    def follow_up_done(self, booking_id: str) -> BookingInfo: ...

    def reminders(self, day: dt.date | None = None) -> tuple[ReminderItem, ...]: ...

    def reveal_phone(self, person_id: str) -> str: ...

    def notice_document(self, booking_id: str, person_id: str) -> NoticeDocument: ...

    def record_session(self, form: SessionInput) -> SessionInfo: ...

    def sessions(self, case_id: str) -> tuple[SessionInfo, ...]: ...

    def record_agreement(self, form: AgreementInput) -> AgreementDocument: ...
