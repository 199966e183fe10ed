"""Which stored columns are a projection of the event log (派生字段), not truth of their own."""

from __future__ import annotations

# Projection columns re-derived from the event log on every PC (案件状态、督办级别、期限…): an
# update leaves them out, so only the events carry them to the county hub (which refuses them).
DERIVED_COLUMNS: dict[str, frozenset[str]] = {
    "case_file": frozenset(
        {
            "state", "supervision_level", "assignee_unit_id", "due_at", "remind_at", "yellow_at",
            "due_provisional", "clock_paused", "rework_count", "event_count", "closed_at",
            "risk_colour", "risk_basis", "handling_level", "category_code", "revision",
        }
    ),
}  # fmt: skip
