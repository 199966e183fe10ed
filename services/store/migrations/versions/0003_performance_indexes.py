"""Performance indexes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Found by ``tests/bench`` on 1M cases:

* ``ix_person_name_pinyin``: the full-pinyin people search (``zhangjian`` → 张建…) range-scans
  ``person.name_pinyin``; without an index a rare prefix scanned all 1.2M people.
* ``ix_case_supervision_remind``: the overdue scan (督办扫描) looks for open cases whose stored
  supervision level is below what their thresholds say; ``remind_at <= yellow_at <= due_at``, so
  every candidate has ``remind_at <= now`` and this index bounds all three steps (it went through
  all ~250k open cases three times, 1.5 s holding the write lock).
* ``case_fts_bigram``: a contentless FTS5 index (``unicode61``) of every 2-character window of
  ``case_search`` (written as space-separated bigrams by the triggers below), so a 2-character
  term is one token lookup instead of a LIKE scan of every row (0.5 s for a rare term).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def bigrams(column: str) -> str:
    """SQL for the space-separated 2-character windows of ``column`` (no CTE: allowed in triggers).

    ``json_each`` over ``[0,0,…]`` (length − 1 elements) numbers the windows.
    """
    count = f"max(length({column}) - 1, 0)"
    numbers = f"'[' || substr(replace(hex(zeroblob({count})), '00', ',0'), 2) || ']'"
    return (
        f"coalesce((SELECT group_concat(substr({column}, j.key + 1, 2), ' ')"
        f" FROM json_each({numbers}) AS j), '')"
    )


def _row(prefix: str) -> str:
    return f"{prefix}.rowid, {bigrams(prefix + '.names')}, {bigrams(prefix + '.body')}"


STATEMENTS = [
    "CREATE INDEX ix_person_name_pinyin ON person (name_pinyin)",
    "CREATE INDEX ix_case_supervision_remind ON case_file (supervision_level, remind_at)",
    """CREATE VIRTUAL TABLE case_fts_bigram USING fts5(
        names, body, content='', tokenize='unicode61'
    )""",
    f"""CREATE TRIGGER case_search_bigram_ai AFTER INSERT ON case_search BEGIN
        INSERT INTO case_fts_bigram(rowid, names, body) VALUES ({_row("new")});
    END""",
    f"""CREATE TRIGGER case_search_bigram_ad AFTER DELETE ON case_search BEGIN
        INSERT INTO case_fts_bigram(case_fts_bigram, rowid, names, body)
        VALUES ('delete', {_row("old")});
    END""",
    f"""CREATE TRIGGER case_search_bigram_au AFTER UPDATE ON case_search BEGIN
        INSERT INTO case_fts_bigram(case_fts_bigram, rowid, names, body)
        VALUES ('delete', {_row("old")});
        INSERT INTO case_fts_bigram(rowid, names, body) VALUES ({_row("new")});
    END""",
    # Backfill what is already there.
    f"INSERT INTO case_fts_bigram(rowid, names, body) SELECT {_row('s')} FROM case_search s",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for name in ("case_search_bigram_au", "case_search_bigram_ad", "case_search_bigram_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS case_fts_bigram")
    op.execute("DROP INDEX IF EXISTS ix_case_supervision_remind")
    op.execute("DROP INDEX IF EXISTS ix_person_name_pinyin")
