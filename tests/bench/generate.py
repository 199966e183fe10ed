"""Build (or reuse) a benchmark database of 1,000,000 cases, deterministic from a seed.

The schema comes from the real migrations (``open_store``); the organisation tree, users and one
special case with 50 events are made by the real services; everything else is bulk-loaded with raw
``sqlite3.executemany`` (secondary indexes dropped during the load and re-created from their
original DDL afterwards, so the schema stays exactly what the migrations made).

Bulk rows are deterministic from the seed (ids are UUIDv7-shaped, built from the row's time and the
seeded RNG). Organisation/user/device ids and the special case come from the real services and
differ between builds, as in ``services.demo.township``.

Usage: ``python -m tests.bench.generate [--cases N] [--seed S] [--rebuild]``.
The file is cached at ``/tmp/zz-bench-1m-<version>.db`` (other sizes: ``zz-bench-<N>-…``); a
sidecar ``<db>.json`` written last records completion and what the benchmark needs to know.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import importlib.util
import json
import multiprocessing
import os
import queue as queue_module
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import text

from services.cases.events import perform_in, replay_case
from services.demo.township import (
    GIVEN,
    PLACES,
    SPECIAL_NAMES,
    STORIES,
    SURNAMES,
    UNITS,
    VILLAGES,
)
from services.domain.dto import PartyInput, WalkInInput
from services.domain.identity import id_check_char
from services.domain.textutil import pinyin_of
from services.domain.workcalendar import WorkCalendar, compute_due
from services.domain.workflow import Action
from services.keys.keyring_store import demo_keys
from services.reception.registration import register_in
from services.setup.township import (
    add_org,
    add_user,
    make_context,
    open_store,
    set_up_township,
)
from services.store import rate_facts, tally
from services.store.migrate import MIGRATIONS_DIR, alembic_config
from services.store.sealed import blind, install, seal
from tests.bench import closure_fill

GEN_VERSION = "g3"  # bump when the generated data changes shape (g3: bulk cases have events)
DEFAULT_CASES = 1_000_000
DEFAULT_SEED = 20261122
TOWNSHIP = ("青山镇", "620123101000")
END_DAY = dt.date(2026, 11, 20)  # last day with registrations (fixed, so builds are stable)
BENCH_NOW = dt.datetime(2026, 11, 20, 17, 30)  # "now" for the benchmark (scan, registration)
LAST_SCAN = BENCH_NOW - dt.timedelta(days=1)  # stored supervision levels are as of this time
YEARS = 3
BATCH = 50_000
AREA = "620123"
ID_DAYS = 365 * 62  # birth dates 1940-01-01 + [0, ID_DAYS)
ID_SPACE = ID_DAYS * 1000  # (birth day, 3-digit sequence) pairs
ID_STEP = 7_368_787  # coprime with ID_SPACE: person k -> a distinct ID number for every k

# Rare texts, a handful of cases over the three years: what a "rare term" search looks for.
RARE_STORY = ("0201", "{a}与{b}光伏板反光纠纷",
              "{a}反映邻居{b}在屋顶安装光伏板，反光刺眼影响休息，协商未果。", None)  # fmt: skip
RARE_PER_MILLION = 20
COMMON_TERM_3 = "宅基地"
RARE_TERM_3 = "光伏板"
COMMON_TERM_2 = "纠纷"
RARE_TERM_2 = "光伏"
ABSENT_TERM_2 = "高铁"  # in no case at all: the worst case of a 2-character search

# Final state of an accepted case by kind, as services.demo.township's scenarios end.
# kind -> (state, assigned?, rework_count, extra events after register+accept, done?)
KINDS: dict[str, tuple[str, bool, int, int, bool]] = {
    "accepted": ("accepted", False, 0, 0, False),
    "assessed": ("assessed", False, 0, 1, False),
    "mediating": ("mediating", False, 0, 2, False),
    "mediation_failed": ("mediation_failed", False, 0, 2, False),
    "assigned": ("assigned", True, 0, 2, False),
    "handling": ("handling", True, 0, 2, False),
    "extension": ("extension_pending", True, 0, 3, False),
    "feedback": ("feedback_pending", True, 0, 3, False),
    "escalated": ("escalated", False, 0, 2, False),
    "evaluation": ("evaluation_pending", True, 0, 4, False),
    "resolved": ("resolved", False, 0, 3, False),
    "reworked": ("handling", True, 1, 4, False),
    "closed": ("closed", True, 0, 6, True),
    "archived": ("archived", True, 0, 7, True),
    "finished": ("finished", False, 0, 6, True),
    "voided": ("voided", False, 0, 1, True),
}
# Older cases: about 29% still open, so that about 25% of all cases are open (demo.py's
# weights would give 14%); newer ones (≤ 45 days) as in demo.py.
OLD_KINDS = (("finished", 25), ("archived", 20), ("closed", 14), ("voided", 2),
             ("escalated", 4), ("mediation_failed", 4), ("handling", 7), ("reworked", 3),
             ("resolved", 4), ("feedback", 3))  # fmt: skip
NEW_KINDS = (("accepted", 10), ("assessed", 8), ("mediating", 8), ("assigned", 10),
             ("handling", 14), ("extension", 4), ("feedback", 8), ("evaluation", 6),
             ("escalated", 3), ("resolved", 4), ("closed", 6), ("reworked", 3))  # fmt: skip
DISPOSITIONS = (("accepted", 80), ("answered", 10), ("referred_litigation", 3),
                ("referred_arbitration", 2), ("referred_petition", 2),
                ("referred_12345", 3))  # fmt: skip
CHANNELS = ("walk_in",) * 6 + ("phone", "hotline_12345", "grid_report")
RISK_BASIS = {"green": "", "yellow": "双方情绪激动，有激化苗头",
              "red": "扬言采取过激行为，涉及人数多"}  # fmt: skip
RESOLVE_DAYS = {("village", False): 3, ("township", False): 7, ("township", True): 3,
                ("county", False): 15, ("county", True): 15, ("village", True): 3}  # fmt: skip
BULK_TABLES = (
    "person",
    "case_file",
    "case_party",
    "case_search",
    "visit",
    "visit_person",
    "case_event",
)
BULK_DEVICE = "bench-bulk"
NEXT_TIER = {"village": "township", "township": "county", "county": "county"}
_SIGN = ("sign", {"signer": "承办人"})
_FEEDBACK = ("feedback", {"result": "已现场核实，双方达成一致意见"})
_EVALUATE = ("evaluate", {"evaluation": "satisfied"})
_REACHED = ("mediation_result", {"result": "reached"})
_MEDIATE = ("mediate", {"mediator": "陈调解"})
# kind -> the events after register (+ warn) and accept; "assign" and "assess" get their payload
# from the case (unit, colour, level). Replaying them gives the kind's state (checked per build).
KIND_EVENTS: dict[str, tuple[tuple[str, dict[str, Any]], ...]] = {
    "accepted": (),
    "assessed": (("assess", {}),),
    "mediating": (("assess", {}), _MEDIATE),
    "mediation_failed": (_MEDIATE, ("mediation_result", {"result": "not_reached"})),
    "assigned": (("assess", {}), ("assign", {})),
    "handling": (("assign", {}), _SIGN),
    "extension": (
        ("assign", {}),
        _SIGN,
        ("request_extension", {"days": 5, "reason": "需补充材料"}),
    ),
    "feedback": (("assign", {}), _SIGN, _FEEDBACK),
    "escalated": (("assess", {}), ("escalate", {"reason": "超出本级化解能力"})),
    "evaluation": (("assign", {}), _SIGN, _FEEDBACK, ("approve", {})),
    "resolved": (_MEDIATE, _REACHED, _EVALUATE),
    "reworked": (("assign", {}), _SIGN, _FEEDBACK, ("send_back", {"opinion": "材料不全，请补充"})),
    "closed": (
        ("assign", {}),
        _SIGN,
        _FEEDBACK,
        ("approve", {}),
        _EVALUATE,
        ("close", {"closure_type": "normal"}),
    ),
    "archived": (
        ("assign", {}),
        _SIGN,
        _FEEDBACK,
        ("approve", {}),
        _EVALUATE,
        ("close", {"closure_type": "normal"}),
        ("archive", {}),
    ),
    "finished": (
        _MEDIATE,
        _REACHED,
        _EVALUATE,
        ("close", {"closure_type": "normal"}),
        ("archive", {}),
        ("revisit", {"outcome": "ok"}),
    ),
    "voided": (("void", {"reason": "重复登记"}),),
}


def schema_fingerprint() -> str:
    """Head revision + a hash of the schema the migrations make (so any schema change rebuilds)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with tempfile.TemporaryDirectory(prefix="zz-bench-schema-") as tmp:
        store = open_store(Path(tmp) / "schema.db")
        store.dispose()
        conn = sqlite3.connect(Path(tmp) / "schema.db")
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            " ORDER BY type, name"
        ).fetchall()
        conn.close()
    digest = hashlib.sha1(repr(rows).encode()).hexdigest()[:8]
    return f"{head}-{digest}"


