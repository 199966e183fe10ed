"""Alembic environment of the hub; run programmatically by hub.db.migrate."""

from __future__ import annotations

from alembic import context

from hub.models import HubBase

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=HubBase.metadata, version_table="hub_alembic_version"
)
with context.begin_transaction():
    context.run_migrations()
