"""The demo township (演示数据): cases, rooms and bookings made through the real services."""
