"""Key rotation (密钥轮换): a new active data key, every local token re-sealed in batches.

Order, so that a crash at any point loses nothing: (1) the new key is added to the keyring as
active, the old one kept; (2) person rows are re-sealed 500 per transaction through the ORM (the
outbox sends the new tokens and blind indexes to the hub, the audit log records each batch);
(3) queued outbox payloads are re-sealed the same way. Running it again resumes where it
stopped. Old keys stay in the key set (rows pulled from PCs that have not rotated yet still open);
``retire`` drops one once nothing on this PC uses it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from services.audit.log import tag
from services.context import ServiceContext
from services.store.models import Person
from services.store.sealed import (
    FIELDS,
    DataKey,
    DataKeyError,
    KeySet,
    blind,
    install,
    is_sealed,
    key_id_of,
    seal,
    unseal,
)

BATCH = 500
_STALE = ("(({f} LIKE 'e1.%' AND substr({f}, 4, 8) != :k) OR ({g} LIKE 'e1.%' AND "
          "substr({g}, 4, 8) != :k))").format(f="id_number", g="phone")  # fmt: skip


@dataclass(frozen=True)
class RotationReport:
    new_key_id: str
    people: int
    outbox: int


def _reseal_people_batch(session: Session, active: str, after: int) -> tuple[int, int]:
    rows = session.execute(
        text(f"SELECT rowid, id FROM person WHERE rowid > :a AND {_STALE} ORDER BY rowid LIMIT :n"),
        {"a": after, "k": active, "n": BATCH},
    ).all()
    for _rowid, pid in rows:
        person = session.get(Person, pid)
        assert person is not None
        for name in FIELDS:
            if getattr(person, name):
                flag_modified(person, name)  # written again: sealed under the active key
                setattr(person, name + "_hmac", blind(getattr(person, name), name))
    if rows:
        tag(session, "rotate_key", entity="person", key_id=active, rows=len(rows))
    return (int(rows[-1][0]) if rows else after), len(rows)


def _reseal_body(body: dict[str, Any], active: str) -> bool:
    changed = False
    for name in FIELDS:
        value = body.get(name)
        if isinstance(value, str) and is_sealed(value) and key_id_of(value) != active:
            body[name] = seal(unseal(value, name), name)
            changed = True
    return changed


def _reseal_outbox_batch(session: Session, active: str, after: int) -> tuple[int, int]:
    rows = session.execute(
        text("SELECT seq, payload FROM outbox WHERE entity = 'person' AND seq > :a "
             "ORDER BY seq LIMIT :n"), {"a": after, "n": BATCH},
    ).all()  # fmt: skip
    changed = 0
    for seq, raw in rows:
        payload = json.loads(raw) if isinstance(raw, str) else raw
        parts = [payload.get(p) for p in ("row", "fields", "before")]
        if any([_reseal_body(p, active) for p in parts if isinstance(p, dict)]):
            session.execute(text("UPDATE outbox SET payload = :p WHERE seq = :s"),
                            {"p": json.dumps(payload), "s": seq})  # fmt: skip
            changed += 1
    return (int(rows[-1][0]) if rows else after), changed if rows else -1


def reseal(ctx: ServiceContext, active: str, progress: Callable[[int], None] | None = None
           ) -> tuple[int, int]:  # fmt: skip
    """Re-seal every local token not under ``active`` (the installed active key)."""
    people = 0
    after = 0
    while True:
        after, n = ctx.store.run_write(partial(_reseal_people_batch, active=active, after=after))
        if n == 0:
            break
        people += n
        if progress:
            progress(people)
    outbox = 0
    after = 0
    while True:
        after, n = ctx.store.run_write(partial(_reseal_outbox_batch, active=active, after=after))
        if n < 0:
            break
        outbox += n
    return people, outbox


def rotate(
    ctx: ServiceContext, keys: KeySet, save: Callable[[KeySet], None],
    progress: Callable[[int], None] | None = None,
) -> tuple[KeySet, RotationReport]:  # fmt: skip
    """Make a new active key, keep the old ones, and re-seal everything on this PC."""
    ctx.require("keys.manage")
    new = keys.with_key(DataKey.generate(), activate=True)
    save(new)  # first: from here on a crash leaves both keys in the keyring
    install(new)
    people, outbox = reseal(ctx, new.active_id, progress)
    return new, RotationReport(new.active_id, people, outbox)


def keys_in_use(ctx: ServiceContext) -> dict[str, int]:
    """How many person fields each key seals on this PC (``""``: still plain text)."""
    counts: dict[str, int] = {}
    with ctx.store.read() as session:
        for name in FIELDS:
            rows = session.execute(text(
                f"SELECT CASE WHEN {name} LIKE 'e1.%' THEN substr({name}, 4, 8) ELSE '' END k, "
                f"count(*) FROM person WHERE {name} IS NOT NULL GROUP BY k")).all()  # fmt: skip
            for kid, n in rows:
                counts[str(kid)] = counts.get(str(kid), 0) + int(n)
    return counts


def retire(ctx: ServiceContext, keys: KeySet, key_id: str) -> KeySet:
    """The key set without ``key_id``; refused while a local row or payload still uses it."""
    ctx.require("keys.manage")
    if key_id == keys.active_id:
        raise DataKeyError("datakey.active", "不能停用当前使用中的数据密钥")
    if keys_in_use(ctx).get(key_id):
        raise DataKeyError("datakey.in_use", "仍有人员信息使用此密钥，请先执行密钥轮换")
    return keys.without(key_id)
