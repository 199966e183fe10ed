"""The demo township as a user sees it (演示数据)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from services.demo.township import DEMO_USERS, create_demo
from services.setup.township import make_context, open_store
from services.store.models import AppUser, CaseEvent


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
