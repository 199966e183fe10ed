"""专报 PDF: the special report on a red-risk event in GB/T 9704 layout (the slips' renderer)."""

from __future__ import annotations

from reports.slips import render_slip
from services.slips.dto import RenderedPdf, RenderOptions, SlipDocument, SlipLine
from services.statistics.report_dto import SpecialReport


def special_slip(report: SpecialReport) -> SlipDocument:
    """The 专报 as a prose document: title, 主送, body, 签发人 and the issuing centre, and the 版记
    (抄送, 印发机关 and 印发日期) at the foot of the last page."""
    return SlipDocument(
        kind="special_report",
        title=report.title,
        layout="prose",
        issuer=report.issuer,
        number="",
        case_code=report.case_code,
        date_text=report.date_text,
        addressee=report.addressee,
        paragraphs=report.paragraphs,
        copy_to=report.copy_to,  # in the 版记 at the foot of the last page (GB/T 9704 §7.4)
        signature=(SlipLine("签发人", ""),),
        qr=False,
    )


def render_special(report: SpecialReport, options: RenderOptions | None = None) -> RenderedPdf:
    return render_slip(special_slip(report), options or RenderOptions())
