"""The set-based search index of a sync pull page (``index_cases`` above ``BULK_MIN`` cases)
writes exactly what the per-row ``case_search`` triggers write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from services.cases import search
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_in
from services.setup.township import make_context, open_store, set_up_township
from services.store.engine import Store

SUMMARIES = [
    "张三与李四因宅基地边界发生纠纷，要求调解",
    "王五反映被拖欠工资三个月，已付50%尚欠一半",
    "赵六反映邻居养狗扰民_夜间噪音",
    "草场承包合同纠纷 Grazing contract dispute",
    "灌溉用水纠纷😀 请求协调 李𠮷",
    "果园承包费纠纷",
]


def _bigrams_sql() -> str:
    import importlib

    m = importlib.import_module("services.store.migrations.versions.0003_performance_indexes")
    return str(m.bigrams(":v"))


def _row_sql(prefix: str) -> str:
    import importlib

    m = importlib.import_module("services.store.migrations.versions.0003_performance_indexes")
    return str(m._row(prefix))


@pytest.fixture()
def store(tmp_path: object) -> Iterator[tuple[Store, list[str]]]:
    import pathlib

    assert isinstance(tmp_path, pathlib.Path)
    st = open_store(tmp_path / "bulk.db")
    ctx = make_context(st)
    ctx.now = lambda: dt.datetime(2026, 11, 20, 10, 0)
    set_up_township(ctx, "青山镇", "620123101000")
    ids = []
    with st.write() as session:
        for i, summary in enumerate(SUMMARIES):
            form = WalkInInput(
                parties=(PartyInput(name=["张三", "阿依古丽·买买提"][i % 2], role="applicant",
                                    is_visitor=True, phone="13812345678"),),
                summary=summary, category_code="0202", disposition="accepted",
            )  # fmt: skip
            ids.append(register_in(session, ctx, form).case_id)
    yield st, ids
    st.dispose()


def test_bigram_text_is_the_migration_sql(store: tuple[Store, list[str]]) -> None:
    values = ["", "a", "ab", "张三", " a  b ", "李𠮷😀 x", "阿依古丽·买买提 50% _x", *SUMMARIES]
    with store[0].read() as session:
        for v in values:
            assert (
                search.bigram_text(v)
                == session.execute(text(f"SELECT {_bigrams_sql()}"), {"v": v}).scalar_one()
            ), v


def _snapshot(session: Session) -> dict[str, object]:
    session.execute(text("INSERT INTO case_fts(case_fts) VALUES ('integrity-check')"))
    session.execute(text("DROP TABLE IF EXISTS temp.expect"))
    session.execute(text("DROP TABLE IF EXISTS temp.v_got"))
    session.execute(text("DROP TABLE IF EXISTS temp.v_want"))
    session.execute(
        text("CREATE VIRTUAL TABLE temp.expect USING fts5(names, body, content='', "
             "tokenize='unicode61')")
    )  # fmt: skip
    session.execute(
        text(f"INSERT INTO temp.expect(rowid, names, body) SELECT {_row_sql('s')} "
             "FROM case_search s")
    )  # fmt: skip
    session.execute(
        text("CREATE VIRTUAL TABLE temp.v_got USING fts5vocab(main, case_fts_bigram, instance)")
    )
    session.execute(
        text("CREATE VIRTUAL TABLE temp.v_want USING fts5vocab(temp, expect, instance)")
    )
    order = " ORDER BY term, doc, col, offset"
    got = session.execute(text("SELECT * FROM temp.v_got" + order)).all()
    want = session.execute(text("SELECT * FROM temp.v_want" + order)).all()
    assert got == want and got
    return {
        "rows": session.execute(text("SELECT rowid, case_id, names, body FROM case_search")).all(),
        "bigram": got,
        "trigram": session.execute(
            text("SELECT rowid FROM case_fts WHERE case_fts MATCH '\"宅基地\"'")
        ).all(),
    }


def _triggers(session: Session) -> list[tuple[str, str]]:
    return [
        (str(n), str(s))
        for n, s in session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'case_search' "
                 "AND type = 'trigger' ORDER BY name")
        )
    ]  # fmt: skip


@pytest.mark.parametrize("bulk", [True, False])
def test_bulk_index_equals_the_triggers(
    store: tuple[Store, list[str]], monkeypatch: pytest.MonkeyPatch, bulk: bool
) -> None:
    st, ids = store
    monkeypatch.setattr(search, "BULK_MIN", 0 if bulk else 10**9)
    with st.write() as session:
        triggers = _triggers(session)
        assert len(triggers) == 6
        # Changed text (old index entries must go), a lost row (re-added), an unchanged one.
        session.execute(
            text("UPDATE case_file SET summary = '果树砍伐赔偿纠纷', title = '果树' WHERE id = :i"),
            {"i": ids[0]},
        )
        session.execute(
            text("UPDATE case_file SET title = '山林确权' WHERE id = :i"), {"i": ids[1]}
        )
        session.execute(text("DELETE FROM case_search WHERE case_id = :i"), {"i": ids[2]})
        search.index_cases(session, ids)
        assert _triggers(session) == triggers  # the triggers are back, unchanged
    with st.read() as session:
        snap = _snapshot(session)
        assert len(snap["rows"]) == len(ids)  # type: ignore[arg-type]
        assert search.search_case_ids(session, "果树砍伐") == [ids[0]]
        assert search.search_case_ids(session, "宅基地") == []  # ids[0]'s old text is gone
        assert search.search_case_ids(session, "确权") == [ids[1]]
        assert search.search_case_ids(session, "养狗扰民") == [ids[2]]
        assert search.search_case_ids(session, "李𠮷") == [ids[4]]
    # The per-row trigger path still works after a bulk write.
    with st.write() as session:
        session.execute(text("UPDATE case_file SET summary = '耕地占用纠纷' WHERE id = :i"),
                        {"i": ids[3]})  # fmt: skip
        search.index_case(session, ids[3])
    with st.read() as session:
        _snapshot(session)
        assert search.search_case_ids(session, "耕地") == [ids[3]]


def test_bulk_and_per_row_write_the_same(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both paths from the same start give the same rows, rowids and index entries."""
    snaps = []
    for bulk in (True, False):
        monkeypatch.setattr(search, "BULK_MIN", 0 if bulk else 10**9)
        st = open_store(tmp_path_factory.mktemp("same") / "s.db")
        ctx = make_context(st)
        ctx.now = lambda: dt.datetime(2026, 11, 20, 10, 0)
        set_up_township(ctx, "青山镇", "620123101000")
        with st.write() as session:
            for summary in SUMMARIES:
                form = WalkInInput(
                    parties=(PartyInput(name="张三", role="applicant", is_visitor=True,
                                        phone="13812345678"),),
                    summary=summary, category_code="0202", disposition="accepted",
                )  # fmt: skip
                register_in(session, ctx, form)
            ids = [str(r[0]) for r in session.execute(text("SELECT case_id FROM case_search"))]
            session.execute(text("DELETE FROM case_search"))
            session.execute(text("UPDATE case_file SET summary = summary || ' 补充'"))
            search.index_cases(session, ids)
        with st.read() as session:
            snap = _snapshot(session)
            snaps.append((len(snap["rows"]), snap["bigram"]))  # type: ignore[arg-type]
        st.dispose()
    assert snaps[0] == snaps[1]