_VERSIONS: dict[int, str] = {}


def version(seed: int = DEFAULT_SEED) -> str:
    if seed not in _VERSIONS:
        _VERSIONS[seed] = f"{GEN_VERSION}-r{schema_fingerprint()}-s{seed}"
    return _VERSIONS[seed]


def db_path(n_cases: int = DEFAULT_CASES, seed: int = DEFAULT_SEED) -> Path:
    label = "1m" if n_cases == 1_000_000 else str(n_cases)
    return Path(f"/tmp/zz-bench-{label}-{version(seed)}.db")


def meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


# --- small fast helpers ------------------------------------------------------------------


def _uid(ms: int, bits: int) -> str:
    """A UUIDv7-shaped id from a millisecond time and 74 random bits (from the seeded RNG)."""
    rand_a, rand_b = bits >> 62, bits & ((1 << 62) - 1)
    value = (ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _ts(d: dt.datetime) -> str:
    """SQLAlchemy's SQLite DATETIME storage format."""
    return f"{d:%Y-%m-%d %H:%M:%S}.{d.microsecond:06d}"


def _epoch_ms(d: dt.datetime) -> int:
    return int(d.replace(tzinfo=dt.UTC).timestamp()) * 1000


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643-1999
_CHECK = "10X98765432"
_BIRTHS: list[tuple[str, str, int]] = []  # per day index: (yyyymmdd, iso date, weighted sum)


def _weighted(digits: str, offset: int) -> int:
    return sum(int(d) * _WEIGHTS[offset + i] for i, d in enumerate(digits))


def id_number_of(k: int) -> tuple[str, str, str]:
    """The k-th generated ID number (distinct for every k < ID_SPACE), birth date and gender.

    The check character is a weighted sum mod 11, so the sums of the area + birth-date part are
    precomputed per day; every 4096th number is checked against ``services.domain.identity``.
    """
    if not _BIRTHS:
        area = _weighted(AREA, 0)
        for d in range(ID_DAYS):
            day = dt.date(1940, 1, 1) + dt.timedelta(days=d)
            ymd = f"{day:%Y%m%d}"
            _BIRTHS.append((ymd, day.isoformat(), area + _weighted(ymd, 6)))
    idx = (k * ID_STEP + 12345) % ID_SPACE
    ymd, iso, partial = _BIRTHS[idx // 1000]
    seq = idx % 1000
    s1, s2, s3 = seq // 100, seq // 10 % 10, seq % 10
    body = f"{AREA}{ymd}{seq:03d}"
    check = _CHECK[(partial + s1 * 8 + s2 * 4 + s3 * 2) % 11]
    if k % 4096 == 0:
        assert check == id_check_char(body), body
    return body + check, iso, "男" if s3 % 2 else "女"


class _Names:
    """Names as services.demo.township makes them, with their pinyin cached (names repeat a lot)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cache: dict[str, tuple[str, str]] = {}

    def name(self) -> str:
        rnd = self.rng.random
        if rnd() < 0.01:
            return SPECIAL_NAMES[int(rnd() * len(SPECIAL_NAMES))]
        name = SURNAMES[int(rnd() * len(SURNAMES))] + GIVEN[int(rnd() * len(GIVEN))]
        if rnd() >= 1 / 3:
            name += GIVEN[int(rnd() * len(GIVEN))]
        return name

    def pinyin(self, name: str) -> tuple[str, str]:
        got = self.cache.get(name)
        if got is None:
            got = self.cache[name] = pinyin_of(name)
        return got


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> Callable[[], str]:
    keys = [k for k, _ in weighted]
    cum: list[int] = []
    total = 0
    for _, w in weighted:
        total += w
        cum.append(total)

    def pick() -> str:
        return keys[bisect.bisect_right(cum, rng.random() * total)]

    return pick


# --- organisation tree through the real services -------------------------------------------


def _set_up(path: Path) -> dict[str, Any]:
    store = open_store(path)
    try:
        ctx = make_context(store)
        ctx.now = lambda: BENCH_NOW
        township = set_up_township(ctx, *TOWNSHIP)
        with store.write() as session:
            villages: list[dict[str, Any]] = []
            for i, name in enumerate(VILLAGES):
                kind = "community" if name.endswith("社区") else "village"
                code = TOWNSHIP[1][:9] + f"{i + 1 + (200 if kind == 'village' else 0):03d}"
                v = add_org(session, kind=kind, name=name, parent_id=township.id, code=code,
                            sort_order=i)  # fmt: skip
                grids = [
                    add_org(
                        session,
                        kind="grid",
                        name=f"{name}第{g}网格",
                        parent_id=v.id,
                        code=f"{code}{g:03d}",
                        sort_order=g,
                    ).id  # fmt: skip
                    for g in (1, 2)
                ]
                villages.append({"id": v.id, "name": name, "grids": grids})
            units = [
                {
                    "id": add_org(
                        session,
                        kind="unit",
                        name=n,
                        parent_id=township.id,
                        unit_type=t,
                        sort_order=i,
                    ).id,
                    "name": n,
                }  # fmt: skip
                for i, (n, t) in enumerate(UNITS)
            ]
            users = {
                username: add_user(
                    session, username=username, display_name=display, role=role, org_id=township.id
                ).id  # fmt: skip
                for username, display, role in (
                    ("admin", "系统管理员", "admin"),
                    ("zhuren", "刘主任", "director"),
                    ("jiedai1", "王接待", "receptionist"),
                    ("jiedai2", "赵接待", "receptionist"),
                    ("tiaojie1", "陈调解", "mediator"),
                )  # fmt: skip
            }
        return {"township_id": township.id, "township_code": TOWNSHIP[1], "villages": villages,
                "units": units, "users": users}  # fmt: skip
    finally:
        store.dispose()


# --- bulk rows -----------------------------------------------------------------------------


def _registration_times(rng: random.Random, n: int) -> list[tuple[int, int]]:
    """(day index, seconds after midnight) of n registrations, sorted; fewer at weekends."""
    start = END_DAY - dt.timedelta(days=365 * YEARS - 1)
    days = 365 * YEARS
    weights = [0.3 if (start + dt.timedelta(days=d)).weekday() >= 5 else 1.0 for d in range(days)]
    cum: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    out = [
        (bisect.bisect_right(cum, rng.random() * total), rng.randrange(8 * 3600, 17 * 3600 + 1800))
        for _ in range(n)
    ]
    out.sort()
    return out


class _Bulk:
    """Generates the bulk rows batch by batch."""

    def __init__(self, seed: int, n_cases: int, org: dict[str, Any], calendar: WorkCalendar):
        self.rng = random.Random(seed)
        self.n = n_cases
        self.org = org
        self.calendar = calendar
        self.names = _Names(self.rng)
        self.persons: list[str] = []  # person ids in creation order
        self.person_names: list[str] = []
        self.visited: set[int] = set()  # indexes of persons who have visited
        self.due_cache: dict[tuple[dt.date, int], tuple[str, str, str, int]] = {}
        self.year_seq: dict[int, int] = {}
        self.start = END_DAY - dt.timedelta(days=365 * YEARS - 1)
        self.counts: dict[str, int] = {}
        self.search_rowid = 0
        self.id_k = 0

    def _due(self, start: dt.date, amount: int) -> tuple[str, str, str, int]:
        key = (start, amount)
        got = self.due_cache.get(key)
        if got is None:
            due = compute_due(dt.datetime.combine(start, dt.time(9)), amount, "working_days",
                              self.calendar, now=BENCH_NOW)  # fmt: skip
            got = (_ts(due.due_at), _ts(due.remind_at), _ts(due.yellow_at), int(due.provisional))
            self.due_cache[key] = got
        return got

    def batches(self) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
        rng = self.rng
        rnd = rng.random
        org = self.org
        township_id = org["township_id"]
        code_prefix = org["township_code"]
        villages = org["villages"]
        unit_ids = [u["id"] for u in org["units"]]
        unit_names = {u["id"]: u["name"] for u in org["units"]}
        receptionists = [org["users"]["jiedai1"], org["users"]["jiedai2"]]
        names = self.names
        pick_disp = _pick(rng, DISPOSITIONS)
        pick_old = _pick(rng, OLD_KINDS)
        pick_new = _pick(rng, NEW_KINDS)
        pick_colour = _pick(rng, (("green", 70), ("yellow", 22), ("red", 8)))
        rare_p = RARE_PER_MILLION / 1_000_000
        times = _registration_times(rng, self.n)
        day_cache: dict[int, tuple[dt.date, str]] = {}
        batch: dict[str, list[tuple[Any, ...]]] = {t: [] for t in BULK_TABLES}
        last_scan = _ts(LAST_SCAN)

        for i, (day_idx, secs) in enumerate(times):
            got = day_cache.get(day_idx)
            if got is None:
                day = self.start + dt.timedelta(days=day_idx)
                got = day_cache[day_idx] = (day, f"{day:%Y-%m-%d}")
            day, day_text = got
            hh, rem = divmod(secs, 3600)
            mm, ss = divmod(rem, 60)
            reg_text = f"{day_text} {hh:02d}:{mm:02d}:{ss:02d}.000000"
            reg_ms = _epoch_ms(dt.datetime.combine(day, dt.time())) + secs * 1000
            age = (END_DAY - day).days
            year = day.year
            seq = self.year_seq.get(year, 0) + 1
            self.year_seq[year] = seq
            code = f"{code_prefix}-{year}-{seq:06d}"
            case_id = _uid(reg_ms, rng.getrandbits(74))
            village = villages[int(rnd() * len(villages))]
            grid_id = village["grids"][int(rnd() * 2)]

            # parties: applicant (visitor, with ID) and respondent; 40% are known people
            party_ids: list[str] = []
            party_names: list[str] = []
            applicant_k = -1
            for role in ("applicant", "respondent"):
                if self.persons and rnd() < 0.4:
                    k = int(rnd() * len(self.persons))
                    pid = self.persons[k]
                    name = self.person_names[k]
                else:
                    k = len(self.persons)
                    pid = _uid(reg_ms, rng.getrandbits(74))
                    name = names.name()
                    self.persons.append(pid)
                    self.person_names.append(name)
                    full, initials = names.pinyin(name)
                    if role == "applicant" or rnd() < 0.2:
                        number, birth, gender = id_number_of(self.id_k)
                        self.id_k += 1
                        id_number: str | None = number
                        birth_date: str | None = birth
                        sex: str | None = gender
                    else:
                        id_number = birth_date = sex = None
                    if role == "applicant":
                        phone: str | None = f"1{'3589'[int(rnd() * 4)]}{int(rnd() * 10**9):09d}"
                    else:
                        phone = f"139{int(rnd() * 10**8):08d}" if rnd() < 0.6 else None
                    address = None
                    if rnd() < 0.3:
                        address = f"{village['name']}{rng.randrange(1, 9)}组"
                    batch["person"].append((pid, name, full, initials, "111",
                                            seal(id_number, "id_number"),
                                            blind(id_number, "id_number"),
                                            seal(phone, "phone"), blind(phone, "phone"),
                                            sex, birth_date, address, village["id"],
                                            reg_text))  # fmt: skip
                if role == "applicant":
                    applicant_k = k
                party_ids.append(pid)
                party_names.append(name)
            a, b = party_names

            story = RARE_STORY if rnd() < rare_p else STORIES[int(rnd() * len(STORIES))]
            category, title_t, summary_t, amounts = story
            fill = {"a": a, "b": b, "p": PLACES[int(rnd() * len(PLACES))]}
            title = title_t.format(**fill)
            summary = summary_t.format(**fill)
            place = village["name"] + PLACES[int(rnd() * len(PLACES))]
            if "等" in summary_t:
                heads = rng.choice((1, 1, 1, 1, 2, 2, 3, 5, 8))
            else:
                heads = rng.choice((1, 1, 2))
            colour = pick_colour()
            channel = CHANNELS[int(rnd() * len(CHANNELS))]
            amount = rng.randrange(*amounts) * 100 if amounts else None
            level = "village" if rnd() < 0.1 else "township"
            disposition = pick_disp()
            for order, (pid, role) in enumerate(zip(party_ids, ("applicant", "respondent"),
                                                    strict=True)):  # fmt: skip
                batch["case_party"].append((_uid(reg_ms, rng.getrandbits(74)), case_id, pid,
                                            role, order))  # fmt: skip

            # state, projection and deadlines
            assignee = None
            rework = 0
            due_at = remind_at = yellow_at = closed_at = None
            provisional = 0
            supervision = "none"
            paused = 0
            risk_basis = RISK_BASIS[colour]
            events = 1 + (1 if colour == "red" else 0)
            registered_level = level
            kind = disposition
            clock_start = day
            closed_dt: dt.datetime | None = None
            if disposition == "answered":
                state = "answered"
                events += 1
            elif disposition != "accepted":
                state = "rejected"
                events += 1
            else:
                kind = pick_old() if age > 45 else pick_new()
                state, assigned, rework, extra, done = KINDS[kind]
                events += 1 + extra
                if assigned:
                    assignee = unit_ids[int(rnd() * len(unit_ids))]
                if kind == "escalated":
                    level = NEXT_TIER[level]  # 上报 goes one tier up
                if done:
                    if state != "voided":
                        closed = dt.datetime.combine(day, dt.time()) + dt.timedelta(
                            days=rng.randrange(3, 40), hours=rng.randrange(8, 18))  # fmt: skip
                        closed_dt = min(closed, LAST_SCAN)
                        closed_at = _ts(closed_dt)
                else:
                    clock_start = day if kind != "escalated" else day + dt.timedelta(
                        days=rng.randrange(1, 10))  # fmt: skip
                    days = RESOLVE_DAYS[(level, colour == "red")]
                    due_at, remind_at, yellow_at, provisional = self._due(clock_start, days)
                    if due_at < last_scan:
                        supervision = "red"
                    elif yellow_at <= last_scan:
                        supervision = "yellow"
                    elif remind_at <= last_scan:
                        supervision = "reminder"
                    paused = 1 if rnd() < 0.02 else 0
            batch["case_file"].append((
                case_id, code, township_id, village["id"], grid_id, title, summary, "",
                category, colour, risk_basis, level, channel, amount, heads, None, place,
                reg_text, receptionists[int(rnd() * 2)], state, supervision, assignee,
                due_at, remind_at, yellow_at, provisional, paused, rework, events, closed_at, 1,
            ))  # fmt: skip
            self.counts[state] = self.counts.get(state, 0) + 1
            reg_dt = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=secs)
            facts = {
                "category_code": category,
                "risk_colour": colour,
                "risk_basis": risk_basis,
                "handling_level": registered_level,
                "channel": channel,
                "head_count": heads,
                "unit_id": assignee,
                "unit_name": unit_names.get(assignee or "", ""),
            }
            made = self._events(
                batch["case_event"],
                case_id,
                reg_dt,
                reg_ms,
                kind,
                facts,
                clock_start,
                closed_dt,
                receptionists[int(rnd() * 2)],
            )
            assert made == events, (kind, made, events)

            self.search_rowid += 1
            body = " ".join(p for p in (code, title, summary, "", place) if p)
            batch["case_search"].append((self.search_rowid, case_id, f"{a} {b}", body))

            visit_id = _uid(reg_ms, rng.getrandbits(74))
            repeat = applicant_k in self.visited
            self.visited.add(applicant_k)
            batch["visit"].append((visit_id, township_id, case_id, reg_text,
                                   receptionists[int(rnd() * 2)], channel, heads,
                                   int(heads >= 5), int(repeat), disposition, ""))  # fmt: skip
            batch["visit_person"].append((_uid(reg_ms, rng.getrandbits(74)), visit_id,
                                          party_ids[0], "applicant"))  # fmt: skip

            if (i + 1) % BATCH == 0 or i + 1 == self.n:
                yield batch
                batch = {t: [] for t in BULK_TABLES}

    def _events(self, out: list[tuple[Any, ...]], case_id: str, reg: dt.datetime, reg_ms: int,
                kind: str, facts: dict[str, Any], clock_start: dt.date,
                closed: dt.datetime | None, actor: str) -> int:  # fmt: skip
        """The case's event log (what ``register_in`` and ``perform_in`` would have written)."""
        steps: list[tuple[str, dict[str, Any]]] = [("register", {
            k: facts[k] for k in ("category_code", "risk_colour", "risk_basis", "handling_level",
                                  "channel", "head_count")})]  # fmt: skip
        if facts["risk_colour"] == "red":
            steps.append(("warn", {"risk_colour": "red", "basis": facts["risk_basis"],
                                   "auto": True}))  # fmt: skip
        if kind == "answered":
            steps.append(("answer", {"answer": "已当场解答"}))
        elif kind in KIND_EVENTS:
            steps.append(("accept", {}))
            steps += KIND_EVENTS[kind]
        else:
            steps.append(("reject", {"reason": "引导至其他途径", "advised_channel": "诉讼"}))
        when = reg
        for seq, (action, payload) in enumerate(steps, start=1):
            if action == "assess":
                payload = {"risk_colour": facts["risk_colour"], "risk_basis": facts["risk_basis"],
                           "handling_level": facts["handling_level"]}  # fmt: skip
            elif action == "assign":
                payload = {"unit_id": facts["unit_id"], "unit_name": facts["unit_name"]}
            if action == "escalate":
                when = max(when, dt.datetime.combine(clock_start, dt.time(9)))
            elif action == "close" and closed is not None:
                when = max(when, closed)
            elif seq > 2:
                when += dt.timedelta(minutes=30)
            ms = _epoch_ms(when) + when.microsecond // 1000
            ms = max(ms, reg_ms)
            out.append((_uid(ms, self.rng.getrandbits(74)), case_id, seq, action, actor,
                        BULK_DEVICE, f"{ms:013d}-{seq:010d}-{BULK_DEVICE}", _ts(when),
                        json.dumps(payload, ensure_ascii=False)))  # fmt: skip
        return len(steps)


INSERTS = {
    "person": "INSERT INTO person (id, name, name_pinyin, name_initials, id_type, id_number,"
    " id_number_hmac, phone, phone_hmac, gender, birth_date, address, village_id, created_at)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "case_file": "INSERT INTO case_file (id, code, township_id, village_id, grid_id, title,"
    " summary, description, category_code, risk_colour, risk_basis, handling_level, channel,"
    " amount_cents, people_count, occurred_at, occurred_place, registered_at, registered_by,"
    " state, supervision_level, assignee_unit_id, due_at, remind_at, yellow_at, due_provisional,"
    " clock_paused, rework_count, event_count, closed_at, revision)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "case_party": "INSERT INTO case_party (id, case_id, person_id, role, sort_order)"
    " VALUES (?,?,?,?,?)",
    "case_search": "INSERT INTO case_search (rowid, case_id, names, body) VALUES (?,?,?,?)",
    "visit": "INSERT INTO visit (id, township_id, case_id, received_at, received_by, channel,"
    " head_count, is_collective, is_repeat, disposition, note) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "visit_person": "INSERT INTO visit_person (id, visit_id, person_id, role) VALUES (?,?,?,?)",
    "case_event": "INSERT INTO case_event (id, case_id, seq, action, actor_id, device_id, hlc,"
    " occurred_at, payload) VALUES (?,?,?,?,?,?,?,?,?)",
}


def _bulk_load(path: Path, seed: int, n_cases: int, org: dict[str, Any], fts_mode: str,
               log: Callable[[str], None]) -> dict[str, Any]:  # fmt: skip
    rules, calendar = closure_fill.rules_and_calendar(path)  # before this load locks the file
    # Rows are made in a child process while this one inserts them (2 cores: ~2x faster).
    ctx = multiprocessing.get_context("fork")
    queue: Any = ctx.Queue(maxsize=3)
    child = ctx.Process(target=_produce, args=(queue, seed, n_cases, org), daemon=True)
    child.start()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -4000000")  # 4 GB
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA threads = 2")  # CREATE INDEX sorts with a helper thread
    marks = ",".join("?" * len(BULK_TABLES))
    indexes = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks})", BULK_TABLES,
    ).fetchall()  # fmt: skip
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case_search'"
    ).fetchall()
    # the daily tally (0019) and the rates' facts (0020) are counted once after the load
    # instead of by a trigger per row
    tally_triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        " AND (name LIKE ? OR name LIKE ?)",
        (tally.TRIGGER_PREFIX + "%", rate_facts.TRIGGER_PREFIX + "%"),
    ).fetchall()
    conn.execute("BEGIN")
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    if fts_mode == "rebuild":
        for name, _ in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
    for name, _ in tally_triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("COMMIT")

    t0 = time.perf_counter()
    t_wait = t_ins = 0.0
    done = 0
    try:
        while True:
            g0 = time.perf_counter()
            try:
                batch = queue.get(timeout=5)
            except queue_module.Empty:
                if not child.is_alive():
                    raise RuntimeError("the row generator failed (see above)") from None
                continue
            t_wait += time.perf_counter() - g0
            if "stats" in batch:
                stats: dict[str, Any] = batch["stats"]
                break
            i0 = time.perf_counter()
            conn.execute("BEGIN")
            for table in BULK_TABLES:
                conn.executemany(INSERTS[table], batch[table])
            conn.execute("COMMIT")
            t_ins += time.perf_counter() - i0
            done += len(batch["case_file"])
            if done % 200_000 == 0 or done == n_cases:
                log(f"  {done:>9,} cases  {time.perf_counter() - t0:6.1f}s"
                    f" (insert {t_ins:.1f}s, waiting for rows {t_wait:.1f}s)")  # fmt: skip
    finally:
        child.join(timeout=60)
        if child.is_alive():
            child.kill()
            child.join()
    # number blocks: the series used up, so the next registration leases a fresh block
    conn.execute("BEGIN")
    block_rng = random.Random(seed + 2)
    for year, last in sorted(stats.pop("year_seq").items()):
        leased = _ts(dt.datetime(year, 1, 1, 8))
        conn.execute(
            "INSERT INTO number_block (id, series, first, last, next_value, source, leased_at)"
            " VALUES (?,?,?,?,?,?,?)",
            (_uid(_epoch_ms(dt.datetime(year, 1, 1)), block_rng.getrandbits(74)),
             f"case:{TOWNSHIP[1]}:{year}", 1, last, last + 1, "local", leased),
        )  # fmt: skip
    conn.execute("COMMIT")
    if fts_mode == "rebuild":
        f0 = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO case_fts(case_fts) VALUES ('rebuild')")
        conn.execute("COMMIT")
        log(f"  FTS trigram rebuild {time.perf_counter() - f0:.1f}s")
        if _has_table(conn, "case_fts_bigram"):
            f0 = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute(_bigram_backfill())
            conn.execute("COMMIT")
            log(f"  FTS bigram fill {time.perf_counter() - f0:.1f}s")
        conn.execute("BEGIN")
        for _, sql in triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
    x0 = time.perf_counter()
    conn.execute("BEGIN")
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    log(f"  indexes re-created {time.perf_counter() - x0:.1f}s ({len(indexes)} indexes)")
    # each close's fact (on time or not), set-based: the app's row-wise fill of a million cases
    # took over 17 minutes the first time a report ran; rate_fact's triggers are dropped, so
    # its facts are counted below with the evaluations'
    x0 = time.perf_counter()
    conn.execute("BEGIN")
    closures = closure_fill.fill(conn, rules, calendar)
    conn.execute("COMMIT")
    log(f"  closure facts {closures:,} filled {time.perf_counter() - x0:.1f}s")
    if tally_triggers:
        x0 = time.perf_counter()
        conn.execute("BEGIN")
        for sql in tally.rebuild_sql():
            conn.execute(sql)
        if _has_table(conn, rate_facts.TABLE):
            for sql in rate_facts.rebuild_sql():
                conn.execute(sql)
        for _, sql in tally_triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
        log(f"  daily tally counted {time.perf_counter() - x0:.1f}s")
    conn.execute("PRAGMA locking_mode = NORMAL")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return stats


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return row is not None


