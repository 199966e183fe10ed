"""Convergence under faults, as a hypothesis state machine (收敛性).

Two PCs of township A (one clock a day behind), one of township B and the county (a day ahead)
register, act and edit while their links cut, duplicate and replay requests and the hub restarts.
Once the network heals, every side holds the same data: nothing lost, nothing twice.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule
from sqlalchemy import func, select

from services.cases.actions import perform
from services.domain.errors import ServiceError
from services.store.models import CaseParty, Outbox, Person
from services.sync.county import assign_down, supervise
from tests.hub.harness import TOWNSHIP_A, TOWNSHIP_B, FaultyTransport, InProcessHub, Pc, make_pc

FAULTS = ("ok", "ok", "drop_before", "drop_after", "duplicate", "replay")
ACTIONS: tuple[tuple[str, dict[str, object]], ...] = (
    ("supervise", {"level": "reminder", "opinion": "请抓紧"}),
    ("pause_clock", {"reason": "等待鉴定"}),
    ("resume_clock", {}),
    ("assess", {"risk_colour": "yellow", "handling_level": "township", "risk_basis": "多户"}),
    ("void", {"reason": "重复登记"}),
)


class Convergence(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="sync-sm-"))
        self.url = f"sqlite:///{self.dir / 'hub.db'}"
        self.hub = InProcessHub(self.url)
        self.faults: dict[str, str] = {}
        self.transports: dict[str, FaultyTransport] = {}
        self.pcs: dict[str, Pc] = {}
        self.cases: dict[str, str] = {}  # case id → township code
        self.unit: str | None = None

    def _fault_of(self, name: str) -> Callable[[int], str]:
        """The transport's fault plan for one PC: whatever ``self.faults`` says right now."""
        return lambda _n: self.faults[name]

    @initialize()
    def set_up(self) -> None:
        plan = [
            ("a1", TOWNSHIP_A, dt.timedelta(0)),
            ("a2", TOWNSHIP_A, -dt.timedelta(days=1)),
            ("b1", TOWNSHIP_B, dt.timedelta(0)),
            ("county", None, dt.timedelta(days=1)),
        ]
        for name, township, skew in plan:
            token = self.hub.token(name, township).token
            self.faults[name] = "ok"
            transport = FaultyTransport(self.hub.transport, self._fault_of(name))
            self.transports[name] = transport
            self.pcs[name] = make_pc(self.dir, name, token, transport, skew=skew)
            self.pcs[name].sync.sync_now()
        self.unit = self.pcs["a1"].add_unit()

    @rule(who=st.sampled_from(["a1", "a2", "b1"]))
    def register(self, who: str) -> None:
        pc = self.pcs[who]
        self.cases[pc.register()] = str(pc.ctx.township_code)

    @rule(
        who=st.sampled_from(["a1", "a2", "b1", "county"]),
        pick=st.integers(0, 50),
        action=st.sampled_from(ACTIONS),
    )
    def act(self, who: str, pick: int, action: tuple[str, dict[str, object]]) -> None:
        pc = self.pcs[who]
        known = sorted(pc.case_ids())
        if not known:
            return
        try:
            if who == "county":
                supervise(pc.ctx, known[pick % len(known)], "yellow", "县级督办")
            else:
                perform(pc.ctx, known[pick % len(known)], action[0], action[1])
        except ServiceError:
            pass  # not allowed in the state this PC sees: nothing written

    @rule(pick=st.integers(0, 50))
    def county_assigns(self, pick: int) -> None:
        pc = self.pcs["county"]
        known = sorted(c for c in pc.case_ids() if self.cases.get(c) == TOWNSHIP_A[0])
        if known and self.unit and self.unit_known(pc):
            try:
                assign_down(pc.ctx, known[pick % len(known)], self.unit, "请司法所办理")
            except ServiceError:
                pass

    def unit_known(self, pc: Pc) -> bool:
        from services.store.models import OrgUnit

        with pc.store.read() as session:
            return session.get(OrgUnit, self.unit) is not None

    @rule(who=st.sampled_from(["a1", "a2"]), pick=st.integers(0, 50), n=st.integers(0, 99))
    def edit_phone(self, who: str, pick: int, n: int) -> None:
        pc = self.pcs[who]
        with pc.store.write() as session:
            people = sorted(session.scalars(select(Person.id)))
            if people:
                person = session.get(Person, people[pick % len(people)])
                assert person is not None
                person.phone = f"139000000{n:02d}"

    @rule(who=st.sampled_from(["a1", "a2", "b1", "county"]), fault=st.sampled_from(FAULTS))
    def sync(self, who: str, fault: str) -> None:
        self.faults[who] = fault
        try:
            self.pcs[who].sync.sync_now()
        except ServiceError:
            pass  # offline: retried later, nothing lost
        finally:
            self.faults[who] = "ok"

    @rule()
    def restart_hub(self) -> None:
        self.hub.close()
        self.hub = InProcessHub(self.url)
        for transport in self.transports.values():
            transport.inner = self.hub.transport

    def teardown(self) -> None:
        try:
            self._check_converged()
        finally:
            for pc in self.pcs.values():
                pc.close()
            self.hub.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _check_converged(self) -> None:
        if not self.pcs:
            return
        for _ in range(3):  # the network heals: everyone syncs until quiet
            for pc in self.pcs.values():
                pc.sync.sync_now()
        sent = 0
        for pc in self.pcs.values():
            with pc.store.read() as session:
                statuses = dict(
                    session.execute(
                        select(Outbox.status, func.count()).group_by(Outbox.status)
                    ).all()
                )
            assert set(statuses) <= {"sent"}, (pc.name, statuses)  # nothing left behind
            sent += statuses.get("sent", 0)
        assert self.hub.count("change") == sent  # every change exactly once on the hub
        a1, a2, b1, county = (self.pcs[n] for n in ("a1", "a2", "b1", "county"))
        in_a = {c for c, t in self.cases.items() if t == TOWNSHIP_A[0]}
        in_b = {c for c, t in self.cases.items() if t == TOWNSHIP_B[0]}
        assert a1.case_ids() == a2.case_ids() == in_a
        assert b1.case_ids() == in_b and county.case_ids() == in_a | in_b
        assert a1.cases() == a2.cases()
        county_view = county.cases()
        assert {c: county_view[c] for c in in_a} == a1.cases()
        assert {c: county_view[c] for c in in_b} == b1.cases()
        assert a1.event_ids() == a2.event_ids()
        assert len({code for code, _s, _n in county_view.values()}) == len(county_view)
        for pc in (a1, a2):
            with pc.store.read() as session:
                phones = dict(
                    session.execute(
                        select(Person.id, Person.phone).join(
                            CaseParty, CaseParty.person_id == Person.id
                        )
                    ).all()
                )
            if pc is a1:
                first = phones
        assert phones == first  # field edits merged to the same values


def _programs(count: int) -> settings:
    return settings(
        max_examples=count,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


class TestConvergence(Convergence.TestCase):  # type: ignore[misc, valid-type]
    """2 programs of up to 20 steps in `make test`."""

    settings = _programs(2)


@pytest.mark.slow
class TestConvergenceFull(Convergence.TestCase):  # type: ignore[misc, valid-type]
    """The full 10 programs, under `slow` (CI runs them)."""

    settings = _programs(10)
