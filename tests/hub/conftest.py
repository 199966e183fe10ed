"""Fixtures of the hub and sync tests: an in-process hub and PCs that sync with it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hub.harness import InProcessHub, Pc, make_pc


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[InProcessHub]:
    h = InProcessHub(f"sqlite:///{tmp_path / 'hub.db'}")
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
