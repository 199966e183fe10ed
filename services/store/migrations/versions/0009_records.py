"""Records (issue 12): the ledger's indexes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

Measured on the 1M-case bench database (``tests/bench``): every quick filter, sort and filter
combination of the ledger has to serve a page in a few milliseconds. ``services.cases.ledger_plan``
walks one index per page in the sort order and checks the other filters on the way, so each
filterable column gets, for each sortable column (登记时间, 办结期限, 案件编号), an index that starts
with the filter's value and continues with the sort key (``ix_ledger_<dim>_<sort>``), plus one per
sort key for no filter. The two partial indexes hold only cases with a deadline, with the columns
that decide 已超期, so that filter walks in registration or code order without reading the table.
The old (column, registered_at) indexes are superseded by these (same prefix, plus the id that
breaks ties) and dropped.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORTS = {"reg": "registered_at, id", "due": "due_at, id", "code": "code"}
DIMENSIONS = {
    "state": "state",
    "colour": "risk_colour",
    "village": "village_id",
    "supervision": "supervision_level",
    "registrar": "registered_by",
    "class": "substr(category_code, 1, 2)",
    "level": "handling_level",
    "township": "township_id",
}
PARTIAL = {
    "ix_ledger_open_reg": "registered_at, id, due_at, clock_paused, state",
    "ix_ledger_open_code": "code, due_at, clock_paused, state",
}
SUPERSEDED = {
    "ix_case_state_registered": "state, registered_at",
    "ix_case_village_registered": "village_id, registered_at",
    "ix_case_registered": "registered_at",
    "ix_case_due": "state, due_at",
    "ix_case_colour_registered": "risk_colour, registered_at",
}


def _indexes() -> dict[str, str]:
    out: dict[str, str] = {}
    for suffix, key in SORTS.items():
        out[f"ix_ledger_{suffix}"] = key
        for dim, column in DIMENSIONS.items():
            out[f"ix_ledger_{dim}_{suffix}"] = f"{column}, {key}"
    return out


def upgrade() -> None:
    for name in SUPERSEDED:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for name, columns in _indexes().items():
        op.execute(f"CREATE INDEX {name} ON case_file ({columns})")
    for name, columns in PARTIAL.items():
        op.execute(f"CREATE INDEX {name} ON case_file ({columns}) WHERE due_at IS NOT NULL")


def downgrade() -> None:
    for name in (*_indexes(), *PARTIAL):
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for name, columns in SUPERSEDED.items():
        op.execute(f"CREATE INDEX {name} ON case_file ({columns})")
