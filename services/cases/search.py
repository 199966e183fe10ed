"""Case search (检索): FTS5 trigram for 3+ characters, FTS5 bigrams for 2, LIKE below, pinyin."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from services.domain.dto import CaseHit, CodeRename
from services.domain.errors import NotFoundError
from services.domain.identity import dotless, fold_name
from services.domain.messages import msg
from services.domain.textutil import is_pinyin_query, prefix_end
from services.people.summaries import case_brief
from services.store.idlist import listed
from services.store.models import Case, CaseAlias, CaseParty, Person, case_search

MAX_QUERY = 100
_SPLIT = re.compile(r"\s+")


def index_case(
    session: Session, case_id: str, names: Sequence[str] | None = None, *, new: bool = False
) -> None:
    """Rewrite the searchable text of one case; call in the same transaction as the change.

    ``names`` (the parties' names in order) spares a query when the caller has them at hand;
    ``new`` (a case registered in this transaction: no earlier code) spares the alias query.
    """
    case = session.get(Case, case_id)
    if case is None:
        return
    if names is None:
        names = session.scalars(
            select(Person.name)
            .join(CaseParty, CaseParty.person_id == Person.id)
            .where(CaseParty.case_id == case_id)
            .order_by(CaseParty.sort_order)
        ).all()
    # Every code the case was ever printed with (a provisional code renumbered at sync) finds it.
    aliases = (
        ()
        if new
        else session.scalars(
            select(CaseAlias.code).where(CaseAlias.case_id == case_id).order_by(CaseAlias.code)
        ).all()
    )
    session.execute(_UPSERT, _search_row(case, names, aliases))


_UPSERT = text(
    "INSERT INTO case_search (case_id, names, body) VALUES (:case_id, :names, :body) "
    "ON CONFLICT(case_id) DO UPDATE SET names = excluded.names, body = excluded.body "
    "WHERE names IS NOT excluded.names OR body IS NOT excluded.body"
)


def _search_row(case: Any, names: Sequence[str], aliases: Sequence[str]) -> dict[str, str]:
    # A name with a middle dot is also found typed without it (阿依古丽买买提): that form goes
    # at the end of the body, as ``names`` is what the ledger shows.
    bare = [dotless(n) for n in names if "\u00b7" in n]
    # Every code the case was ever printed with (a provisional code renumbered at sync) finds it.
    body = " ".join(
        part for part in (case.code, *aliases, case.title, case.summary, case.description,
                          case.occurred_place, *bare) if part
    )  # fmt: skip
    return {"case_id": case.id, "names": " ".join(names), "body": body}


def index_cases(session: Session, case_ids: Iterable[str]) -> None:
    """``index_case`` for many cases at once (a sync pull page): three reads whatever their
    number (the ids as one JSON array), and the full-text indexes fed set-based
    (``_write_bulk``) instead of by a trigger per row."""
    wanted = sorted(set(case_ids))
    if not wanted:
        return
    cases = session.execute(
        select(Case.id, Case.code, Case.title, Case.summary, Case.description,
               Case.occurred_place).where(Case.id.in_(listed(wanted))).order_by(Case.id)
    ).all()  # fmt: skip
    if not cases:
        return
    found = [c.id for c in cases]
    names: dict[str, list[str]] = {}
    for case_id, name in session.execute(
        select(CaseParty.case_id, Person.name)
        .join(Person, CaseParty.person_id == Person.id)
        .where(CaseParty.case_id.in_(listed(found)))
        .order_by(CaseParty.case_id, CaseParty.sort_order)
    ):
        names.setdefault(case_id, []).append(name)
    aliases: dict[str, list[str]] = {}
    for case_id, code in session.execute(
        select(CaseAlias.case_id, CaseAlias.code)
        .where(CaseAlias.case_id.in_(listed(found)))
        .order_by(CaseAlias.case_id, CaseAlias.code)
    ):
        aliases.setdefault(case_id, []).append(code)
    rows = [_search_row(c, names.get(c.id, ()), aliases.get(c.id, ())) for c in cases]
    if len(rows) < BULK_MIN or any("\x00" in r["names"] + r["body"] for r in rows):
        for start in range(0, len(rows), 500):
            session.execute(_UPSERT, rows[start : start + 500])
    else:
        _write_bulk(session, rows)


BULK_MIN = 64
"""Below this many cases the per-row triggers are cheaper than suspending them."""


def bigram_text(value: str) -> str:
    """The space-separated 2-character windows of ``value``: what the ``case_fts_bigram``
    triggers of migration 0003 write (``bigrams()`` there), computed in Python."""
    return " ".join(map(operator.add, value, value[1:]))  # each character and the next


def _write_bulk(session: Session, rows: list[dict[str, str]]) -> None:
    """The ``_UPSERT`` of ``rows`` (in order: new rows get the same rowids) with the
    ``case_search`` triggers suspended, then both full-text indexes fed once: the old entries of
    changed rows deleted, the new ones inserted, exactly what the triggers would have written.

    The triggers are dropped and re-created from their own SQL inside this transaction, so no
    other connection ever sees the table without them.
    """
    old: dict[str, tuple[int, str, str]] = {}
    ids = [r["case_id"] for r in rows]
    for rowid, case_id, names, body in session.execute(
        select(case_search.c.rowid, case_search.c.case_id, case_search.c.names,
               case_search.c.body).where(case_search.c.case_id.in_(listed(ids)))
    ):  # fmt: skip
        old[case_id] = (rowid, names, body)
    stale: list[dict[str, Any]] = [
        {"rowid": old[r["case_id"]][0], "names": r["names"], "body": r["body"],
         "old_names": old[r["case_id"]][1], "old_body": old[r["case_id"]][2]}
        for r in rows
        if r["case_id"] in old and old[r["case_id"]][1:] != (r["names"], r["body"])
    ]  # fmt: skip
    fresh = [r for r in rows if r["case_id"] not in old]
    if not stale and not fresh:
        return
    triggers = session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
             "AND tbl_name = 'case_search' ORDER BY name")
    ).all()  # fmt: skip
    for name, _sql in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    # Plain strings and integers: straight to the driver's executemany (SQLAlchemy's per-row
    # parameter processing cost about as much as SQLite's work for these statements).
    many = session.connection().exec_driver_sql
    try:
        feed: list[dict[str, Any]] = [
            {"rowid": s["rowid"], "names": s["names"], "body": s["body"]} for s in stale
        ]
        if stale:
            many(
                "INSERT INTO case_fts(case_fts, rowid, names, body) "
                "VALUES ('delete', :rowid, :old_names, :old_body)", stale
            )  # fmt: skip
            many(
                "INSERT INTO case_fts_bigram(case_fts_bigram, rowid, names, body) "
                "VALUES ('delete', :rowid, :names, :body)",
                [{"rowid": s["rowid"], "names": bigram_text(s["old_names"]),
                  "body": bigram_text(s["old_body"])} for s in stale],
            )  # fmt: skip
            many("UPDATE case_search SET names = :names, body = :body WHERE rowid = :rowid", feed)
        if fresh:
            many("INSERT INTO case_search (case_id, names, body) VALUES (:case_id, :names, :body)",
                 fresh)  # fmt: skip
            new_ids = listed(r["case_id"] for r in fresh)
            feed += [
                {"rowid": rowid, "names": names, "body": body}
                for rowid, names, body in session.execute(
                    select(case_search.c.rowid, case_search.c.names, case_search.c.body)
                    .where(case_search.c.case_id.in_(new_ids))
                    .order_by(case_search.c.case_id)
                )
            ]
        many("INSERT INTO case_fts(rowid, names, body) VALUES (:rowid, :names, :body)", feed)
        many(
            "INSERT INTO case_fts_bigram(rowid, names, body) VALUES (:rowid, :names, :body)",
            [{"rowid": f["rowid"], "names": bigram_text(f["names"]),
              "body": bigram_text(f["body"])} for f in feed],
        )  # fmt: skip
    finally:
        for _name, sql in triggers:
            session.execute(text(sql))


def _fts_phrase(term: str) -> str:
    """Quote a term as an FTS5 string: any syntax (AND, NEAR(, *, -, ") becomes plain text."""
    return '"' + term.replace('"', '""') + '"'


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def terms_of(query: str) -> list[str]:
    # NUL can never be in stored text and breaks an FTS5 MATCH string ("unterminated string").
    cleaned = fold_name(query.replace("\x00", " "))[:MAX_QUERY]  # •, ・ typed for ·
    return [t for t in _SPLIT.split(cleaned) if t][:8]


def _bigram_ok(term: str) -> bool:
    """A 2-character term the bigram index answers exactly: both characters are ones the
    ``unicode61`` tokenizer keeps inside a token (ASCII letters/digits, common CJK ideographs)."""
    return len(term) == 2 and all(
        (ch.isascii() and ch.isalnum())
        or 0x3400 <= ord(ch) <= 0x4DBF
        or 0x4E00 <= ord(ch) <= 0x9FFF
        or 0x20000 <= ord(ch) <= 0x2A6DF
        for ch in term
    )


def like_pattern(term: str) -> str:
    """``LIKE`` pattern (escape ``\\``) for text containing ``term``."""
    return _like(term)


def fts_source(terms: list[str]) -> tuple[str, str] | None:
    """The full-text index and MATCH string that answer ``terms`` (every term), or None when no
    term is indexed (1-character terms, or 2-character terms of other characters)."""
    long_terms = [t for t in terms if len(t) >= 3]
    if long_terms:
        return "case_fts", " AND ".join(_fts_phrase(t) for t in long_terms)
    bigram_terms = [t for t in terms if _bigram_ok(t)]
    if bigram_terms:
        return "case_fts_bigram", " AND ".join(_fts_phrase(t) for t in bigram_terms)
    return None


def _indexed(term: str, index: str) -> bool:
    return len(term) >= 3 if index == "case_fts" else _bigram_ok(term)


def search_case_ids(session: Session, query: str, limit: int = 100) -> list[str]:
    """Ids of cases matching every term, newest first.

    Terms of three or more characters use the trigram index ``case_fts``; 2-character terms of
    letters, digits or ideographs use the bigram index ``case_fts_bigram`` (SQLite 3.40's trigram
    LIKE is wrong for 2-character CJK terms); any other short term is matched with LIKE on the base
    table ``case_search``. One index drives the query in rowid order, newest first, and stops at
    ``limit`` hits (a join, not ``rowid IN (…)``, which would collect every hit first); the other
    terms are checked on each candidate row.
    """
    terms = terms_of(query)
    if not terms:
        return []
    fts = fts_source(terms)
    params: dict[str, object] = {"limit": limit}
    where: list[str] = []
    if fts is not None:
        index, params["match"] = fts
        source = f"{index} f JOIN case_search s ON s.rowid = f.rowid"
        where.append(f"{index} MATCH :match")
        checked = [t for t in terms if not _indexed(t, index)]
    else:
        source = "case_search s"
        checked = terms
    for i, term in enumerate(checked):
        params[f"t{i}"] = _like(term)
        where.append(f"(s.names LIKE :t{i} ESCAPE '\\' OR s.body LIKE :t{i} ESCAPE '\\')")
    order = "f.rowid" if fts is not None else "s.rowid"
    sql = (
        f"SELECT s.case_id FROM {source} WHERE "
        + " AND ".join(where)
        + f" ORDER BY {order} DESC LIMIT :limit"
    )
    return [str(r[0]) for r in session.execute(text(sql), params)]


def _code_forms(term: str) -> set[str]:
    return {term, term.upper(), term.lower()}


def code_renames(session: Session, query: str) -> tuple[CodeRename, ...]:
    """The terms of ``query`` that are a code some case had before it was renumbered, each with
    the case's code now (原编号 X 已改为 Y): the searched code may be on a printed receipt."""
    out: list[CodeRename] = []
    for term in terms_of(query):
        rows = session.execute(
            select(CaseAlias.code, Case.code, Case.id)
            .join(Case, Case.id == CaseAlias.case_id)
            .where(CaseAlias.code.in_(_code_forms(term)))
        ).all()  # fmt: skip
        out += [CodeRename(old, new, case_id) for old, new, case_id in rows if old != new]
    return tuple(out)


def case_by_code(session: Session, code: str) -> tuple[str, str]:
    """The case a code names: ``(case id, "")`` for a current code, ``(case id, old code)`` for
    a code the case had before it was renumbered.

    Raises:
        NotFoundError: no case has or had this code.
    """
    code = code.strip()
    found = session.scalar(select(Case.id).where(Case.code.in_(_code_forms(code))))
    if found is not None:
        return found, ""
    alias = session.execute(
        select(CaseAlias.case_id, CaseAlias.code).where(CaseAlias.code.in_(_code_forms(code)))
    ).first()  # fmt: skip
    if alias is not None:
        return str(alias[0]), str(alias[1])
    raise NotFoundError("case.not_found", msg("找不到编号为“{code}”的案件", code=code[:40]))


def search_cases(session: Session, query: str, limit: int = 100) -> tuple[CaseHit, ...]:
    """Search cases by text; a plain-letters query also matches parties' pinyin (zs → 张三).

    A code the case had before it was renumbered finds it too, and the hit says so.
    """
    ids = search_case_ids(session, query, limit)
    if len(ids) < limit and is_pinyin_query(query.strip()):
        for cid in cases_by_pinyin(session, query.strip().lower(), limit - len(ids)):
            if cid not in ids:
                ids.append(cid)
    renamed = {r.case_id: r.old_code for r in code_renames(session, query)}
    for cid in renamed:
        if cid not in ids:  # found by its old code even before the search index caught up
            ids.insert(0, cid)
    return _hits(session, ids[:limit], renamed)


def person_ids_by_pinyin(session: Session, letters: str, limit: int) -> list[str]:
    """People whose name initials or full pinyin start with ``letters`` (index range scans)."""
    hi = prefix_end(letters)
    by_initials = select(Person.id).where(
        Person.name_initials >= letters, Person.name_initials < hi
    )
    by_full = select(Person.id).where(Person.name_pinyin >= letters, Person.name_pinyin < hi)
    ids = list(session.scalars(by_initials.limit(limit)))
    if len(ids) < limit:
        ids += [i for i in session.scalars(by_full.limit(limit)) if i not in ids]
    return ids[:limit]


def cases_by_pinyin(session: Session, letters: str, limit: int) -> list[str]:
    people = person_ids_by_pinyin(session, letters, limit)
    if not people:
        return []
    rows = session.scalars(
        select(CaseParty.case_id)
        .join(Case, Case.id == CaseParty.case_id)
        .where(CaseParty.person_id.in_(people))
        .order_by(Case.registered_at.desc())
        .limit(limit)
    )
    return list(dict.fromkeys(rows))


def _hits(session: Session, ids: list[str],
          renamed: dict[str, str] | None = None) -> tuple[CaseHit, ...]:  # fmt: skip
    if not ids:
        return ()
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
    rows = session.execute(
        select(case_search.c.case_id, case_search.c.names).where(case_search.c.case_id.in_(ids))
    ).all()
    names = {str(case_id): str(text_) for case_id, text_ in rows}
    renamed = renamed or {}
    return tuple(CaseHit(case_brief(cases[i]), names.get(i, ""), renamed.get(i, ""))
                 for i in ids if i in cases)  # fmt: skip
