"""Demo township (演示数据): villages, grids, units, users and ~2,000 cases, deterministic from a seed.

Everything goes through the real registration and workflow code, so demo cases are valid cases.
Ids are UUIDv7 (time-based) and differ between runs; names, texts, states and dates do not.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.cases.events import perform_in
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.identity import id_check_char
from services.domain.workflow import Action
from services.reception.registration import register_in
from services.setup.township import add_org, add_user, set_up_township
from services.store.models import AppUser, Case, OrgUnit

DEMO_TOWNSHIP = ("青山镇", "620123101000")
# The demo's users (user name, name, role); each signs in with DEMO_PASSWORD. ``--demo`` signs in
# as the director and the sign-in dialog lists them (demo data only).
DEMO_USERS = (
    ("zhuren", "刘主任", "director"),
    ("jiedai1", "王接待", "receptionist"),
    ("jiedai2", "赵接待", "receptionist"),
    ("tiaojie1", "陈调解", "mediator"),
    ("admin", "系统管理员", "admin"),
)
DEMO_DIRECTOR = "zhuren"
DEMO_PASSWORD = "demo"
VILLAGES = (
    "青山村",
    "河湾村",
    "柳树沟村",
    "王家庄村",
    "石门村",
    "新民社区",
    "东街社区",
    "南关社区",
)
UNITS = (
    ("青山派出所", "派出所"), ("青山司法所", "司法所"), ("青山人民法庭", "法庭"),
    ("综合行政执法队", "执法队"), ("劳动保障所", "劳动保障所"), ("自然资源所", "自然资源所"),
)  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "建国军华明英芳秀兰玉梅丽强磊洋勇艳杰娟涛超霞平刚桂红文辉鹏飞海燕晓东春雪峰俊"
SPECIAL_NAMES = ("买买提·艾力", "𠮷祥", "阿依古丽·吐尔逊", "欧阳娜娜")
PLACES = (
    "村口",
    "东头小卖部",
    "二组承包地",
    "老街",
    "集市",
    "学校门口",
    "养殖场",
    "砖厂",
    "安置小区",
)

# (category, title template, summary template, amount range in yuan or None)
STORIES: tuple[tuple[str, str, str, tuple[int, int] | None], ...] = (
    (
        "0101",
        "{a}与{b}婚姻纠纷",
        "{a}反映与配偶{b}长期分居，因子女抚养和共同财产分割发生争执，请求调解。",
        None,
    ),
    (
        "0102",
        "{a}赡养纠纷",
        "{a}年迈多病，反映其子女{b}等人互相推诿，不履行赡养义务，请求协调。",
        None,
    ),
    (
        "0103",
        "{a}与{b}分家析产纠纷",
        "{a}与兄弟{b}因父母遗留房屋分割意见不一，多次争吵，请求调解。",
        None,
    ),
    (
        "0201",
        "{a}与{b}排水纠纷",
        "{a}反映邻居{b}修建院墙堵塞排水沟，雨天积水倒灌，双方多次争吵。",
        None,
    ),
    (
        "0202",
        "{a}与{b}宅基地边界纠纷",
        "{a}与邻居{b}因宅基地边界划分发生争议，{b}新建房屋占用约半米，双方情绪激动。",
        None,
    ),
    (
        "0203",
        "{a}反映养殖场异味",
        "{a}反映邻居{b}的养殖场粪污处理不当，异味影响生活，多次协商未果。",
        None,
    ),
    (
        "0303",
        "{a}与{b}口角致伤",
        "{a}与{b}在{p}发生口角后推搡，{a}手臂受伤，要求对方赔偿医药费。",
        (500, 8000),
    ),
    (
        "0401",
        "{a}要求返还财物",
        "{a}反映借给{b}的农用三轮车被损坏，要求修复或赔偿。",
        (1000, 15000),
    ),
    (
        "0402",
        "{a}等反映物业问题",
        "{a}等业主反映小区物业服务差、电梯长期停运，与物业公司负责人{b}协商未果。",
        None,
    ),
    (
        "0503",
        "{a}与{b}交通事故赔偿纠纷",
        "{a}驾驶电动车与{b}的小轿车在{p}相撞，双方就赔偿金额争执不下。",
        (2000, 60000),
    ),
    (
        "0507",
        "{a}务工受伤赔偿",
        "{a}在{b}承包的工地务工时摔伤，要求包工头承担医疗费和误工费。",
        (5000, 80000),
    ),
    (
        "0601",
        "{a}消费纠纷",
        "{a}在{b}经营的商店购买的农药有质量问题，导致作物减产，要求赔偿。",
        (800, 20000),
    ),
    (
        "0602",
        "{a}与{b}房屋租赁纠纷",
        "{a}反映租户{b}拖欠房租三个月且拒不搬离，请求调解。",
        (3000, 18000),
    ),
    (
        "0701",
        "{a}等追讨劳动报酬",
        "{a}等务工人员反映{b}拖欠工资，多次讨要未果，情绪激动。",
        (8000, 200000),
    ),
    (
        "0804",
        "{a}与{b}民间借贷纠纷",
        "{a}反映{b}借款到期后拒不归还，双方有借条为证。",
        (5000, 100000),
    ),
    (
        "0901",
        "{a}与{b}土地承包纠纷",
        "{a}与{b}因二组承包地流转合同到期后的归还问题发生争执。",
        None,
    ),
    ("0902", "{a}宅基地使用纠纷", "{a}反映{b}在其宅基地上堆放杂物并拒绝清理，影响建房。", None),
    ("0904", "{a}等灌溉用水纠纷", "{a}等村民反映上游{b}截留灌溉用水，下游农田缺水。", None),
    (
        "1101",
        "{a}反映征收补偿问题",
        "{a}对房屋征收补偿标准有异议，认为评估价格偏低，与征收方代表{b}协商未果。",
        None,
    ),
    ("1103", "{a}反映违建问题", "{a}反映{b}违规加盖二层影响采光，要求拆除。", None),
    (
        "1201",
        "{a}反映村务公开问题",
        "{a}等村民反映村务公开不及时，对集体收益分配有疑问，要求村委会{b}说明。",
        None,
    ),
    ("1301", "{a}反映占道经营", "{a}反映{b}在{p}长期占道经营，影响通行。", None),
    (
        "1403",
        "{a}咨询法院执行问题",
        "{a}反映与{b}的判决生效后对方未履行，咨询如何申请执行。",
        (10000, 90000),
    ),
    ("1502", "{a}反映干部作风问题", "{a}反映村干部{b}办事推诿、态度生硬。", None),
    ("1601", "{a}反映民族习俗纠纷", "{a}与{b}因婚礼习俗安排发生误会，双方家族有矛盾苗头。", None),
    ("99", "{a}其他诉求", "{a}反映{b}在{p}长期噪音扰民，协商未果。", None),
)

# Scenarios: the actions after registration (disposition "accepted" unless noted) and a weight.
Step = tuple[Action, dict[str, object]]


@dataclass(frozen=True, slots=True)
class _Demo:
    unit_ids: tuple[str, ...]
    mediator: str
    users: dict[str, str]  # user name -> id: who performs each step (the timeline's 经办)


# Who does what in the demo (经办): the director decides and assigns, the mediator mediates, the
# receptionist who registered the case does the rest.
DIRECTOR_ACTIONS = frozenset({Action.ASSIGN, Action.APPROVE, Action.SEND_BACK, Action.CLOSE,
                              Action.ARCHIVE, Action.DECIDE_EXTENSION, Action.ESCALATE,
                              Action.SUPERVISE})  # fmt: skip
MEDIATOR_ACTIONS = frozenset({Action.MEDIATE, Action.MEDIATION_RESULT})


def _steps(kind: str, unit: str) -> list[Step]:
    assign: Step = (Action.ASSIGN, {"unit_id": unit})
    sign: Step = (Action.SIGN, {"signer": "承办人"})
    feedback: Step = (Action.FEEDBACK, {"result": "已现场核实，双方达成一致意见"})
    approve: Step = (Action.APPROVE, {})
    evaluate: Step = (Action.EVALUATE, {"evaluation": "satisfied"})
    close: Step = (Action.CLOSE, {"closure_type": "normal"})
    assess: Step = (Action.ASSESS, {"risk_colour": "green", "handling_level": "township"})
    mediate: Step = (Action.MEDIATE, {"mediator": "调解员"})
    flows: dict[str, list[Step]] = {
        "accepted": [],
        "assessed": [assess],
        "mediating": [assess, mediate],
        "mediation_failed": [mediate, (Action.MEDIATION_RESULT, {"result": "not_reached"})],
        "assigned": [assess, assign],
        "handling": [assign, sign],
        "extension": [assign, sign, (Action.REQUEST_EXTENSION, {"days": 5, "reason": "需补充材料"})],
        "feedback": [assign, sign, feedback],
        "escalated": [assess, (Action.ESCALATE, {"reason": "涉及人数多，超出乡镇处置能力"})],
        "evaluation": [assign, sign, feedback, approve],
        "resolved": [mediate, (Action.MEDIATION_RESULT, {"result": "reached"}), evaluate],
        "reworked": [assign, sign, feedback, (Action.SEND_BACK, {"opinion": "反馈不完整"})],
        "closed": [assign, sign, feedback, approve, evaluate, close],
        "archived": [assign, sign, feedback, approve, evaluate, close, (Action.ARCHIVE, {})],
        "finished": [mediate, (Action.MEDIATION_RESULT, {"result": "reached"}), evaluate, close,
                     (Action.ARCHIVE, {}), (Action.REVISIT, {"outcome": "ok"})],
        "voided": [(Action.VOID, {"reason": "重复登记"})],
    }  # fmt: skip
    return flows[kind]


OLD_KINDS = (("finished", 30), ("archived", 25), ("closed", 15), ("voided", 2), ("escalated", 2),
             ("mediation_failed", 3), ("handling", 3), ("reworked", 2), ("resolved", 3))  # fmt: skip
NEW_KINDS = (("accepted", 10), ("assessed", 8), ("mediating", 8), ("assigned", 10),
             ("handling", 14), ("extension", 4), ("feedback", 8), ("evaluation", 6),
             ("escalated", 3), ("resolved", 4), ("closed", 6), ("reworked", 3))  # fmt: skip
DISPOSITIONS = (("accepted", 80), ("answered", 10), ("referred_litigation", 3),
                ("referred_arbitration", 2), ("referred_petition", 2), ("referred_12345", 3))  # fmt: skip


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _id_number(rng: random.Random) -> str:
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 62))
    body = f"620123{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + id_check_char(body)


def _name(rng: random.Random) -> str:
    if rng.random() < 0.01:
        return rng.choice(SPECIAL_NAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def _walk_in(rng: random.Random, village_ids: list[str], colour: str) -> WalkInInput:
    category, title, summary, amounts = rng.choice(STORIES)
    a, b = _name(rng), _name(rng)
    fill = {"a": a, "b": b, "p": rng.choice(PLACES)}
    heads = rng.choice((1, 1, 1, 1, 2, 2, 3, 5, 8)) if "等" in summary else rng.choice((1, 1, 2))
    basis = {
        "green": "",
        "yellow": "双方情绪激动，有激化苗头",
        "red": "扬言采取过激行为，涉及人数多",
    }
    return WalkInInput(
        parties=(
            PartyInput(name=a, id_number=_id_number(rng), phone=f"1{rng.choice('3589')}"
                       f"{rng.randrange(0, 10**9):09d}"),
            PartyInput(name=b, role="respondent", is_visitor=False,
                       phone=f"139{rng.randrange(0, 10**8):08d}" if rng.random() < 0.6 else ""),
        ),
        summary=summary.format(**fill), title=title.format(**fill), category_code=category,
        disposition=_pick(rng, DISPOSITIONS), head_count=heads,
        channel=rng.choice(("walk_in",) * 6 + ("phone", "hotline_12345", "grid_report")),
        risk_colour=colour, risk_basis=basis[colour],
        village_id=rng.choice(village_ids), occurred_place=rng.choice(VILLAGES) + rng.choice(PLACES),
        amount=Decimal(rng.randrange(*amounts)) if amounts else None,
        answer="已当场解答相关政策并告知办理渠道",
    )  # fmt: skip


SEED = 20261122
SPAN = dt.timedelta(days=365)


def create_demo(ctx: ServiceContext, *, cases: int = 2000, seed: int = SEED,
                today: dt.date | None = None,
                progress: Callable[[int, int], None] | None = None) -> int:  # fmt: skip
    """Create the demo township and ``cases`` cases over the 12 months before ``today``.

    Returns the number of cases created by this call. Safe to call again: it finishes a demo a
    previous run left half-made (see :class:`DemoJob`) and does nothing on a complete one.
    """
    return DemoJob(ctx, cases=cases, seed=seed, today=today).run(progress=progress)


class DemoJob:
    """The demo's cases as a resumable job: the desktop shows its window after the township and
    users exist (well under a second) and makes the cases in the background.

    Each case draws from its own random generator (seeded by ``seed`` and its index), so the
    demo is the same whether it is made in one go or over several starts. Cases are committed in
    small batches in date order; what is already made is found again from the registration
    times, which are known before a case is made (the first one also tells ``today`` of a demo
    begun on an earlier day). Works on a copy of ``ctx`` acting for the system, so the signed-in
    user's context never sees the demo's clock or acting user.
    """

    def __init__(self, ctx: ServiceContext, *, cases: int = 2000, seed: int = SEED,
                 today: dt.date | None = None) -> None:  # fmt: skip
        if ctx.township_id is None:
            set_up_township(ctx, *DEMO_TOWNSHIP)
        assert ctx.township_id is not None
        self.ctx = replace(ctx, principal=None, requires_sign_in=False, user_id=None)
        self.seed, self.total = seed, cases
        spread = random.Random(seed)  # the cases' moments in the year, in date order
        self._offsets = sorted(spread.random() for _ in range(cases))
        township_id = ctx.township_id
        with ctx.store.read() as session:
            first = session.scalar(select(func.min(Case.registered_at)))
            known = set(session.scalars(select(Case.registered_at))) if first else set()
            orgs = _demo_orgs(session, township_id)
        if orgs is None:
            orgs = ctx.store.run_write(lambda s: _orgs(s, township_id))
        self._village_ids, self._demo = orgs
        self.today = today or ctx.now().date()
        self.made = 0
        if first is not None:  # a demo begun earlier: its day, and how far it got
            self.today = self._day_of(first)  # case 0 is on the first day (not always first)
            if cases == 0 or self._time(0)[1] not in known:  # not this demo's cases: leave them
                self.made = cases
            while self.made < cases and self._time(self.made)[1] in known:
                self.made += 1
        self.found = self.made  # made by earlier starts

    @property
    def complete(self) -> bool:
        return self.made >= self.total

    def _start(self) -> dt.datetime:
        return dt.datetime.combine(self.today - SPAN, dt.time(9))

    def _time(self, index: int) -> tuple[random.Random, dt.datetime]:
        """Case ``index``'s own generator and registration time."""
        rng = random.Random(f"{self.seed}:{index}")
        at = self._start() + SPAN * self._offsets[index]
        return rng, at.replace(hour=rng.randrange(8, 17), minute=rng.randrange(60))

    def _day_of(self, first: dt.datetime) -> dt.date:
        """``today`` of the demo whose first case was registered at ``first``."""
        days = (dt.datetime.combine(dt.date.min, dt.time(9)) + SPAN * self._offsets[0]).toordinal()
        return first.date() + SPAN - dt.timedelta(days=days - 1)

    def run(self, *, batch: int = 25, progress: Callable[[int, int], None] | None = None,
            stop: Callable[[], bool] | None = None) -> int:  # fmt: skip
        """Make the cases still missing, ``batch`` per transaction (the write lock is free
        between two); returns how many this call made. ``stop`` is asked after every batch."""
        ctx = self.ctx
        real_now = ctx.now
        before = self.made
        try:
            while self.made < self.total:
                chunk = range(self.made, min(self.made + batch, self.total))

                def work(session: Session, chunk: range = chunk) -> int:
                    for index in chunk:
                        self._one(session, index)
                    return len(chunk)

                self.made += ctx.store.run_write(work)
                if progress:
                    progress(self.made, self.total)
                if stop is not None and stop():
                    break
        finally:
            ctx.now, ctx.user_id = real_now, None
        return self.made - before

    def _one(self, session: Session, index: int) -> None:
        rng, at = self._time(index)
        _one_case(session, self.ctx, rng, self._village_ids, self._demo, at, self.today)

    def acting_director(self) -> ServiceContext:
        """The job's context acting as the demo director at the real time (demo slips and
        bookings name who made them)."""
        ctx = replace(self.ctx)
        ctx.user_id = self._demo.users[DEMO_DIRECTOR]
        return ctx