def _bigram_backfill() -> str:
    """The backfill statement of migration 0003 (what its triggers do, for all rows at once)."""
    path = MIGRATIONS_DIR / "versions" / "0003_performance_indexes.py"
    spec = importlib.util.spec_from_file_location("zz_bench_migration_0003", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = [s for s in module.STATEMENTS if s.startswith("INSERT INTO case_fts_bigram")]
    assert len(found) == 1, found
    return str(found[0])


def _produce(queue: Any, seed: int, n_cases: int, org: dict[str, Any]) -> None:
    """Child process: generate the bulk rows and hand them over batch by batch."""
    bulk = _Bulk(seed, n_cases, org, WorkCalendar())
    for batch in bulk.batches():
        queue.put(batch)
    queue.put({"stats": {
        "states": dict(sorted(bulk.counts.items())),
        "persons": len(bulk.persons),
        "next_id_k": bulk.id_k,
        "names_cached": len(bulk.names.cache),
        "year_seq": dict(bulk.year_seq),
    }})  # fmt: skip


# --- the special case: 50 events through the real services ----------------------------------


def _special_case(path: Path, org: dict[str, Any], seed: int) -> dict[str, Any]:
    store = open_store(path)
    try:
        ctx = make_context(store, user_id=org["users"]["tiaojie1"])
        at = BENCH_NOW - dt.timedelta(days=60)
        ctx.now = lambda: at
        rng = random.Random(seed + 1)
        number, _, _ = id_number_of(ID_SPACE - 1)  # never used by the bulk rows
        village = org["villages"][0]
        form = WalkInInput(
            parties=(PartyInput(name="欧阳建国", id_number=number, phone="13900001111"),
                     PartyInput(name="司马红梅", role="respondent", is_visitor=False)),
            summary="欧阳建国反映邻居司马红梅在屋顶加装光伏板挡住采光，双方多次争吵，请求调解。",
            title="欧阳建国与司马红梅相邻采光纠纷", category_code="0201", disposition="accepted",
            risk_colour="yellow", risk_basis="双方情绪激动，有激化苗头", village_id=village["id"],
            grid_id=village["grids"][0], occurred_place=village["name"] + "二组",
        )  # fmt: skip
        unit = org["units"][1]["id"]
        steps: list[tuple[Action, dict[str, Any]]] = [
            (
                Action.ASSESS,
                {
                    "risk_colour": "yellow",
                    "handling_level": "township",
                    "risk_basis": "双方情绪激动",
                },
            ),  # fmt: skip
            (Action.MEDIATE, {"mediator": "陈调解"}),
        ]
        for n in range(10):
            steps += [
                (Action.PAUSE_CLOCK, {"reason": f"等待鉴定结论（第{n + 1}次）"}),
                (Action.RESUME_CLOCK, {}),
                (
                    Action.SUPERVISE,
                    {"level": ("reminder", "yellow")[n % 2], "opinion": "请加快调解进度"},
                ),  # fmt: skip
                (
                    Action.ASSESS,
                    {
                        "risk_colour": ("yellow", "green")[n % 2],
                        "handling_level": "township",
                        "risk_basis": "复评",
                    },
                ),  # fmt: skip
            ]
        steps += [
            (Action.MEDIATION_RESULT, {"result": "not_reached"}),
            (Action.ASSIGN, {"unit_id": unit}),
            (Action.SIGN, {"signer": "承办人"}),
            (Action.REQUEST_EXTENSION, {"days": 5, "reason": "需补充材料"}),
            (Action.DECIDE_EXTENSION, {"approved": True}),
            (Action.FEEDBACK, {"result": "已现场核实，双方达成一致意见"}),
        ]
        with store.write() as session:
            result = register_in(session, ctx, form)
            proj = None
            when = at
            for action, payload in steps:
                when += dt.timedelta(hours=rng.randrange(1, 20))
                proj = perform_in(session, ctx, result.case_id, action, payload, when,
                                  projection=proj)  # fmt: skip
        with store.read() as session:
            replayed = replay_case(session, result.case_id)
            n_events = session.execute(
                text("SELECT count(*) FROM case_event WHERE case_id = :c"), {"c": result.case_id}
            ).scalar_one()
        if replayed.conflicts or replayed.projection is None or n_events != 50:
            raise RuntimeError(f"special case is not a clean 50-event log: {n_events} events, "
                               f"{len(replayed.conflicts)} conflicts")  # fmt: skip
        return {"case_id": result.case_id, "code": result.case_code, "events": int(n_events),
                "state": replayed.projection.state.value}  # fmt: skip
    finally:
        store.dispose()


def _check_replay(path: Path, sample: int = 400) -> int:
    """Replay a sample of bulk cases (every kind) and compare with the stored projection."""
    store = open_store(path)
    try:
        with store.read() as session:
            rows = session.execute(text(
                "SELECT id, state, event_count FROM case_file WHERE rowid % :step = 0"
            ), {"step": max(1, _count(session) // sample)}).all()  # fmt: skip
            for case_id, state, n_events in rows:
                got = replay_case(session, case_id)
                if got.conflicts or got.projection is None or got.projection.state != state:
                    raise RuntimeError(f"bulk case {case_id} ({state}) does not replay: "
                                       f"{got.conflicts[:1]}")  # fmt: skip
                if got.projection.event_count != n_events:
                    raise RuntimeError(f"bulk case {case_id}: {n_events} events stored, "
                                       f"{got.projection.event_count} replayed")  # fmt: skip
        return len(rows)
    finally:
        store.dispose()


def _count(session: Any) -> int:
    return int(session.execute(text("SELECT count(*) FROM case_file")).scalar_one())


# --- entry points --------------------------------------------------------------------------


def install_bench_keys() -> None:
    """ID numbers and phones are sealed as in the app, with the demo's public key (made-up
    data), so every run and the forked row generator open the cached file alike."""
    install(demo_keys())


def build(path: Path, n_cases: int, seed: int, *, fts_mode: str = "rebuild",
          log: Callable[[str], None] = print) -> dict[str, Any]:  # fmt: skip
    install_bench_keys()
    for suffix in ("", "-wal", "-shm", ".json"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    work = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    log(f"building {n_cases:,} cases into {path} (seed {seed}, FTS via {fts_mode})")
    org = _set_up(work)
    stats = _bulk_load(work, seed, n_cases, org, fts_mode, log)
    special = _special_case(work, org, seed)
    log(f"  special case {special['code']}: {special['events']} events, replay clean")
    checked = _check_replay(work)
    log(f"  {checked} sampled bulk cases replay to their stored state")
    checked = closure_fill.check(work)
    log(f"  {checked} sampled closure facts equal the app's row-wise answer")
    conn = sqlite3.connect(work)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    os.replace(work, path)
    for suffix in ("-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    seconds = time.perf_counter() - t0
    meta = {
        "version": version(seed), "n_cases": n_cases, "seed": seed,
        "bench_now": BENCH_NOW.isoformat(),
        "org": org, "special": special, "stats": stats, "seconds": round(seconds, 1),
        "bytes": path.stat().st_size, "fts_mode": fts_mode,
        "terms": {"common3": COMMON_TERM_3, "rare3": RARE_TERM_3, "common2": COMMON_TERM_2,
                  "rare2": RARE_TERM_2, "absent2": ABSENT_TERM_2},
    }  # fmt: skip
    tmp = meta_path(path).with_suffix(".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1))
    os.replace(tmp, meta_path(path))
    log(f"generated {n_cases:,} cases in {seconds:.1f}s; {path.stat().st_size / 2**30:.2f} GiB")
    return meta


def ensure_db(n_cases: int = DEFAULT_CASES, seed: int = DEFAULT_SEED, *, rebuild: bool = False,
              fts_mode: str = "rebuild",
              log: Callable[[str], None] = print) -> tuple[Path, dict[str, Any]]:  # fmt: skip
    """The cached benchmark database and its metadata, building it when missing or forced."""
    install_bench_keys()
    path = db_path(n_cases, seed)
    meta_file = meta_path(path)
    if not rebuild and path.exists() and meta_file.exists():
        meta: dict[str, Any] = json.loads(meta_file.read_text())
        if meta.get("version") == version(seed) and meta.get("n_cases") == n_cases:
            log(f"reusing {path} ({path.stat().st_size / 2**30:.2f} GiB, built in "
                f"{meta['seconds']}s)")  # fmt: skip
            if closure_fill.fill_file(path, log):  # a cache built before the generator did
                log(f"  {closure_fill.check(path)} sampled closure facts equal the app's")
            return path, meta
    _drop_stale(path, log)
    return path, build(path, n_cases, seed, fts_mode=fts_mode, log=log)


def _drop_stale(path: Path, log: Callable[[str], None]) -> None:
    """Delete completed caches of the same size from older versions (each is 3+ GiB)."""
    label = path.name.split("-g", 1)[0]  # "zz-bench-1m"
    for old_meta in path.parent.glob(f"{label}-g*.db.json"):
        old = old_meta.with_name(old_meta.name[: -len(".json")])
        if old == path:
            continue
        for suffix in ("", "-wal", "-shm", ".json"):
            Path(str(old) + suffix).unlink(missing_ok=True)
        log(f"removed stale cache {old.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--fts-mode", choices=("trigger", "rebuild"), default="rebuild")
    parser.add_argument("--out", type=Path, help="build into this file instead of the cache")
    args = parser.parse_args(argv)
    if args.out:
        build(args.out, args.cases, args.seed, fts_mode=args.fts_mode)
    else:
        ensure_db(args.cases, args.seed, rebuild=args.rebuild, fts_mode=args.fts_mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
