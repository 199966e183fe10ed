"""At start: install this PC's data key and tell whether the database needs a key it lacks."""

from __future__ import annotations

from sqlalchemy import text

from services.keys.keyring_store import demo_keys, load_or_create
from services.store.engine import Store
from services.store.sealed import KeySet, install, installed, missing_key_message

SAMPLE = 200  # sealed rows looked at, newest and oldest: a copied database shows at once


def install_keys(*, demo: bool) -> tuple[KeySet, bool]:
    """Install the demo key (``demo``) or this PC's key set from the OS keyring, made on the
    first start. True when a key was just made (its recovery file is still to be written)."""
    keys, created = (demo_keys(), False) if demo else load_or_create()
    already = installed()
    if already is not None:  # a second store in one process (tests, tools): keep what opened
        merged = already
        for key in keys.keys.values():
            merged = merged.with_key(key, activate=False)
        keys = merged.with_key(keys.active, activate=True)
    install(keys)
    return keys, created


def missing_keys(store: Store, keys: KeySet) -> tuple[str, ...]:
    """Ids of keys the stored personal data is sealed with that ``keys`` lacks (sampled)."""
    found: set[str] = set()
    with store.read() as session:
        for order in ("DESC", "ASC"):
            for name in ("id_number", "phone"):
                rows = session.execute(text(
                    f"SELECT substr({name}, 4, 8) FROM person WHERE {name} LIKE 'e1.%' "
                    f"ORDER BY rowid {order} LIMIT {SAMPLE}")).scalars()  # fmt: skip
                found.update(str(k) for k in rows)
    return tuple(sorted(found - set(keys.keys)))


def missing_keys_message(missing: tuple[str, ...]) -> str:
    return missing_key_message("、".join(missing)) if missing else ""
