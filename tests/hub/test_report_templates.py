"""一表通 from the hub: the county's report templates travel with the other reference data.

A county file is validated at import (an unknown figure is refused by name, nothing published,
the template before stays in force); a PC adopts what it pulls only if it knows every figure
(a newer hub's file naming a figure this version lacks is refused by name on the PC too), and
the xlsx's first sheet has the template's columns in the template's order.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from hub import admin
from reports.workbook import render_report_xlsx
from services.domain.errors import ServiceError
from services.reference.report_templates import SHIPPED, TEMPLATES_FILE
from services.statistics.documents import build_report
from services.statistics.periods import month_period
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc

REFERENCE = Path(__file__).resolve().parents[2] / "resources" / "reference"
COLUMNS = ["registered", "accepted", "closed", "rate_closure", "overdue"]


def _directory(tmp_path: Path, templates: dict[str, Any] | None) -> Path:
    ref = tmp_path / "ref"
    ref.mkdir(exist_ok=True)
    for f in REFERENCE.glob("*.json"):
        (ref / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    if templates is not None:
        (ref / TEMPLATES_FILE).write_text(json.dumps(templates, ensure_ascii=False), "utf-8")
    return ref


def _county(version: str, title: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["version"] = version
    data["reports"]["monthly"]["title"] = title
    data["reports"]["monthly"]["columns"] = COLUMNS
    return data


def _monthly(pc: Pc) -> Any:
    pc.ctx.now = lambda: dt.datetime(2026, 12, 2, 9)
    return build_report(pc.ctx, month_period(2026, 11), kind="monthly")


def test_county_templates_flow_down_and_a_bad_one_is_refused_at_import(
    hub: InProcessHub, pcs: Callable[..., Pc], tmp_path: Path
) -> None:
    admin.import_reference(
        hub.db, _directory(tmp_path, _county("县-1", "矛盾纠纷化解月报（县定）"))
    )
    pc = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    pc.sync.sync_now()
    doc = _monthly(pc)
    assert doc.title.endswith("矛盾纠纷化解月报（县定）")
    assert [c.key for c in doc.columns] == COLUMNS
    sheet = load_workbook(io.BytesIO(render_report_xlsx(doc, "青山镇"))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][2:]) == [c.label for c in doc.columns]  # the template's columns
    assert list(rows[1][2:]) == COLUMNS  # and their codes, in the template's order

    bad = _county("县-2", "坏模板")
    bad["reports"]["weekly"]["sections"][0]["figures"].append("rate_happiness")
    with pytest.raises(ServiceError, match="rate_happiness"):
        admin.import_reference(hub.db, _directory(tmp_path, bad))
    pc.sync.sync_now()
    assert _monthly(pc).title.endswith("矛盾纠纷化解月报（县定）")  # 县-1 stays in force


def test_a_pulled_template_naming_an_unknown_figure_is_refused_on_the_pc(
    hub: InProcessHub, pcs: Callable[..., Pc], tmp_path: Path
) -> None:
    admin.import_reference(hub.db, _directory(tmp_path, _county("县-1", "月报（县定）")))
    pc = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    pc.sync.sync_now()
    assert _monthly(pc).title.endswith("月报（县定）")
    newer = _county("县-3", "月报（新版本县定）")
    newer["reports"]["monthly"]["columns"] = [*COLUMNS, "rate_grievance_v9"]
    row = {"id": TEMPLATES_FILE, "name": TEMPLATES_FILE, "version": "县-3", "content": newer}
    with hub.db.session() as session:  # as a newer hub version, which knows that figure, would
        admin.upsert_records(
            session,
            "reference_file",
            {TEMPLATES_FILE: row},
            township_id=None,
            public=True,
            owner=admin.COUNTY,
            now=dt.datetime(2026, 12, 1),
        )
    pc.sync.sync_now()
    doc = _monthly(pc)
    assert doc.title.endswith("月报（县定）")  # the previous template stays in force
    assert [c.key for c in doc.columns] == COLUMNS
    notes = "".join(doc.footnotes)
    assert "rate_grievance_v9" in notes and "继续使用此前的报表模板" in notes
