"""Case search (检索): trigram FTS for 3+ characters, the base table below that, pinyin, and
input that must never break the query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from services.cases.search import search_case_ids, search_cases
from services.context import ServiceContext
from services.domain.dto import CaseHit, PartyInput, WalkInInput
from services.reception.registration import register_in, register_walk_in
from services.setup.township import make_context, open_store, set_up_township
from services.store.engine import Store

CASES = {
    "A": ((("张三", "applicant"), ("李四", "respondent")),
          "张三与李四因宅基地边界发生纠纷，要求调解"),
    "B": ((("王五", "applicant"),), "王五反映被拖欠工资三个月，已付50%尚欠一半"),
    "C": ((("赵六", "applicant"),), "赵六反映邻居养狗扰民_夜间噪音"),
    "D": ((("阿依古丽·买买提", "applicant"),), "草场承包合同纠纷 Grazing contract dispute"),
    "E": ((("李𠮷", "applicant"),), "灌溉用水纠纷😀 请求协调"),
}  # fmt: skip


class Data:
    def __init__(self, store: Store, ids: dict[str, str], codes: dict[str, str]) -> None:
        self.store = store
        self.ids = ids
        self.codes = codes
        self.key_of = {v: k for k, v in ids.items()}

    def keys(self, query: str) -> list[str]:
        with self.store.read() as session:
            return [self.key_of[i] for i in search_case_ids(session, query)]

    def hit_keys(self, query: str) -> list[str]:
        with self.store.read() as session:
            hits = search_cases(session, query)
        assert isinstance(hits, tuple)
        return [self.key_of[h.case.id] for h in hits]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Data]:
    store = open_store(tmp_path_factory.mktemp("search") / "search.db")
    ctx = make_context(store)
    ctx.now = lambda: dt.datetime(2026, 11, 20, 10, 0)
    set_up_township(ctx, "青山镇", "620123101000")
    ids: dict[str, str] = {}
    codes: dict[str, str] = {}
    with store.write() as session:
        for key, (parties, summary) in CASES.items():
            form = WalkInInput(
                parties=tuple(
                    PartyInput(name=n, role=r, is_visitor=i == 0,
                               phone="13812345678" if i == 0 else "")  # fmt: skip
                    for i, (n, r) in enumerate(parties)
                ),
                summary=summary, category_code="0202", disposition="accepted",
            )  # fmt: skip
            result = register_in(session, ctx, form)
            ids[key], codes[key] = result.case_id, result.case_code
    yield Data(store, ids, codes)
    store.dispose()


# --- matching --------------------------------------------------------------------------------


def test_long_terms(data: Data) -> None:
    assert data.keys("宅基地") == ["A"]
    assert data.keys("宅基地边界") == ["A"]
    assert data.keys("张三与李四") == ["A"]
    assert data.keys("拖欠工资") == ["B"]
    assert data.keys("灌溉用水纠纷😀") == ["E"]
    assert data.keys("阿依古丽·买买提") == ["D"]
    assert data.keys("李𠮷") == ["E"]  # 𠮷 is one character: a 2-character term
    assert data.keys("养狗扰民") == ["C"]
    assert data.keys("鱼塘承包") == []


def test_long_terms_ignore_ascii_case(data: Data) -> None:
    assert data.keys("GRAZING") == ["D"]
    assert data.keys("Contract") == ["D"]


def test_two_and_one_character_terms(data: Data) -> None:
    assert data.keys("王五") == ["B"]
    assert data.keys("工资") == ["B"]
    assert data.keys("李四") == ["A"]
    assert data.keys("狗") == ["C"]
    assert data.keys("𠮷") == ["E"]
    assert data.keys("·") == ["D"]
    assert data.keys("GR") == ["D"]
    assert data.keys("鱼") == []


def test_newest_first(data: Data) -> None:
    assert data.keys("纠纷") == ["E", "D", "A"]
    assert data.keys("反映") == ["C", "B"]


def test_terms_are_anded(data: Data) -> None:
    assert data.keys("张三 宅基地") == ["A"]
    assert data.keys("  宅基地\t\n李四  ") == ["A"]
    assert data.keys("张三 工资") == []
    assert data.keys("纠纷 灌溉") == ["E"]
    assert data.keys("反映 狗") == ["C"]
    # FTS syntax words are plain text: not a union
    assert data.keys("宅基地 OR 工资") == []
    assert data.keys("宅基地 NOT 工资") == []


def test_case_code(data: Data) -> None:
    assert data.keys(data.codes["C"]) == ["C"]
    assert data.keys(data.codes["C"][-6:]) == ["C"]


def test_pinyin_initials(data: Data) -> None:
    assert data.hit_keys("zs") == ["A"]
    assert data.hit_keys("ZS") == ["A"]
    assert data.hit_keys("ww") == ["B"]
    assert data.hit_keys("zhaoliu") == ["C"]
    assert data.hit_keys("qq") == []
    hits = search_cases_in(data, "zs")
    assert hits[0].names == "张三 李四"
    assert hits[0].case.code == data.codes["A"]


def search_cases_in(data: Data, query: str) -> tuple[CaseHit, ...]:
    with data.store.read() as session:
        return search_cases(session, query)


def test_limit(data: Data) -> None:
    with data.store.read() as session:
        assert len(search_case_ids(session, "反映", limit=1)) == 1


# --- hostile input ---------------------------------------------------------------------------

HOSTILE = [
    '"', '""', '"""', "*", "AND", "OR", "NOT", "NEAR(", "NEAR(宅基 地)", "-", "^", ":", "(", ")",
    "%", "_", "\\", "'", "';--", "宅基地*", '宅基地"', "names:宅基地", "{names body}: 张三",
    "x" * 10_000, "纠" * 5_000, "😀", "😀😀😀", "👨‍👩‍👧", "\x00", "a\x00bc", "宅基地\x00",
    "\x00\x00\x00", "\u200b", "\ufeff宅基地", " ", "", "\t\n", "\x1b[31m", "%%%", "__", "\\%",
]  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_never_raises(data: Data, query: str) -> None:
    with data.store.read() as session:
        hits = search_cases(session, query)
        assert isinstance(hits, tuple)
        assert isinstance(search_case_ids(session, query), list)
    assert {h.case.id for h in hits} <= set(data.ids.values())


