"""Shared fixtures for the services tests: a temporary store, a township and form builders."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from services.context import ServiceContext
from services.domain.access import Principal
from services.domain.dto import PartyInput, WalkInInput
from services.domain.identity import id_check_char
from services.setup.township import add_org, make_context, open_store, set_up_township
from services.store.engine import Store

NOW = dt.datetime(2026, 11, 20, 10, 0)
TOWNSHIP_NAME = "青山镇"
TOWNSHIP_CODE = "620123101000"
VILLAGES = ("东沟村", "西岔村", "南湾村")
UNIT_NAME = "青山司法所"


@dataclasses.dataclass(frozen=True)
class Orgs:
    """The organisation tree the ``ctx`` fixture sets up."""

    township_id: str
    villages: dict[str, str]
    unit_id: str


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def store(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Store]:
    """A migrated store; for a test that takes ``ctx``/``orgs``, a copy of the township template
    (setting a township up costs ~0.3 s per test, copying it a few milliseconds)."""
    if "ctx_and_orgs" in request.fixturenames:
        template, _ = request.getfixturevalue("township_template")
        copy_store(template, db_path)
    s = open_store(db_path)
    try:
        yield s
    finally:
        s.dispose()


def copy_store(template: Path, path: Path) -> None:
    """A consistent copy of the SQLite file ``template`` at ``path`` (SQLite's backup API)."""
    source, target = sqlite3.connect(template), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


@contextlib.contextmanager
def township_copy(template: tuple[Path, Orgs], path: Path) -> Iterator[tuple[ServiceContext, Orgs]]:
    """What ``ctx``/``orgs`` give a test, for a fixture shared by a module's read-only tests:
    a copy of the township template at ``path``, disposed of at the end."""
    copy_store(template[0], path)
    s = open_store(path)
    try:
        ctx = make_context(s)
        ctx.now = lambda: NOW
        assert ctx.township_id == template[1].township_id
        yield ctx, template[1]
    finally:
        s.dispose()


def township_context(store: Store) -> tuple[ServiceContext, Orgs]:
    """This PC's context over ``store`` with the township, three villages and a unit set up."""
    ctx = make_context(store)
    ctx.now = lambda: NOW
    township = set_up_township(ctx, TOWNSHIP_NAME, TOWNSHIP_CODE)
    villages: dict[str, str] = {}
    with store.write() as session:
        for i, name in enumerate(VILLAGES):
            org = add_org(session, kind="village", name=name, parent_id=township.id,
                          code=f"620123101{i + 1:03d}", sort_order=i)  # fmt: skip
            villages[name] = org.id
        unit = add_org(session, kind="unit", name=UNIT_NAME, parent_id=township.id,
                       unit_type="司法所")  # fmt: skip
        unit_id = unit.id
    return ctx, Orgs(township.id, villages, unit_id)


@pytest.fixture(scope="session")
def township_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Orgs]:
    """A store set up by ``township_context`` once per test process; ``store`` copies it for
    every test that takes ``ctx``/``orgs``."""
    path = tmp_path_factory.mktemp("township") / "store.db"
    s = open_store(path)
    try:
        _, orgs = township_context(s)
    finally:
        s.dispose()
    return path, orgs


@pytest.fixture
def ctx_and_orgs(store: Store, township_template: tuple[Path, Orgs]) -> tuple[ServiceContext, Orgs]:
    """``township_context`` over ``store``, which holds a copy of the township template."""
    ctx = make_context(store)
    ctx.now = lambda: NOW
    assert ctx.township_id == township_template[1].township_id
    return ctx, township_template[1]


@pytest.fixture
def ctx(ctx_and_orgs: tuple[ServiceContext, Orgs]) -> ServiceContext:
    return ctx_and_orgs[0]


@pytest.fixture
def orgs(ctx_and_orgs: tuple[ServiceContext, Orgs]) -> Orgs:
    return ctx_and_orgs[1]


def valid_id(first17: str) -> str:
    """A valid 18-character ID number made from its first 17 digits."""
    return first17 + id_check_char(first17)


def id_numbers() -> Callable[[], str]:
    """A factory of distinct valid ID numbers (area 620123, born 1980-1989)."""
    counter = itertools.count(1)

    def make() -> str:
        n = next(counter)
        first17 = f"620123{1980 + n % 10}0{1 + n % 9}1{n % 10}{n % 1000:03d}"
        assert len(first17) == 17, first17
        return valid_id(first17)

    return make


@pytest.fixture
def new_id() -> Callable[[], str]:
    """A factory of distinct valid ID numbers (area 620123, born 1980-1989)."""
    return id_numbers()


def walk_in_forms() -> Callable[..., WalkInInput]:
    """Build a valid walk-in form; keyword overrides replace any field of ``WalkInInput``.

    ``visitor=dict(...)`` overrides fields of the (single, default) visiting party instead.
    """

    def make(*, visitor: dict[str, Any] | None = None, **overrides: Any) -> WalkInInput:
        party = PartyInput(**{"name": "张三", "phone": "13812345678", **(visitor or {})})
        base: dict[str, Any] = {
            "parties": (party,),
            "summary": "张三与邻居因宅基地边界发生纠纷，要求调解",
            "category_code": "0202",
            "disposition": "accepted",
        }
        base.update(overrides)
        return WalkInInput(**base)

    return make


@pytest.fixture
def walk_in() -> Callable[..., WalkInInput]:
    """Build a valid walk-in form (see ``walk_in_forms``)."""
    return walk_in_forms()


TEST_PASSWORD = "pass1234"


@pytest.fixture
def sign_in_as(ctx: ServiceContext) -> Callable[[str], Principal]:
    """Make a user of ``role`` on this PC and sign in as them; the context then needs sign-in."""
    from services.auth.service import AuthService
    from services.setup.township import add_user

    made: dict[str, str] = {}

    def sign_in(role: str) -> Principal:
        username = made.get(role) or f"{role}{len(made) + 1}"
        if role not in made:
            with ctx.store.write() as session:
                add_user(session, username=username, display_name=f"测试{role}", role=role,
                         org_id=ctx.township_id, password=TEST_PASSWORD)  # fmt: skip
            made[role] = username
        ctx.requires_sign_in = True
        return AuthService(ctx).sign_in(username, TEST_PASSWORD)

    return sign_in