def _demo_orgs(session: Session, township_id: str) -> tuple[list[str], _Demo] | None:
    """The villages, units and users an earlier start made (None before the first)."""
    logins = [login for login, _name, _role in DEMO_USERS]
    query = select(AppUser.username, AppUser.id).where(AppUser.username.in_(logins))
    users = {str(login): str(user_id) for login, user_id in session.execute(query)}
    rows = session.execute(
        select(OrgUnit.name, OrgUnit.id, OrgUnit.kind).where(OrgUnit.parent_id == township_id)
    )
    by_name = {(str(kind), str(name)): str(org_id) for name, org_id, kind in rows}
    villages = [
        by_name.get(("community" if n.endswith("社区") else "village", n)) for n in VILLAGES
    ]
    units = [by_name.get(("unit", n)) for n, _t in UNITS]
    if len(users) < len(DEMO_USERS) or None in villages or None in units:
        return None
    return [v for v in villages if v], _Demo(tuple(u for u in units if u), "陈调解", users)


def _orgs(session: Session, township_id: str) -> tuple[list[str], _Demo]:
    township = session.get(OrgUnit, township_id)
    assert township is not None and township.code
    village_ids = []
    for i, name in enumerate(VILLAGES):
        kind = "community" if name.endswith("社区") else "village"
        # 统计用区划代码: communities 001-199, villages 200-399 within the township.
        code = township.code[:9] + f"{i + 1 + (200 if kind == 'village' else 0):03d}"
        village = add_org(session, kind=kind, name=name, parent_id=township_id, code=code,
                          sort_order=i)  # fmt: skip
        village_ids.append(village.id)
        for g in (1, 2):
            add_org(session, kind="grid", name=f"{name}第{g}网格", parent_id=village.id,
                    code=f"{code}{g:03d}", sort_order=g)  # fmt: skip
    units = tuple(
        add_org(session, kind="unit", name=n, parent_id=township_id, unit_type=t, sort_order=i).id
        for i, (n, t) in enumerate(UNITS)
    )
    users = {
        username: add_user(session, username=username, display_name=display, role=role,
                           org_id=township_id, password=DEMO_PASSWORD).id
        for username, display, role in DEMO_USERS
    }  # fmt: skip
    return village_ids, _Demo(units, "陈调解", users)


