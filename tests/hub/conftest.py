"""Fixtures of the hub and sync tests: an in-process hub and PCs that sync with it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hub.harness import (
    InProcessHub,
    Pc,
    drop_hub_templates,
    fresh_hub_url,
    make_pc,
    migrated_sqlite_hub,
    postgres_available,
)


@pytest.fixture(scope="session", autouse=True)
def hub_templates() -> Iterator[None]:
    """The migrated hub schemas and SQLite template of this process go when the session ends."""
    yield
    drop_hub_templates()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[InProcessHub]:
    h = InProcessHub(migrated_sqlite_hub(tmp_path / "hub.db"))
    try:
        yield h
    finally:
        h.close()


@pytest.fixture
def pcs(tmp_path: Path, hub: InProcessHub) -> Iterator[Callable[..., Pc]]:
    made: list[Pc] = []

    def make(name: str, token: str, **kwargs: object) -> Pc:
        pc = make_pc(tmp_path, name, token, hub.transport, **kwargs)  # type: ignore[arg-type]
        made.append(pc)
        return pc

    yield make
    for pc in made:
        pc.close()


def require_postgres() -> bool:
    """PostgreSQL is there; in CI (CI=true) its absence fails the test instead of skipping."""
    if postgres_available():
        return True
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432 (CI must run the hub on it)")
    pytest.skip("PostgreSQL is not reachable")
    return False


@pytest.fixture
def pg_hub(tmp_path: Path) -> Iterator[InProcessHub]:
    """The hub in-process over an empty migrated PostgreSQL schema (where the findings were
    made): one schema per process, emptied for each test (see ``harness._MigratedSchemas``)."""
    require_postgres()
    with fresh_hub_url(tmp_path, postgres=True) as url:
        h = InProcessHub(url)
        try:
            yield h
        finally:
            h.close()


@pytest.fixture
def pg_pcs(tmp_path: Path, pg_hub: InProcessHub) -> Iterator[Callable[..., Pc]]:
    made: list[Pc] = []

    def make(name: str, token: str, **kwargs: object) -> Pc:
        pc = make_pc(tmp_path, name, token, pg_hub.transport, **kwargs)  # type: ignore[arg-type]
        made.append(pc)
        return pc

    yield make
    for pc in made:
        pc.close()