def test_like_wildcards_are_literal(data: Data) -> None:
    assert data.keys("%") == ["B"]
    assert data.keys("50%") == ["B"]
    assert data.keys("_") == ["C"]
    assert data.keys("扰民_") == ["C"]  # 3 characters: through FTS
    assert data.keys("%%") == []
    assert data.keys("__") == []
    assert data.keys("\\") == []
    assert data.keys("%_") == []


def test_nul_does_not_glue_terms(data: Data) -> None:
    assert data.keys("宅基地\x00") == ["A"]
    assert data.keys("张三\x00宅基地") == ["A"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.text(max_size=300))
def test_arbitrary_text_never_raises(data: Data, query: str) -> None:
    with data.store.read() as session:
        hits = search_cases(session, query)
    assert isinstance(hits, tuple)
    assert {h.case.id for h in hits} <= set(data.ids.values())


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_piece_of_stored_text_finds_its_case(data: Data, draw: st.DataObject) -> None:
    key = draw.draw(st.sampled_from(sorted(CASES)))
    parties, summary = CASES[key]
    source = draw.draw(st.sampled_from([summary, *(n for n, _r in parties)]))
    start = draw.draw(st.integers(0, len(source) - 1))
    end = draw.draw(st.integers(start + 1, len(source)))
    piece = source[start:end]
    if not piece.strip():
        return
    assert key in data.keys(piece), piece


# --- which path a term takes -----------------------------------------------------------------


def test_three_characters_use_the_fts_index_and_shorter_the_base_table(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    case_id = register_walk_in(ctx, walk_in()).case_id

    def found(session: Session, query: str) -> bool:
        return search_case_ids(session, query) == [case_id]

    with ctx.store.read() as session:
        assert found(session, "宅基地") and found(session, "宅基")
    with ctx.store.write() as session:  # empty the FTS index, keep the base table
        session.execute(text("INSERT INTO case_fts(case_fts) VALUES ('delete-all')"))
    with ctx.store.read() as session:
        assert not found(session, "宅基地")
        assert found(session, "宅基") and found(session, "宅")
    with ctx.store.write() as session:
        session.execute(text("INSERT INTO case_fts(case_fts) VALUES ('rebuild')"))
    with ctx.store.read() as session:
        assert found(session, "宅基地")


def test_index_follows_later_changes(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    first = register_walk_in(ctx, walk_in())
    form = walk_in(parties=(PartyInput(name="欧阳娜娜", phone="13700001111"),),
                   attach_to_case_id=first.case_id)  # fmt: skip
    register_walk_in(ctx, form)
    with ctx.store.read() as session:
        assert search_case_ids(session, "欧阳娜娜") == [first.case_id]
        assert search_case_ids(session, "欧阳") == [first.case_id]
        rows = session.execute(text("SELECT count(*) FROM case_search")).scalar_one()
    assert rows == 1
