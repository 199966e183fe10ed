"""The ``ctx`` fixture: a copy of a township set up once per process, never the template itself."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.reception.registration import register_walk_in
from services.store.models import OrgUnit
from tests.services.conftest import TOWNSHIP_CODE, UNIT_NAME, VILLAGES, Orgs


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_ctx_writes_into_its_own_copy_of_the_township_template(
    ctx: ServiceContext, orgs: Orgs, db_path: Path, township_template: tuple[Path, Orgs],
    walk_in: Callable[..., WalkInInput],
) -> None:  # fmt: skip
    template, template_orgs = township_template
    assert ctx.store.path == db_path != template
    assert orgs == template_orgs and ctx.township_code == TOWNSHIP_CODE
    with ctx.store.read() as session:
        names = {o.name for o in session.query(OrgUnit).where(OrgUnit.kind != "township")}
    assert names == {*VILLAGES, UNIT_NAME}

    before = _count(template, "case_file")
    register_walk_in(ctx, walk_in())
    assert _count(db_path, "case_file") == before + 1
    assert _count(template, "case_file") == before == 0
