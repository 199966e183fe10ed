"""Mediation rooms (调解室): rooms, mediators, bookings and series, session records, agreements
and notices."""
