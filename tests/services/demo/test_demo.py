"""The demo township as a user sees it (演示数据)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from services.audit.verify import verify
from services.demo.township import DEMO_USERS, DemoJob, create_demo
from services.setup.township import make_context, open_store
from services.store.models import AppUser, Case, CaseEvent


def test_every_demo_event_names_who_did_it(tmp_path: Path) -> None:
    """The case timeline's 经办 column was empty for every demo event (no acting user)."""
    ctx = make_context(open_store(tmp_path / "demo.db"))
    assert create_demo(ctx, cases=40) == 40
    with ctx.store.read() as session:
        events = session.scalar(select(func.count()).select_from(CaseEvent))
        unnamed = session.scalar(select(func.count()).where(CaseEvent.actor_id.is_(None)))
        actors = set(session.scalars(
            select(AppUser.username).join(CaseEvent, CaseEvent.actor_id == AppUser.id)
        ))  # fmt: skip
    assert events and unnamed == 0
    assert actors <= {login for login, _name, _role in DEMO_USERS}
    assert {"jiedai1", "zhuren", "tiaojie1"} <= actors  # registered, decided, mediated
    assert ctx.user_id is None  # generating the demo leaves nobody signed in


def _cases(path: Path) -> list[tuple[object, ...]]:
    store = open_store(path)
    with store.read() as session:
        rows = session.execute(
            select(Case.code, Case.registered_at, Case.title, Case.state, Case.risk_colour)
            .order_by(Case.registered_at)
        ).all()  # fmt: skip
        events = session.scalar(select(func.count()).select_from(CaseEvent))
    report = verify(store)
    store.dispose()
    assert report.ok, report.first
    return [tuple(r) for r in rows] + [("events", events)]


def test_a_demo_stopped_half_way_is_finished_the_same_on_a_later_day(tmp_path: Path) -> None:
    """The first --demo start shows the window and makes the cases in the background; quitting
    half-way leaves a demo the next start (even a day later) finishes into the very demo made
    in one go: same cases, codes, states and times, no duplicates, audit chain intact."""
    day = dt.date(2026, 12, 5)
    ctx = make_context(open_store(tmp_path / "once.db"))
    assert create_demo(ctx, cases=60, today=day) == 60
    assert DemoJob(ctx, cases=60, today=day).complete  # nothing left: a second call adds none
    assert create_demo(ctx, cases=60, today=day) == 0
    ctx.store.dispose()

    ctx = make_context(open_store(tmp_path / "twice.db"))
    job = DemoJob(ctx, cases=60, today=day)
    assert (job.made, job.complete) == (0, False)
    seen: list[int] = []
    assert job.run(batch=7, progress=lambda done, _total: seen.append(done), stop=lambda: True) == 7
    assert seen == [7] and ctx.user_id is None and ctx.principal is None
    ctx.store.dispose()
    ctx = make_context(open_store(tmp_path / "twice.db"))
    later = DemoJob(ctx, cases=60, today=day + dt.timedelta(days=3))  # started again later
    assert (later.made, later.found, later.today) == (7, 7, day)
    assert later.run(batch=25) == 53 and later.complete
    ctx.store.dispose()
    assert _cases(tmp_path / "twice.db") == _cases(tmp_path / "once.db")
    days = sorted({row[1].date() for row in _cases(tmp_path / "once.db")[:-1]})  # type: ignore[attr-defined]
    assert len(days) > 40 and (days[-1] - days[0]).days > 300  # spread over the year before
    assert days[-1] <= day


def test_a_database_with_other_cases_is_left_alone(tmp_path: Path) -> None:
    """Cases that are not this demo's (another seed): nothing is added to them."""
    ctx = make_context(open_store(tmp_path / "demo.db"))
    assert create_demo(ctx, cases=5, seed=1) == 5
    assert DemoJob(ctx, cases=5).complete
    assert create_demo(ctx, cases=5) == 0
