"""调解室 screen: day and week calendar of rooms, bookings, reminders, session records."""

from views.rooms.api import RoomsApi
from views.rooms.calendar import CalendarGrid
from views.rooms.view import RoomsView

__all__ = ["CalendarGrid", "RoomsApi", "RoomsView"]
