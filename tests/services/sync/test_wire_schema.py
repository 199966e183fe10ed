"""services.sync.schema (what the hub accepts) is exactly the desktop store's synced tables.

When this fails after a model change, regenerate the module:
    .venv/bin/python -m tests.services.sync.test_wire_schema > services/sync/schema.py
"""

from __future__ import annotations

import re
import sys

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, Numeric, Table

from services.store.models import Base
from services.store.sealed import Sealed
from services.sync import schema

HEADER = '''"""The synced tables as the county hub checks pushes against them (上传数据结构).

Generated from ``services.store.models`` (``__sync__`` tables) by
``python -m tests.services.sync.test_wire_schema > services/sync/schema.py``; a test keeps the two
equal. Pure data, so the hub never loads the desktop's ORM.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class Column(NamedTuple):
    """One field: its JSON kind, whether it may be null, whether an insert must carry it, and
    the synced entity it refers to."""

    kind: str  # str / int / bool / datetime / date / decimal / json / sealed
    nullable: bool
    required: bool
    ref: str | None


class Entity(NamedTuple):
    key: tuple[str, ...]
    columns: dict[str, Column]


'''


def _kind(column: object) -> str:
    kind = getattr(column, "type", None)
    if isinstance(kind, Sealed):
        return "sealed"  # personal data: the hub takes only sealed tokens
    for cls, name in ((Boolean, "bool"), (Integer, "int"), (Numeric, "decimal"),
                      (DateTime, "datetime"), (Date, "date"), (JSON, "json")):  # fmt: skip
        if isinstance(kind, cls):
            return name
    return "str"


def derive() -> dict[str, schema.Entity]:
    synced = [m.local_table for m in Base.registry.mappers if getattr(m.class_, "__sync__", False)]
    tables = {t.name: t for t in synced if isinstance(t, Table)}
    out: dict[str, schema.Entity] = {}
    for name in sorted(tables):
        table = tables[name]
        columns = {}
        for c in table.columns:
            refs = [fk.column.table.name for fk in c.foreign_keys
                    if fk.column.table.name in tables]  # fmt: skip
            required = not c.nullable and c.default is None and c.server_default is None
            columns[c.name] = schema.Column(_kind(c), bool(c.nullable), required,
                                            refs[0] if refs else None)  # fmt: skip
        out[name] = schema.Entity(tuple(c.name for c in table.primary_key.columns), columns)
    return out


def render() -> str:
    lines = [HEADER + "SCHEMA: Final[dict[str, Entity]] = {"]
    for name, entity in derive().items():
        lines.append(f"    {name!r}: Entity({entity.key!r}, {{")
        for col, spec in entity.columns.items():
            lines.append(f"        {col!r}: Column({spec.kind!r}, {spec.nullable}, "
                         f"{spec.required}, {spec.ref!r}),")  # fmt: skip
        lines.append("    }),")
    lines.append("}  # fmt: skip")
    return "\n".join(lines) + "\n"


def test_the_hub_schema_is_the_store_schema() -> None:
    assert schema.SCHEMA == derive(), "regenerate services/sync/schema.py (see this module)"


if __name__ == "__main__":
    sys.stdout.write(render())


def test_every_entity_the_sync_screen_can_list_has_a_chinese_name() -> None:
    """The 同步 screen's lists (待上传, 冲突, 已隔离, 暂存) name each record's kind: 16 synced
    entities (audit_log, room_booking, mediator…) showed as raw table names."""
    from services.sync.dto import ENTITY_LABELS, entity_label
    from services.sync.protocol import CONFLICT_ENTITY, REFERENCE_ENTITIES
    from services.sync.schema import SCHEMA

    everything = set(SCHEMA) | set(REFERENCE_ENTITIES) | {CONFLICT_ENTITY}
    unnamed = sorted(e for e in everything if entity_label(e) == e)
    assert not unnamed, unnamed
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in ENTITY_LABELS.values())
