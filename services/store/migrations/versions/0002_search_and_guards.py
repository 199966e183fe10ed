"""Full-text search tables and the append-only guard on case_event.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

``case_search`` is the base table of searchable text (one row per case); ``case_fts`` is an FTS5
trigram index over it kept in step by triggers. Terms under 3 characters query ``case_search``
directly (SQLite 3.40's trigram LIKE is wrong for 2-character CJK terms).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATEMENTS = [
    """CREATE TABLE case_search (
        rowid INTEGER PRIMARY KEY,
        case_id VARCHAR(36) NOT NULL UNIQUE REFERENCES case_file(id),
        names TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE VIRTUAL TABLE case_fts USING fts5(
        names, body, content='case_search', content_rowid='rowid', tokenize='trigram'
    )""",
    """CREATE TRIGGER case_search_ai AFTER INSERT ON case_search BEGIN
        INSERT INTO case_fts(rowid, names, body) VALUES (new.rowid, new.names, new.body);
    END""",
    """CREATE TRIGGER case_search_ad AFTER DELETE ON case_search BEGIN
        INSERT INTO case_fts(case_fts, rowid, names, body)
        VALUES ('delete', old.rowid, old.names, old.body);
    END""",
    """CREATE TRIGGER case_search_au AFTER UPDATE ON case_search BEGIN
        INSERT INTO case_fts(case_fts, rowid, names, body)
        VALUES ('delete', old.rowid, old.names, old.body);
        INSERT INTO case_fts(rowid, names, body) VALUES (new.rowid, new.names, new.body);
    END""",
    """CREATE TRIGGER case_event_no_update BEFORE UPDATE ON case_event BEGIN
        SELECT RAISE(ABORT, 'case_event is append-only');
    END""",
    """CREATE TRIGGER case_event_no_delete BEFORE DELETE ON case_event BEGIN
        SELECT RAISE(ABORT, 'case_event is append-only');
    END""",
    # Backfill cases registered before this revision.
    """INSERT INTO case_search (case_id, names, body)
       SELECT c.id,
              COALESCE((SELECT group_concat(p.name, ' ')
                        FROM case_party cp JOIN person p ON p.id = cp.person_id
                        WHERE cp.case_id = c.id), ''),
              c.code || ' ' || c.title || ' ' || c.summary || ' ' || c.description
                     || ' ' || c.occurred_place
       FROM case_file c ORDER BY c.registered_at""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for name in ("case_event_no_delete", "case_event_no_update", "case_search_au",
                 "case_search_ad", "case_search_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS case_fts")
    op.execute("DROP TABLE IF EXISTS case_search")