def _one_case(
    session: Session, ctx: ServiceContext, rng: random.Random, village_ids: list[str],
    demo: _Demo, at: dt.datetime, today: dt.date,
) -> None:  # fmt: skip
    colour = rng.choices(("green", "yellow", "red"), (70, 22, 8))[0]
    form = _walk_in(rng, village_ids, colour)
    age = (today - at.date()).days
    ctx.now = lambda: at
    receptionist = demo.users["jiedai1" if at.minute % 2 else "jiedai2"]
    ctx.user_id = receptionist
    result = register_in(session, ctx, form)
    if form.disposition != "accepted":
        return
    kind = _pick(rng, OLD_KINDS if age > 45 else NEW_KINDS)
    unit = rng.choice(demo.unit_ids)
    when = at
    proj = None
    for action, payload in _steps(kind, unit):
        when = min(when + dt.timedelta(hours=rng.randrange(2, 24 * max(1, min(age, 20) // 4 + 1))),
                   dt.datetime.combine(today, dt.time(8)))  # fmt: skip
        if action is Action.ASSESS:
            payload = {**payload, "risk_colour": colour, "risk_basis": form.risk_basis or "一般"}
        if action is Action.MEDIATE:
            payload = {"mediator": demo.mediator}
        ctx.user_id = (demo.users[DEMO_DIRECTOR] if action in DIRECTOR_ACTIONS else
                       demo.users["tiaojie1"] if action in MEDIATOR_ACTIONS else receptionist)  # fmt: skip
        proj = perform_in(session, ctx, result.case_id, action, payload, when, projection=proj)
