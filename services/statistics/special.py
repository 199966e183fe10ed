"""专报: the report up on a red-risk event, laid out as a GB/T 9704 document (公文格式).

Contents follow the township's 重大事项评估上报 rule (research/domain.md §1.4, §4.1): time, place,
scale, people involved, intensity and manner, background, judgement, measures taken, next steps.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.cases.detail import case_detail
from services.context import ServiceContext
from services.domain.dto import CaseDetail
from services.domain.errors import NotFoundError, ValidationError
from services.domain.messages import msg
from services.statistics.report_dto import SpecialReport
from services.store.models import Case, CaseAlias, OrgUnit

ADDRESSEE = "县综治中心"
COPY_TO = "镇党委、政府主要负责同志，分管负责同志"
MEASURE_LIMIT = 12  # latest actions listed under 已采取措施
_SKIP = frozenset({"register", "pause_clock", "resume_clock"})


def _case_id(session: Session, code: str) -> str:
    found = session.scalar(select(Case.id).where(Case.code == code))
    if found is None:
        found = session.scalar(select(CaseAlias.case_id).where(CaseAlias.code == code))
    if found is None:
        found = session.scalar(select(Case.id).where(Case.id == code))
    if found is None:
        raise NotFoundError("case.not_found", msg("找不到案件“{code}”", code=code))
    return found


def _opinion(payload: dict[str, object]) -> str:
    for key in ("opinion", "result", "reason", "basis", "answer", "unit_name"):
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            return f"：{value.strip()}"
    return ""


def _measures(detail: CaseDetail) -> list[str]:
    steps = [e for e in detail.timeline if e.action not in _SKIP and not e.conflict]
    lines = [f"{e.at.month}月{e.at.day}日{e.at:%H:%M}，{e.action_label}{_opinion(e.payload)}"
             for e in steps[-MEASURE_LIMIT:]]  # fmt: skip
    return lines or ["已登记受理，正在核实情况。"]


def build_special(ctx: ServiceContext, code: str) -> SpecialReport:
    """The 专报 of one red-risk case (by its code, an alias or its id).

    Raises:
        NotFoundError: no such case.
        ValidationError: the case is not graded red (专报 is for red events only).
    """
    with ctx.store.read() as session:
        case_id = _case_id(session, code)
        detail = case_detail(session, ctx, case_id)
        case = session.get(Case, case_id)
        assert case is not None
        township = session.get(OrgUnit, case.township_id)
        village = session.get(OrgUnit, case.village_id) if case.village_id else None
        if detail.risk_colour != "red":
            raise ValidationError(
                "case",
                "special.not_red",
                msg("案件“{code}”不是红色风险事件，不需要专报", code=detail.code),
            )
        try:
            cls = ctx.reference.qualified_name(detail.category_code)
        except KeyError:
            cls = detail.category_code
        when = case.occurred_at or detail.registered_at
        place = case.occurred_place or (village.name if village else "")
        issuer = f"{township.name if township else ''}综治中心"
        names = "、".join(p.person.name for p in detail.parties[:5]) or "不详"
        amount = f"，涉及金额约{case.amount_cents / 100:,.2f}元" if case.amount_cents else ""
        now = ctx.now()
        paragraphs = (
            f"{when.year}年{when.month}月{when.day}日，{place or '我镇'}发生一起{cls}，"
            f"现将有关情况报告如下。",
            "一、基本情况",
            f"（一）时间地点。{when:%Y年%m月%d日 %H时%M分}，{place or '地点待核实'}。",
            f"（二）规模及涉及人员。涉及{case.people_count}人{amount}；主要当事人：{names}。",
            f"（三）激烈程度及行为方式。{detail.risk_basis or '正在进一步核实。'}",
            f"（四）事件起因及背景。{detail.summary}{detail.description}",
            f"（五）性质判断。经研判，该事件属{cls}，风险等级为红色，"
            f"当前状态为“{detail.state_label}”。",
            "二、已采取的措施",
            *(f"{i}.{line}" for i, line in enumerate(_measures(detail), 1)),
            "三、下步打算",
            "1.落实包案领导和稳控责任人，每日报告稳控情况，重大变化随时报告。",
            f"2.督促{detail.assignee_unit_name or '承办单位'}依法按期化解，"
            "防止事态扩大和矛盾激化。",
            "3.做好当事人思想疏导和法律宣传，引导其依法理性表达诉求。",
            "特此报告。",
        )
        return SpecialReport(
            title=f"关于{detail.title}的专报",
            issuer=issuer,
            addressee=ADDRESSEE,
            case_code=detail.code,
            date_text=f"{now.year}年{now.month}月{now.day}日",
            paragraphs=paragraphs,
            copy_to=COPY_TO,
        )
