"""A hand-written scenario of cases (手工场景) whose report figures are worked out by hand.

Township 青山镇 with villages 东沟村 (V1), 西岔村 (V2), 南湾村 (V3) and the handling unit 青山司法所
(U). Default deadlines: township 7 working days, county 15; November 2026 has no holidays.

=====  ========================================================================================
case   what happens (all 2026 unless said)
=====  ========================================================================================
A      V1 0202 walk-in, accepted Tue 3 Nov; mediated 4 Nov, agreement 5 Nov, 满意 6 Nov, closed
       (normal) 6 Nov 10:00.                                   → closed, 化解成功, on time.
B      V2 0902 phone, yellow, accepted Mon 9 Nov 10:00; assigned to U, signed 10 Nov; feedback
       12 Nov, 退回重办 13 Nov; extension of 5 working days asked and granted 16 Nov; feedback and
       approval 19 Nov, 不满意 20 Nov (back to U), feedback and approval 23 Nov, 基本满意 24 Nov
       10:00, closed (normal) 24 Nov 16:00. Deadline 18 Nov without the extension, 25 Nov with
       it.                                                      → closed, 化解成功, on time.
C      V1 0701 walk-in, accepted Mon 16 Nov; mediated 17 Nov, not reached 18 Nov; closed
       (terminated) 19 Nov.                                     → closed, not a success, on time.
D      V3 0202 walk-in, 6 visitors, red, accepted Wed 18 Nov 09:00 (red → automatic 风险预警);
       escalated 18 Nov 14:00 (county clock: 15 working days → 9 Dec). → open, not overdue.
E      V2 0601 walk-in, accepted Fri 20 Nov; assigned to U 20 Nov 10:00; assessed yellow
       21 Nov; signed Mon 23 Nov 08:00 (22 working hours: the 24-hour 签收 rule met); clock paused
       23 Nov 09:00.                                            → open, paused (never overdue).
F      V3 0902 walk-in, accepted Tue 10 Nov, voided 11 Nov.    → in no figure (visit counts).
G      V1 0401 walk-in, answered on the spot Tue 24 Nov.         → registered, not accepted.
H      V2 0101 walk-in, accepted Mon 12 Oct; assigned to U and signed 12 Oct (due 21 Oct);
       supervised (yellow) Mon 2 Nov; after November: feedback, approval, 满意 and close on
       Thu 3 Dec.                    → November: open, overdue; December: closed late.
I      V3 0202 12345, accepted Mon 30 Nov 17:00 on another PC offline; reaches this PC on
       4 Dec, written after H's December events.              → counted in November.
L      V2 0202 walk-in, accepted Wed 25 Nov (due 4 Dec); voided Sat 5 Dec. → in November's
       figures (voided after the cut-off), in no December figure.
J      V1 0202 walk-in, accepted Thu 31 Dec 23:00; agreement Mon 4 Jan 2027, 满意 and closed
       Tue 5 Jan 2027.                      → December: open; January 2027: closed.
=====  ========================================================================================
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from services.cases.events import perform_in
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.workflow import Action
from services.reception.registration import register_walk_in

D = dt.datetime


@dataclasses.dataclass
class Scenario:
    ctx: ServiceContext
    villages: dict[str, str]
    unit_id: str
    cases: dict[str, str] = dataclasses.field(default_factory=dict)

    def at(self, when: dt.datetime) -> None:
        self.ctx.now = lambda: when

    def register(self, key: str, when: dt.datetime, village: str, category: str, *,
                 channel: str = "walk_in", colour: str = "green", heads: int = 1,
                 disposition: str = "accepted", name: str = "张三") -> str:  # fmt: skip
        self.at(when)
        basis = "双方情绪激动，扬言采取过激行为" if colour != "green" else ""
        form = WalkInInput(
            parties=(PartyInput(name=name, phone="13812345678"),),
            summary=f"{name}反映纠纷（场景{key}），要求调解处理",
            category_code=category, disposition=disposition, channel=channel,
            head_count=heads, risk_colour=colour, risk_basis=basis,
            village_id=self.villages[village],
            answer="已当场解答政策问题" if disposition == "answered" else "",
        )  # fmt: skip
        result = register_walk_in(self.ctx, form)
        self.cases[key] = result.case_id
        return result.case_id

    def act(self, key: str, action: Action, when: dt.datetime, **payload: Any) -> None:
        self.at(when)
        case_id = self.cases[key]
        self.ctx.store.run_write(lambda s: perform_in(s, self.ctx, case_id, action, payload, when))

    def assign(self, key: str, when: dt.datetime, *, sign: bool = True) -> None:
        self.act(key, Action.ASSIGN, when, unit_id=self.unit_id, unit_name="青山司法所")
        if sign:
            self.act(key, Action.SIGN, when + dt.timedelta(minutes=30), signer="李四")


def build_november(s: Scenario) -> None:
    """Everything that happened in October and November on this PC."""
    # H: October, overdue all November
    s.register("H", D(2026, 10, 12, 9), "V2", "0101")
    s.assign("H", D(2026, 10, 12, 10))
    s.act("H", Action.SUPERVISE, D(2026, 11, 2, 9), level="yellow", opinion="逾期未办结，督促办理")
    # A
    s.register("A", D(2026, 11, 3, 9), "V1", "0202")
    s.act("A", Action.MEDIATE, D(2026, 11, 4, 9), mediator="王调解")
    s.act("A", Action.MEDIATION_RESULT, D(2026, 11, 5, 15), result="reached")
    s.act("A", Action.EVALUATE, D(2026, 11, 6, 9), evaluation="satisfied")
    s.act("A", Action.CLOSE, D(2026, 11, 6, 10), closure_type="normal")
    # B
    s.register("B", D(2026, 11, 9, 10), "V2", "0902", channel="phone", colour="yellow")
    s.assign("B", D(2026, 11, 9, 11))
    s.act("B", Action.FEEDBACK, D(2026, 11, 12, 9), result="已协调")
    s.act("B", Action.SEND_BACK, D(2026, 11, 13, 9), opinion="未见书面协议，退回重办")
    s.act("B", Action.REQUEST_EXTENSION, D(2026, 11, 16, 9), days=5, reason="需测绘")
    s.act("B", Action.DECIDE_EXTENSION, D(2026, 11, 16, 15), approved=True)
    s.act("B", Action.FEEDBACK, D(2026, 11, 19, 9), result="已测绘并协调")
    s.act("B", Action.APPROVE, D(2026, 11, 19, 10))
    s.act("B", Action.EVALUATE, D(2026, 11, 20, 9), evaluation="dissatisfied")
    s.act("B", Action.FEEDBACK, D(2026, 11, 23, 9), result="重新协调达成一致")
    s.act("B", Action.APPROVE, D(2026, 11, 23, 10))
    s.act("B", Action.EVALUATE, D(2026, 11, 24, 10), evaluation="basically")
    s.act("B", Action.CLOSE, D(2026, 11, 24, 16), closure_type="normal")
    # F: voided in November
    s.register("F", D(2026, 11, 10, 9), "V3", "0902")
    s.act("F", Action.VOID, D(2026, 11, 11, 9), reason="重复登记")
    # C
    s.register("C", D(2026, 11, 16, 9), "V1", "0701")
    s.act("C", Action.MEDIATE, D(2026, 11, 17, 9), mediator="王调解")
    s.act("C", Action.MEDIATION_RESULT, D(2026, 11, 18, 15), result="not_reached")
    s.act("C", Action.CLOSE, D(2026, 11, 19, 9), closure_type="terminated_mediation")
    # D: red, 6 visitors, escalated
    s.register("D", D(2026, 11, 18, 9), "V3", "0202", colour="red", heads=6)
    s.act("D", Action.ESCALATE, D(2026, 11, 18, 14), reason="涉及人数多，超出乡镇处置能力")
    # E: paused
    s.register("E", D(2026, 11, 20, 9), "V2", "0601")
    s.assign("E", D(2026, 11, 20, 10), sign=False)
    s.act(
        "E",
        Action.ASSESS,
        D(2026, 11, 21, 9),
        risk_colour="yellow",
        handling_level="township",
        risk_basis="当事人多次来访",
    )
    s.act(
        "E", Action.SIGN, D(2026, 11, 23, 8), signer="李四"
    )  # 22 working hours: on time (24 h rule)
    s.act("E", Action.PAUSE_CLOCK, D(2026, 11, 23, 9), reason="等待司法鉴定")
    # G: answered on the spot
    s.register("G", D(2026, 11, 24, 9), "V1", "0401", disposition="answered")
    # L: voided after the cut-off (below)
    s.register("L", D(2026, 11, 25, 9), "V2", "0202")
    s.at(D(2026, 12, 1, 8))


def build_early_december(s: Scenario) -> None:
    """H closed on 3 Dec; then I (registered offline on 30 Nov) arrives on 4 Dec."""
    s.act("H", Action.FEEDBACK, D(2026, 12, 3, 9), result="已调解")
    s.act("H", Action.APPROVE, D(2026, 12, 3, 10))
    s.act("H", Action.EVALUATE, D(2026, 12, 3, 11), evaluation="satisfied")
    s.act("H", Action.CLOSE, D(2026, 12, 3, 12), closure_type="normal")
    s.register("I", D(2026, 11, 30, 17), "V3", "0202", channel="hotline_12345")
    s.at(D(2026, 12, 4, 12))


def build_after(s: Scenario) -> None:
    """From 5 December on: nothing here may change a November figure."""
    s.act("L", Action.VOID, D(2026, 12, 5, 9), reason="当事人撤回")
    s.register("J", D(2026, 12, 31, 23), "V1", "0202")
    s.act("J", Action.MEDIATE, D(2027, 1, 4, 9), mediator="王调解")
    s.act("J", Action.MEDIATION_RESULT, D(2027, 1, 4, 15), result="reached")
    s.act("J", Action.EVALUATE, D(2027, 1, 5, 9), evaluation="satisfied")
    s.act("J", Action.CLOSE, D(2027, 1, 5, 10), closure_type="normal")
    s.at(D(2027, 1, 10, 12))


ScenarioFactory = Callable[[], Scenario]
