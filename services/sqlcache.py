"""One cache of compiled SQL per process for engines made alike (the store's, the hub's).

SQLAlchemy keeps compiled statements per engine, keyed by that engine's dialect object, and the
ORM's flush keeps its own per mapper, keyed the same way: every engine made again (a store
opened again, a hub per test; the suite opens hundreds) compiled every statement again. The
engines sharing these caches are made alike, so the dialect's class and the server's version
stand in for the dialect object in the key.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import registry
from sqlalchemy.util import LRUCache


class SharedCompiledCache(LRUCache[Any, Any]):
    """An LRU cache of compiled SQL whose keys name the dialect by class and server version."""

    @staticmethod
    def _key(key: Any) -> Any:
        dialect = key[0]
        return (type(dialect), getattr(dialect, "server_version_info", None), *key[1:])

    def get(self, key: Any, default: Any = None) -> Any:
        return super().get(self._key(key), default)

    def __getitem__(self, key: Any) -> Any:
        return super().__getitem__(self._key(key))

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(self._key(key), value)

    def __contains__(self, key: object) -> bool:
        return super().__contains__(self._key(key))


COMPILED_SQL = SharedCompiledCache(2000)


def share_flush_sql(models: registry) -> None:
    """Give each mapper of ``models`` a shared cache for its flush statements."""
    for mapper in models.mappers:
        if not isinstance(mapper.__dict__.get("_compiled_cache"), SharedCompiledCache):
            mapper._compiled_cache = SharedCompiledCache(100)
