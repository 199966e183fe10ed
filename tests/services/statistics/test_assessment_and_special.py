"""考核 and 专报 from the hand-worked scenario (scenario.py)."""

from __future__ import annotations

import pytest

from services.domain.errors import ValidationError
from services.statistics.assessment import build_assessment
from services.statistics.periods import month_period
from services.statistics.special import build_special
from tests.services.statistics.scenario import (
    Scenario,
    build_after,
    build_early_december,
    build_november,
)


@pytest.fixture
def full(scenario: Scenario) -> Scenario:
    build_november(scenario)
    build_early_december(scenario)
    build_after(scenario)
    return scenario


def test_unit_assessment_of_november(full: Scenario) -> None:
    doc = build_assessment(full.ctx, month_period(2026, 11))
    units = doc.sections[0].tables[0]
    # B and E assigned in November; E signed Fri 10:00 → Mon 08:00: 46 clock hours but 22
    # working hours (the weekend does not count), so on time under the 24 h rule; B closed
    # within its extension; one 退回重办 (B); one 督办 (H, held by the unit); B's last
    # evaluation 基本满意.
    assert units.rows == (
        ("青山司法所", "2", "2", "100.00%", "1", "1", "100.00%", "1", "1", "1", "100.00%"),
    )


def test_december_closure_of_h_is_late_for_the_unit(full: Scenario) -> None:
    doc = build_assessment(full.ctx, month_period(2026, 12))
    (row,) = doc.sections[0].tables[0].rows
    assert row[0] == "青山司法所"
    assert (row[4], row[5], row[6]) == ("1", "0", "0.00%")  # H closed 3 Dec, due 21 Oct


def test_special_report_of_the_red_event(full: Scenario) -> None:
    report = build_special(full.ctx, _code(full, "D"))
    text = "\n".join(report.paragraphs)
    assert report.addressee == "县综治中心"
    assert report.title.startswith("关于") and report.title.endswith("的专报")
    assert "涉及6人" in text  # D came with 6 people
    assert "风险等级为红色" in text
    assert "上报" in text  # the escalation is among the measures taken
    assert "13812345678" not in text  # no phone numbers in a report


def test_special_report_refuses_a_case_that_is_not_red(full: Scenario) -> None:
    with pytest.raises(ValidationError, match="不是红色风险事件"):
        build_special(full.ctx, _code(full, "A"))


def _code(s: Scenario, key: str) -> str:
    from services.store.models import Case

    with s.ctx.store.read() as session:
        case = session.get(Case, s.cases[key])
        assert case is not None
        return case.code
