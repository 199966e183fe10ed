"""日报/周报/月报 PDF and xlsx from the hand-worked scenario (tests/services/statistics)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from reports.periodic import render_report_pdf
from reports.workbook import render_report_xlsx
from services.statistics.documents import build_report
from services.statistics.periods import day_period, month_period
from services.statistics.report_dto import ReportDocument
from services.statistics.templates import effective_templates
from tests.reports.conftest import TEST_FONTS
from tests.services.conftest import Orgs
from tests.services.statistics.scenario import Scenario, build_early_december, build_november


@pytest.fixture
def november(ctx: object, orgs: Orgs) -> tuple[Scenario, ReportDocument]:
    villages = dict(zip(("V1", "V2", "V3"), orgs.villages.values(), strict=True))
    s = Scenario(ctx, villages, orgs.unit_id)  # type: ignore[arg-type]
    build_november(s)
    build_early_december(s)
    return s, build_report(s.ctx, month_period(2026, 11))


def _text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True)  # fmt: skip
    return out.stdout.decode("utf-8")


def test_the_same_month_renders_to_the_same_bytes(
    november: tuple[Scenario, ReportDocument],
) -> None:
    _s, doc = november
    assert render_report_pdf(doc, TEST_FONTS) == render_report_pdf(doc, TEST_FONTS)
    assert render_report_xlsx(doc) == render_report_xlsx(doc)


def test_monthly_pdf_prints_its_figures_definitions_and_signatures(
    november: tuple[Scenario, ReportDocument],
) -> None:
    _s, doc = november
    text = _text(render_report_pdf(doc, TEST_FONTS))
    needles = ("矛盾纠纷排查调处情况表", "东沟村", "66.67%", "签发人", "制表人", "填报单位（盖章）",
               "数据截止时间：2026年12月01日00:00", "化解成功率＝")  # fmt: skip
    for needle in needles:
        assert needle in "".join(text.split()), needle


def test_xlsx_first_sheet_has_the_template_columns(
    november: tuple[Scenario, ReportDocument],
) -> None:
    s, doc = november
    wb = load_workbook(io.BytesIO(render_report_xlsx(doc, "青山镇")))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    with s.ctx.store.read() as session:
        spec = effective_templates(session).reports["monthly"]
    assert list(rows[1][2:]) == list(spec.columns)  # machine-readable keys, template order
    values = dict(zip(rows[1][2:], rows[2][2:], strict=True))
    assert (rows[2][0], values["registered"], values["closed"]) == ("青山镇", 8, 3)
    assert values["rate_resolution"] == "66.67%"


def test_an_empty_day_prints_a_zero_report(ctx: object) -> None:
    doc = build_report(ctx, day_period(dt.date(2026, 11, 19)))  # type: ignore[arg-type]
    assert doc.zero_report.startswith("本期无新增矛盾纠纷")
    text = _text(render_report_pdf(doc, TEST_FONTS))
    assert "特此零报告" in "".join(text.split())


def test_xlsx_carries_no_save_time(november: tuple[Scenario, ReportDocument]) -> None:
    """A zip entry's time and openpyxl's "modified" are the save time unless fixed."""
    import zipfile

    _s, doc = november
    archive = zipfile.ZipFile(io.BytesIO(render_report_xlsx(doc)))
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z</dcterms:modified>" in core


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_every_font_of_a_report_is_embedded(
    november: tuple[Scenario, ReportDocument], tmp_path: object
) -> None:
    """A printed report names no font it does not carry (reportlab's default Helvetica included)."""
    _s, doc = november
    out = subprocess.run(["pdffonts", "-"], input=render_report_pdf(doc, TEST_FONTS),
                         capture_output=True, check=True)  # fmt: skip
    rows = out.stdout.decode("utf-8").splitlines()[2:]
    assert rows
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
