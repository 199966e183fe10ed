"""The tables a report template may name (报表表格目录), built from a period's statistics."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

from services.statistics.catalogue import Inputs, change
from services.statistics.compare import Counts
from services.statistics.dto import percent
from services.statistics.report_dto import ReportChart, ReportTable
from services.statistics.snapshot import CaseFact, state_label

COLOUR = {"red": "红", "orange": "橙", "yellow": "黄", "green": "绿", "": "—"}


def _day(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d}" if moment else "—"


def _class_of(inp: Inputs, code: str) -> str:
    """The GB/T 31000 class name of a category code (looked up once per class and report)."""
    cls = code[:2]
    name = inp.class_names.get(cls)
    if name is None:
        try:
            name = inp.reference.category(cls).name
        except KeyError:
            name = cls
        inp.class_names[cls] = name
    return name


def _case_rows(
    inp: Inputs, facts: Iterable[CaseFact], *, overdue: bool
) -> tuple[tuple[str, ...], ...]:
    cut = inp.stats.cutoff
    out = []
    items = sorted(facts, key=lambda f: (f.due_at or cut, f.code))
    limit = inp.list_limit
    for f in items[:limit]:
        late = ""
        if overdue and f.due_at is not None:
            late = f"{max(1, (cut.date() - f.due_at.date()).days)}天"
        row = (
            f.code,
            f.title[:24],
            inp.names.get(f.unit_id or "", "本中心"),
            _day(f.due_at),
            COLOUR.get(f.risk_colour, f.risk_colour),
            state_label(f.state),
        )
        out.append((*row, late) if overdue else row)
    if len(items) > limit:
        extra = ("", f"另有{len(items) - limit}件未列出", "", "", "", "")
        out.append((*extra, "") if overdue else extra)
    return tuple(out)


_CASE_COLUMNS = ("案件编号", "事由", "承办单位", "办理期限", "颜色", "状态")


def due_list(inp: Inputs) -> ReportTable:
    day = inp.stats.period.end
    facts = [f for f in inp.stats.open if f.due_at and f.due_at.date() == day and not f.paused]
    return ReportTable(
        "due_list", "当日到期案件", _CASE_COLUMNS, _case_rows(inp, facts, overdue=False)
    )


def overdue_list(inp: Inputs) -> ReportTable:
    return ReportTable(
        "overdue_list",
        "已超期案件",
        (*_CASE_COLUMNS, "超期"),
        _case_rows(inp, inp.stats.overdue, overdue=True),
    )


def next_due(inp: Inputs) -> ReportTable:
    nxt = inp.stats.period.next()
    facts = [
        f
        for f in inp.stats.open
        if f.due_at and nxt.start <= f.due_at.date() <= nxt.end and not f.paused
    ]
    return ReportTable(
        "next_due",
        f"下期到期案件（{nxt.start:%m-%d}至{nxt.end:%m-%d}）",
        _CASE_COLUMNS,
        _case_rows(inp, facts, overdue=False),
    )


def overdue_by_unit(inp: Inputs) -> ReportTable:
    counts: Counter[str] = Counter(
        inp.names.get(f.unit_id or "", "本中心") for f in inp.stats.overdue
    )
    open_: Counter[str] = Counter(inp.names.get(f.unit_id or "", "本中心") for f in inp.stats.open)
    rows = tuple(
        (unit, str(open_[unit]), str(n))
        for unit, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return ReportTable(
        "overdue_by_unit", "超期案件（按承办单位）", ("承办单位", "在办", "超期"), rows
    )


def comparison(inp: Inputs) -> ReportTable:
    """This period against the previous one (环比) and the same one a year before (同比)."""
    s, p, y = inp.current, inp.previous, inp.year_ago
    lines: tuple[tuple[str, Callable[[Counts], int]], ...] = (
        ("新受理（立案）", lambda x: x.accepted),
        ("办结", lambda x: x.closed),
        ("化解成功", lambda x: x.closed_ok),
        ("来访人次", lambda x: x.visitors),
    )
    columns = ["指标", "本期"]
    if p is not None:
        columns += ["上期", "环比"]
    if y is not None:
        columns += ["去年同期", "同比"]
    rows = []
    for label, get in lines:
        now = get(s) if s is not None else 0
        row = [label, str(now)]
        if p is not None:
            row += [str(get(p)), change(now, get(p))]
        if y is not None:
            row += [str(get(y)), change(now, get(y))]
        rows.append(tuple(row))
    return ReportTable("comparison", "同比、环比", tuple(columns), tuple(rows))


def slips_ledger(inp: Inputs) -> ReportTable:
    """三色三单: slips issued in the period by kind, and the cases still open/overdue."""
    s = inp.stats
    overdue_ids = {f.id for f in s.overdue}
    rows = []
    for kind, label in (
        ("assignment", "交办单（绿）"),
        ("supervision", "督办单（黄）"),
        ("risk_warning", "风险预警单（红）"),
    ):
        rows.append((label, str(s.slips.get(kind, 0))))
    rows.append(("本期督办", str(s.activity.supervisions)))
    rows.append(("本期红色预警", str(s.activity.red_warnings)))
    rows.append(("超期在办（截至截止时间）", str(len(overdue_ids))))
    return ReportTable("slips_ledger", "预警与督办台账（三色三单）", ("项目", "件数"), tuple(rows))


def risk_changes(inp: Inputs) -> ReportTable:
    codes = {f.id: f for f in inp.stats.facts}
    rows = []
    for case_id, old, new in inp.stats.activity.colour_changes[: inp.list_limit]:
        f = codes.get(case_id)
        rows.append(
            (
                f.code if f else case_id[:8],
                f.title[:24] if f else "",
                COLOUR.get(old, old),
                COLOUR.get(new, new),
            )
        )
    return ReportTable(
        "risk_changes", "风险等级变化", ("案件编号", "事由", "原颜色", "现颜色"), tuple(rows)
    )


def _ratio_cells(found: int, handled: int, ok: int) -> tuple[str, ...]:
    return (str(found), str(handled), percent(handled, found), str(ok), percent(ok, handled))


Group = tuple[str | None, str, bool, bool]  # village id, category code, handled, success


def _groups(inp: Inputs) -> tuple[Counter[Group], Counter[Group]]:
    """Cases registered this period and in the year to date, counted once per (village, category,
    handled, success) for every table and chart that breaks them down."""
    memo = inp.memo.get("groups")
    if memo is None:
        s = inp.stats
        out = []
        for facts, ok in ((s.registered, s.closed_ok), (s.ytd_registered, s.ytd_closed_ok)):
            out.append(
                Counter(
                    (
                        f.village_id,
                        f.category_code,
                        f.closed_at is not None and f.state != "voided",
                        f.id in ok,
                    )
                    for f in facts
                )
            )
        memo = inp.memo["groups"] = (out[0], out[1])
    return memo  # type: ignore[return-value]


def _village(inp: Inputs, village_id: str | None) -> str:
    return inp.names.get(village_id or "", "未填写")


def _screening(inp: Inputs, key: Callable[[Group], str]) -> dict[str, list[int]]:
    """Per group: [排查, 调处, 成功] this period, then the same for the year to date.

    排查 = registered in the span (voided left out); 调处 = of those, closed by the cut-off;
    成功 = of those, closed with success (化解成功).
    """
    out: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for counts, base in zip(_groups(inp), (0, 3), strict=True):
        for group, n in counts.items():
            cells = out[key(group)]
            cells[base] += n
            if group[2]:
                cells[base + 1] += n
                cells[base + 2] += n if group[3] else 0
    return out


def _screening_table(
    inp: Inputs, key: str, title: str, label: str, group: Callable[[Group], str]
) -> ReportTable:
    found = _screening(inp, group)
    rows, totals = [], [0] * 6
    for name, v in sorted(found.items()):
        rows.append((name, *_ratio_cells(*v[:3]), *_ratio_cells(*v[3:])))
        totals = [a + b for a, b in zip(totals, v, strict=True)]
    rows.append(("合计", *_ratio_cells(*totals[:3]), *_ratio_cells(*totals[3:])))
    cols = (
        label,
        "排查数",
        "调处数",
        "调处率",
        "成功数",
        "成功率",
        "年累计排查",
        "年累计调处",
        "年调处率",
        "年成功数",
        "年成功率",
    )
    return ReportTable(key, title, cols, tuple(rows), total=True)


def village_screening(inp: Inputs) -> ReportTable:
    """矛盾纠纷排查调处情况表 by village (村居), this period and the year to date."""
    return _screening_table(
        inp,
        "village_screening",
        "矛盾纠纷排查调处情况表（按村、社区）",
        "村（社区）",
        lambda g: _village(inp, g[0]),
    )


def class_screening(inp: Inputs) -> ReportTable:
    """The same by GB/T 31000 class."""
    return _screening_table(
        inp,
        "class_screening",
        "矛盾纠纷排查调处情况表（按纠纷类别）",
        "纠纷类别",
        lambda g: _class_of(inp, g[1]),
    )


def village_class(inp: Inputs) -> ReportTable:
    """排查数 village × GB/T 31000 class: this period / year to date in each cell."""
    period, ytd = _groups(inp)
    villages = sorted({_village(inp, g[0]) for g in ytd})
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for counts, index in ((period, 0), (ytd, 1)):
        for g, n in counts.items():
            cls = _class_of(inp, g[1])
            for v in (_village(inp, g[0]), "合计"):
                cells[(cls, v)][index] += n
    classes = sorted({c for c, _ in cells})
    rows = [
        (c, *(f"{cells[(c, v)][0]}/{cells[(c, v)][1]}" for v in (*villages, "合计")))
        for c in classes
    ]
    return ReportTable(
        "village_class",
        "排查数（村、社区×纠纷类别，本期/年累计）",
        ("纠纷类别", *villages, "合计"),
        tuple(rows),
    )


def case_handling(inp: Inputs) -> ReportTable:
    """立案/在办/办结/超期 with 年度办结率 (事件处理办理统计表)."""
    s = inp.stats
    ytd_acc = [f for f in s.ytd_registered if f.accepted]
    row = (
        str(len(s.accepted)),
        str(len(ytd_acc)),
        str(len(s.open) - len(s.overdue)),
        str(len(s.overdue)),
        str(len(s.closed)),
        str(len(s.closed) - len(s.on_time)),
        str(len(s.ytd_closed)),
        s.ytd_closure_rate().text,
    )
    cols = (
        "本期立案",
        "本年累计立案",
        "正常在办",
        "超期在办",
        "本期办结",
        "本期超期办结",
        "本年累计办结",
        "年度办结率",
    )
    return ReportTable("case_handling", "案件办理情况", cols, (row,))


def mediation(inp: Inputs) -> ReportTable:
    s = inp.stats
    sources = Counter(f.channel for f in s.registered if f.accepted)
    names = {
        c: inp.reference.name_of("channels", c)
        for c in sources
        if c in inp.reference.codes("channels")
    }
    src = "；".join(f"{names.get(c, c)}{n}件" for c, n in sources.most_common()) or "无"
    rows = (
        ("调解场次", str(s.rooms.sessions)),
        ("达成协议", str(s.rooms.agreements)),
        ("调解成功率", percent(s.activity.mediation_reached, s.activity.mediation_decided)),
        ("协议涉及金额（元）", f"{s.rooms.agreement_amount_cents / 100:,.2f}"),
        ("案件来源", src),
    )
    return ReportTable("mediation", "人民调解工作情况", ("项目", "情况"), rows)


def by_class_chart(inp: Inputs) -> ReportChart:
    counts: Counter[str] = Counter()
    for g, n in _groups(inp)[0].items():
        counts[_class_of(inp, g[1])] += n
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
    return ReportChart(
        "by_class",
        "本期受理按类别",
        "bar",
        tuple(k for k, _ in top),
        (("件数", tuple(n for _, n in top)),),
    )


def daily_chart(inp: Inputs) -> ReportChart:
    s = inp.stats
    days = [
        s.period.start + dt.timedelta(days=i)
        for i in range((s.period.end - s.period.start).days + 1)
    ]
    new = Counter(f.registered_at.date() for f in s.registered)
    done = Counter(f.closed_at.date() for f in s.closed if f.closed_at)
    return ReportChart(
        "daily",
        "每日新增与办结",
        "line",
        tuple(f"{d.day}" for d in days),
        (("新增", tuple(new[d] for d in days)), ("办结", tuple(done[d] for d in days))),
    )


TableBuilder = Callable[[Inputs], ReportTable]
TABLES: Mapping[str, TableBuilder] = MappingProxyType(
    {
        "due_list": due_list,
        "overdue_list": overdue_list,
        "next_due": next_due,
        "overdue_by_unit": overdue_by_unit,
        "comparison": comparison,
        "slips_ledger": slips_ledger,
        "risk_changes": risk_changes,
        "village_class": village_class,
        "village_screening": village_screening,
        "class_screening": class_screening,
        "case_handling": case_handling,
        "mediation": mediation,
    }
)
CHARTS: Mapping[str, Callable[[Inputs], ReportChart]] = MappingProxyType(
    {"by_class": by_class_chart, "daily": daily_chart}
)
