"""County-published reference files replace the shipped ones; a broken one never breaks the PC."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from services.reference.data import CHANNELS_FILE, REFERENCE_DIR
from services.setup.township import make_context, open_store
from services.store.models import SyncReference


def _publish(store: object, content: object) -> None:
    with store.write() as session:  # type: ignore[attr-defined]
        session.merge(SyncReference(name=CHANNELS_FILE, version="county-2027.1", content=content,
                                    received_at=dt.datetime(2026, 11, 20)))  # fmt: skip


def test_county_channels_replace_the_shipped_ones(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db")
    ctx = make_context(store)
    assert "county_hall" not in {c.code for c in ctx.reference.channels}
    data = json.loads((REFERENCE_DIR / CHANNELS_FILE).read_text(encoding="utf-8"))
    data["version"] = "county-2027.1"
    data["channels"].append({"code": "county_hall", "name": "县综治中心转来"})
    _publish(store, data)
    ctx.invalidate()  # what a pull that brought reference data does
    assert "county_hall" in {c.code for c in ctx.reference.channels}
    assert "channels:county-2027.1" in ctx.reference.version
    assert ctx.reference_notice == ""
    again = make_context(open_store(tmp_path / "t.db"))  # and after a restart
    assert again.reference.name_of("channels", "county_hall") == "县综治中心转来"


def test_broken_county_file_keeps_the_shipped_reference(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db")
    ctx = make_context(store)
    _publish(store, {"version": "bad", "channels": "not a list"})
    ctx.invalidate()
    assert {c.code for c in ctx.reference.channels} >= {"walk_in", "phone"}
    assert "无法使用" in ctx.reference_notice
