"""case_tally (migration 0019) stays equal to a count over case_file, whatever writes the cases."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.reception.registration import register_walk_in
from services.setup.township import add_org
from services.store import tally
from tests.services.conftest import Orgs


def counted(conn: sqlite3.Connection) -> dict[tuple[str, str, str, str], int]:
    """What the tally should hold: every dimension's key counted over the live cases."""
    out: dict[tuple[str, str, str, str], int] = {}
    for dim, key in tally.DIMENSIONS.items():
        k = key.format(r="case_file")
        rows = conn.execute(
            f"SELECT {tally.day_sql(dim, 'case_file')}, township_id, {k}, count(*) FROM case_file "
            f"WHERE state != 'voided' GROUP BY 1, 2, 3"
        )
        for day, township, value, n in rows:
            out[(day, township, dim, value)] = n
    return out


def held(conn: sqlite3.Connection) -> dict[tuple[str, str, str, str], int]:
    rows = conn.execute("SELECT day, township_id, dimension, key, n FROM case_tally")
    out = {}
    for day, township, dim, key, n in rows:
        assert n >= 0, (day, township, dim, key, n)
        if n:
            out[(day, township, dim, key)] = n
    return out


def test_registration_and_voiding_are_tallied(
    ctx: ServiceContext, orgs: Orgs, db_path: Path, walk_in: Callable[..., WalkInInput]
) -> None:
    register_walk_in(ctx, walk_in(village_id=orgs.villages["东沟村"]))
    register_walk_in(ctx, walk_in(category_code="0301"))
    conn = sqlite3.connect(db_path)
    try:
        tallied = held(conn)
        assert sum(n for (_, _, dim, _), n in tallied.items() if dim == "all") == 2
        assert tallied[("2026-11-20", orgs.township_id, "class", "03")] == 1
        assert tallied[("2026-11-20", orgs.township_id, "village", orgs.villages["东沟村"])] == 1
        assert tallied == counted(conn)
    finally:
        conn.close()


COLUMNS: dict[str, Any] = {
    "category_code": st.sampled_from(["0202", "0301", "0105", "0999"]),
    "channel": st.sampled_from(["walk_in", "phone", "online"]),
    "risk_colour": st.sampled_from(["green", "yellow", "orange", "red"]),
    "state": st.sampled_from(["registered", "accepted", "assigned", "closed", "voided"]),
    "closed_at": st.sampled_from([None, "2026-11-21 09:00:00.000000"]),
    "registered_at": st.sampled_from(
        ["2026-11-20 10:00:00.000000", "2026-11-19 23:59:59.000000", "2026-01-01 00:00:00.000000"]
    ),
}
REFS = ("village_id", "assignee_unit_id", "township_id")

operation = st.one_of(
    st.tuples(
        st.just("update"),
        st.integers(0, 5),
        st.sampled_from(sorted(COLUMNS)).flatmap(lambda c: st.tuples(st.just(c), COLUMNS[c])),
        st.none(),
    ),
    st.tuples(st.just("ref"), st.integers(0, 5), st.sampled_from(REFS), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.integers(0, 5), st.none(), st.none()),
    st.tuples(st.just("copy"), st.integers(0, 5), st.none(), st.none()),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(operation, min_size=1, max_size=12))
def test_any_write_keeps_the_tally_exact(
    ctx: ServiceContext,
    orgs: Orgs,
    db_path: Path,
    walk_in: Callable[..., WalkInInput],
    ops: list[tuple[str, int, Any, Any]],
) -> None:
    with ctx.store.read() as session:
        known = session.execute(tally.case_tally.select().limit(1)).first()
    if known is None:  # first example: six cases and a second township to move them to
        with ctx.store.write() as session:
            add_org(session, kind="township", name="白水镇", code="620123102000", parent_id=None)
        for i in range(6):
            register_walk_in(ctx, walk_in(summary=f"第{i}件纠纷，要求调解处理"))
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        ids = [r[0] for r in conn.execute("SELECT id FROM case_file ORDER BY id")]
        refs = {
            "village_id": [None, *orgs.villages.values()],
            "assignee_unit_id": [None, orgs.unit_id, orgs.unit_id, None],
            "township_id": [
                r[0] for r in conn.execute("SELECT id FROM org_unit WHERE kind = 'township'")
            ],
        }
        conn.execute("BEGIN")
        for n, (kind, which, column, extra) in enumerate(ops):
            case_id = ids[which % len(ids)]
            if kind == "update":
                column, value = column
                conn.execute(f"UPDATE case_file SET {column} = ? WHERE id = ?", (value, case_id))
            elif kind == "ref":
                choices = refs[column]
                value = choices[extra % len(choices)]
                conn.execute(f"UPDATE case_file SET {column} = ? WHERE id = ?", (value, case_id))
            elif kind == "delete":
                conn.execute("DELETE FROM case_file WHERE id = ?", (case_id,))
            else:
                conn.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS copy AS SELECT * FROM case_file LIMIT 0"
                )
                conn.execute("DELETE FROM copy")
                conn.execute("INSERT INTO copy SELECT * FROM case_file WHERE id = ?", (case_id,))
                conn.execute(
                    "UPDATE copy SET id = ?, code = code || ?", (f"copy-{n}-{case_id}", f"-c{n}")
                )
                conn.execute("INSERT INTO case_file SELECT * FROM copy")
            assert held(conn) == counted(conn), ops[: n + 1]
        conn.execute("ROLLBACK")
    finally:
        conn.close()
