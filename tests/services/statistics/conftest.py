"""The hand-written scenario (``scenario.py``) over a fresh store."""

from __future__ import annotations

import pytest

from services.context import ServiceContext
from tests.services.conftest import Orgs
from tests.services.statistics.scenario import Scenario


@pytest.fixture
def scenario(ctx: ServiceContext, orgs: Orgs) -> Scenario:
    villages = dict(zip(("V1", "V2", "V3"), orgs.villages.values(), strict=True))
    return Scenario(ctx, villages, orgs.unit_id)
