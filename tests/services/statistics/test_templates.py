"""一表通: report templates as data; a county file with an unknown figure is refused by name."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from services.context import ServiceContext
from services.domain.errors import ServiceError
from services.statistics.documents import build_report
from services.statistics.periods import month_period
from services.statistics.templates import SHIPPED, TEMPLATES_FILE, parse_templates
from services.store.models import SyncReference

NOW = dt.datetime(2026, 12, 2, 9)


def _shipped() -> dict[str, Any]:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def _publish(ctx: ServiceContext, content: dict[str, Any], version: str) -> None:
    """What a pull does with the county's file (services.sync.pull: reference_file)."""
    ctx.store.run_write(
        lambda s: s.merge(
            SyncReference(name=TEMPLATES_FILE, version=version, content=content, received_at=NOW)
        )
    )


def test_shipped_templates_are_valid() -> None:
    templates = parse_templates(_shipped(), "shipped")
    assert set(templates.reports) == {"daily", "weekly", "monthly"}


def test_unknown_figure_is_refused_with_its_name() -> None:
    bad = _shipped()
    bad["reports"]["monthly"]["columns"].append("rate_happiness")
    with pytest.raises(ServiceError, match="rate_happiness"):
        parse_templates(bad, "county")


def test_county_template_replaces_the_shipped_one_and_a_bad_one_leaves_it_in_force(
    ctx: ServiceContext,
) -> None:
    ctx.now = lambda: NOW
    county = _shipped()
    county["reports"]["monthly"]["title"] = "矛盾纠纷多元化解月报（县定格式）"
    county["reports"]["monthly"]["columns"] = ["accepted", "closed", "rate_closure"]
    _publish(ctx, county, "county-1")
    doc = build_report(ctx, month_period(2026, 11))
    assert doc.title.endswith("矛盾纠纷多元化解月报（县定格式）")
    assert [c.key for c in doc.columns] == ["accepted", "closed", "rate_closure"]
    broken = copy.deepcopy(county)
    broken["reports"]["monthly"]["sections"][0]["figures"] = ["accepted", "no_such_figure"]
    _publish(ctx, broken, "county-2")
    doc = build_report(ctx, month_period(2026, 11))
    assert [c.key for c in doc.columns] == ["accepted", "closed", "rate_closure"]  # county-1
    assert any(
        "no_such_figure" in note and "继续使用此前的报表模板" in note for note in doc.footnotes
    )


def test_the_names_a_template_may_use_are_the_ones_statistics_computes() -> None:
    """The hub validates with the pure name lists; they must not drift from the catalogue."""
    from services.reference import report_templates as names
    from services.statistics.catalogue import FIGURES
    from services.statistics.tables import CHARTS, TABLES

    assert names.FIGURE_NAMES == set(FIGURES)
    assert names.TABLE_NAMES == set(TABLES)
    assert names.CHART_NAMES == set(CHARTS)
