"""Demo slips (演示文书): a few issued slips, so the demo township's 文书 screen has content."""

from __future__ import annotations

from services.api import Workbench
from services.cases.ledger import LedgerFilter
from services.domain.errors import ServiceError
from services.slips.dto import IssueRequest, SlipQuery
from services.slips.service import SlipService

DIRECTOR = "刘主任"


def seed_demo_slips(services: Workbench, slips: SlipService) -> int:
    """Issue 交办单, 督办单 and 受理告知单 for recent demo cases; nothing if slips exist."""
    if slips.search(SlipQuery()):
        return 0
    made = 0
    units = services.units()
    plans = (
        ("assignment", LedgerFilter(states=("assigned", "handling")), 8),
        ("supervision", LedgerFilter(supervision_levels=("yellow", "red")), 3),
        ("acceptance", LedgerFilter(states=("accepted",)), 4),
    )
    for kind, filt, count in plans:
        for row in services.ledger_page(filt, limit=count).rows:
            form = slips.form(row.id, kind)
            values = dict(form.values)
            due = f"{row.due_at:%Y-%m-%d}" if row.due_at else f"{services.now():%Y-%m-%d}"
            unit = form.units[0][0] if form.units else (units[0].id if units else "")
            defaults = {
                "unit": unit,
                "due_date": due,
                "signer": DIRECTOR,
                "handler": "王接待",
                "reasons": "临近办结时限，尚未反馈",
                "opinion": "请于三个工作日内办结并书面反馈",
                "reply_by": "三个工作日内",
                "query": "凭案件编号拨打 0931-8123456 查询",
                "contact": "综治中心 0931-8123456",
            }
            for key, value in defaults.items():
                if not values.get(key):
                    values[key] = value
            try:
                grade = "yellow" if kind == "supervision" else None
                slips.issue(IssueRequest(row.id, kind, values, grade=grade))
                made += 1
            except ServiceError:
                continue  # a demo slip that does not fit its case is simply skipped
    return made
