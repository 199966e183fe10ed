"""Property-based API test: no request generated from ``/openapi.json`` makes the hub fail (5xx)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

from hub import admin
from hub.app import create_app
from hub.db import HubDB
from tests.hub.harness import TOWNSHIP_A

if TYPE_CHECKING:
    from schemathesis import Case

schemathesis = pytest.importorskip("schemathesis")

_DIR = Path(tempfile.mkdtemp(prefix="hub-schemathesis-"))
atexit.register(shutil.rmtree, _DIR, True)
_DB = HubDB(f"sqlite:///{_DIR / 'hub.db'}")
_TOKEN = admin.issue_token(
    _DB, "fuzz", township_code=TOWNSHIP_A[0], township_name=TOWNSHIP_A[1]
).token
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_DB))


@pytest.mark.integration
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors(case: Case) -> None:
    response = case.call(headers={"Authorization": f"Bearer {_TOKEN}"})
    assert response.status_code < 500, response.text
