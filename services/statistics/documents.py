"""Build 日报/周报/月报 documents from a period's statistics and the template in force."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.statistics.catalogue import FIGURES, Inputs, figure_value, is_zero_period
from services.statistics.closures import ensure_closures
from services.statistics.compare import period_counts
from services.statistics.dto import RATE_DEFINITIONS, ROUNDING_NOTE
from services.statistics.figures import PeriodStats, period_stats
from services.statistics.freshness import freshness
from services.statistics.periods import Period, PeriodKind, cutoff_of
from services.statistics.report_dto import (
    FigureLine,
    ReportChart,
    ReportDocument,
    ReportSection,
)
from services.statistics.snapshot import collector_paused
from services.statistics.tables import CHARTS, TABLES
from services.statistics.templates import (
    ReportSpec,
    adopt_county_templates,
    county_template_pending,
    effective_templates,
)
from services.store.models import OrgUnit

log = logging.getLogger(__name__)
KIND_OF = {PeriodKind.DAY: "daily", PeriodKind.WEEK: "weekly", PeriodKind.MONTH: "monthly"}
ZERO_REPORT = "本期无新增矛盾纠纷，无到期、超期案件，无风险预警和督办事项，特此零报告。"
RATE_FIGURES = {
    "rate_resolution": "resolution",
    "rate_closure": "closure",
    "rate_on_time": "on_time",
    "rate_satisfaction": "satisfaction",
    "rate_mediation": "mediation_success",
    "ytd_closure_rate": "closure",
}


@dataclass(frozen=True, slots=True)
class Prepared:
    """What the write step before a report said (a refused county template, say)."""

    notice: str


def prepare(ctx: ServiceContext) -> Prepared:
    """Bring derived data up to date before reading: on-time answers, the county template.

    Writes only when something is new (a report of a quiet PC costs no transaction).
    """
    ensure_closures(ctx)
    with ctx.store.read() as session:
        pending = county_template_pending(session)
    if pending != "new":
        return Prepared(pending)
    return Prepared(ctx.store.run_write(lambda s: adopt_county_templates(s, ctx.now())))


def _names(session: Session) -> dict[str, str]:
    return {i: n for i, n in session.execute(select(OrgUnit.id, OrgUnit.name))}


def _issuer(session: Session, ctx: ServiceContext, names: dict[str, str]) -> str:
    if ctx.township_id and ctx.township_id in names:
        return f"{names[ctx.township_id]}综治中心"
    county = session.scalar(select(OrgUnit.name).where(OrgUnit.kind == "county").limit(1))
    return f"{county or '县'}综治中心"


def _footnotes(spec: ReportSpec, stats: PeriodStats, lines: list[str]) -> tuple[str, ...]:
    used = [
        k
        for k in (*spec.columns, *(f for s in spec.sections for f in s.figures))
        if k in RATE_FIGURES
    ]
    keys = list(dict.fromkeys(RATE_FIGURES[k] for k in used))
    if any("village_screening" in s.tables or "class_screening" in s.tables for s in spec.sections):
        lines = [
            "调处率＝调处数÷排查数×100%；成功率＝成功数÷调处数×100%。排查数为本期登记的"
            "矛盾纠纷（不含作废），调处数为其中截至数据截止时间已办结的，成功数为其中化解成功的。",
            *lines,
        ]
    notes = [f"注：{RATE_DEFINITIONS[k][1]}" for k in keys]
    notes += [ROUNDING_NOTE, f"数据截止时间：{stats.cutoff:%Y年%m月%d日 %H:%M}。", *lines]
    return tuple(notes)


def _section(spec_section: object, inp: Inputs) -> ReportSection:
    from services.statistics.templates import SectionSpec

    assert isinstance(spec_section, SectionSpec)
    figures = tuple(
        FigureLine(k, FIGURES[k][0], figure_value(k, inp.stats)) for k in spec_section.figures
    )
    return ReportSection(
        spec_section.title,
        figures,
        tables=tuple(TABLES[k](inp) for k in spec_section.tables),
        charts=tuple(CHARTS[k](inp) for k in spec_section.charts),
    )


Comparison = tuple[tuple[tuple[str, tuple[str, ...]], ...], ReportChart | None]


def _townships(
    session: Session, ctx: ServiceContext, spec: ReportSpec, period: Period, cutoff: dt.datetime
) -> Comparison:
    """County mode (乡镇对比): the template's columns per township, and a chart of 新受理, 办结
    and 超期在办 per township. Nothing on a township PC or with a single township."""
    townships = session.execute(
        select(OrgUnit.id, OrgUnit.name).where(OrgUnit.kind == "township").order_by(OrgUnit.code)
    ).all()
    if ctx.township_id or len(townships) < 2:
        return (), None
    rows = []
    series: dict[str, list[int]] = {"新受理": [], "办结": [], "超期在办": []}
    for tid, name in townships:
        stats = period_stats(session, ctx, period, cutoff, township_id=tid)
        rows.append((name, tuple(figure_value(k, stats) for k in spec.columns)))
        for label, n in zip(
            series, (len(stats.accepted), len(stats.closed), len(stats.overdue)), strict=True
        ):
            series[label].append(n)
    chart = ReportChart(
        "townships",
        "乡镇对比：新受理、办结、超期在办",
        "bar",
        tuple(name for _, name in townships),
        tuple((label, tuple(values)) for label, values in series.items()),
    )
    return tuple(rows), chart


def build_report(ctx: ServiceContext, period: Period, *, kind: str | None = None) -> ReportDocument:
    """The 日报 (a day), 周报 (a week) or 月报 (a month) of ``period`` as of its cut-off.

    The cut-off is the end of the period, or now while it runs; a closed period built again
    later gives the same document (events after the cut-off do not count).
    """
    kind = kind or KIND_OF.get(period.kind, "monthly")
    prepared = prepare(ctx)
    now = ctx.now()
    cutoff = cutoff_of(period, now)
    with collector_paused(), ctx.store.read() as session:
        spec = effective_templates(session).reports[kind]
        scope = ctx.township_id
        stats = period_stats(session, ctx, period, cutoff, township_id=scope)
        current = period_counts(session, period, cutoff, scope)
        prev_period = period.previous()
        previous = period_counts(session, prev_period, cutoff_of(prev_period, now), scope)
        year_ago = None
        if kind == "monthly":
            ya = period.year_ago()
            year_ago = period_counts(session, ya, cutoff_of(ya, now), scope)
        names = _names(session)
        issuer = _issuer(session, ctx, names)
        inp = Inputs(
            stats,
            current,
            previous,
            year_ago,
            names,
            ctx.reference,
            issuer,
            list_limit=6 if kind == "daily" else 40,
        )
        fresh = [f"{f.text(cutoff)}。" for f in freshness(session, ctx)]
        if prepared.notice:
            fresh.append(prepared.notice + "。")
        sections = tuple(_section(s, inp) for s in spec.sections)
        columns = tuple(FigureLine(k, FIGURES[k][0], figure_value(k, stats)) for k in spec.columns)
        township_rows, township_chart = _townships(session, ctx, spec, period, cutoff)
        return ReportDocument(
            kind=kind,
            title=f"{issuer}{spec.title}",
            issuer=issuer,
            period_label=period.label,
            cutoff_text=f"数据截止：{cutoff:%Y年%m月%d日 %H:%M}",
            sections=sections,
            footnotes=_footnotes(spec, stats, fresh),
            columns=columns,
            township_rows=township_rows,
            township_chart=township_chart,
            signatures=spec.signatures,
            zero_report=ZERO_REPORT if is_zero_period(stats) else "",
        )
