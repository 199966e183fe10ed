"""hub0003: password hashes pushed before issue 11 are removed from the hub's tables."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from hub.db import MIGRATIONS_DIR, make_engine, normalise_url

ROW = {"id": "u1", "username": "jd", "role": "receptionist", "password_hash": "pbkdf2$1$00$11"}


def _urls(tmp_path: Path) -> list[str]:
    urls = [f"sqlite:///{tmp_path / 'hub.db'}"]
    if os.environ.get("ZZ_TEST_POSTGRES"):
        urls.append(os.environ["ZZ_TEST_POSTGRES"])
    return urls


def _upgrade(engine: sa.Engine, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


@pytest.mark.parametrize("which", [0, 1])
def test_hub_forgets_the_password_hashes_it_was_sent(tmp_path: Path, which: int) -> None:
    urls = _urls(tmp_path)
    if which >= len(urls):
        pytest.skip("set ZZ_TEST_POSTGRES to a scratch PostgreSQL database to run this too")
    engine = make_engine(normalise_url(urls[which]))
    try:
        _upgrade(engine, "hub0002")
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO record (entity, entity_id, township_id, public, owner, row,"
                    " field_hlc, seq, origin, base_seq, updated_at) VALUES ('app_user', 'u1',"
                    " NULL, false, 't', :row, '{}', 1, NULL, 0, '2026-01-01 00:00:00')"
                ),
                {"row": json.dumps(ROW)},
            )
            conn.execute(sa.text(
                "INSERT INTO change (change_id, device_id, entity, entity_id, op, hlc, payload,"
                " payload_hash, township_id, seq, received_at) VALUES ('c1', 'd', 'app_user',"
                " 'u1', 'insert', 'h', :p, 'x', NULL, 1, '2026-01-01 00:00:00')"),
                {"p": json.dumps({"row": ROW})})  # fmt: skip
        _upgrade(engine, "head")
        with engine.connect() as conn:
            row = conn.execute(sa.text("SELECT row FROM record")).scalar_one()
            payload = conn.execute(sa.text("SELECT payload FROM change")).scalar_one()
        row = json.loads(row) if isinstance(row, str) else row
        payload = json.loads(payload) if isinstance(payload, str) else payload
        assert row == {k: v for k, v in ROW.items() if k != "password_hash"}
        assert payload == {"row": row}
    finally:
        engine.dispose()
