"""Migration 0007: queued case updates lose their derived columns (the hub refuses them now)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

from services.store.migrate import upgrade


def test_queued_projection_updates_are_stripped_or_marked_sent(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'pc.db'}")
    upgrade(engine, "0006")
    with engine.begin() as conn:
        rows = [
            (
                {
                    "fields": {"state": "closed", "title": "新标题"},
                    "before": {"state": "accepted", "title": "旧"},
                },
                "pending",
            ),  # fmt: skip
            ({"fields": {"state": "closed"}, "before": {"state": "accepted"}}, "pending"),
        ]
        for i, (payload, status) in enumerate(rows):
            conn.execute(text("INSERT INTO outbox (change_id, entity, entity_id, op, hlc, "
                              "payload, status, attempts, created_at) VALUES (:c, 'case_file', "
                              "'k', 'update', 'h', :p, :s, 0, '2026-12-01')"),
                         {"c": f"c{i}", "p": json.dumps(payload), "s": status})  # fmt: skip
    upgrade(engine, "0007")
    with engine.begin() as conn:
        got = {
            r[0]: (json.loads(r[1]), r[2])
            for r in conn.execute(
                text("SELECT change_id, payload, status FROM outbox WHERE change_id LIKE 'c%'")
            )
        }
    assert got["c0"] == ({"fields": {"title": "新标题"}, "before": {"title": "旧"}}, "pending")
    assert got["c1"][1] == "sent"
    engine.dispose()
