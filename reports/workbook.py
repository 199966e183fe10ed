"""Reports as xlsx (openpyxl): the 一表通 sheet first, then one sheet per table.

The first sheet, "一表通", has the template's columns in the template's order and one row per
township, so the county stacks townships' files under one header without retyping. Workbook
properties and the archive's entries carry fixed timestamps, so the same document gives the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from services.statistics.report_dto import ReportDocument, ReportTable

SUMMARY_SHEET = "一表通"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
FIXED_TIME = dt.datetime(2000, 1, 1)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _sheet_title(title: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("", title)[:28] or "表"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}{n}", n + 1
    used.add(name)
    return name


def _number(value: str) -> str | int | float:
    """Plain integers and decimals become numbers (so the county can sum them)."""
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"-?\d+\.\d+", value):
        return float(value)
    return value


def _write_table(ws: object, table: ReportTable, row: int) -> int:
    ws.cell(row=row, column=1, value=table.title).font = Font(bold=True)  # type: ignore[attr-defined]
    row += 1
    for col, name in enumerate(table.columns, 1):
        ws.cell(row=row, column=col, value=name).font = Font(bold=True)  # type: ignore[attr-defined]
    for values in table.rows:
        row += 1
        for col, value in enumerate(values, 1):
            ws.cell(row=row, column=col, value=_number(value))  # type: ignore[attr-defined]
    if not table.rows:
        row += 1
        ws.cell(row=row, column=1, value=table.empty_text)  # type: ignore[attr-defined]
    return row + 2


def render_report_xlsx(doc: ReportDocument, township: str = "") -> bytes:
    """The report as xlsx bytes; ``township`` labels this PC's row on the 一表通 sheet."""
    wb = Workbook()
    ws = wb.active
    used: set[str] = set()
    ws.title = _sheet_title(SUMMARY_SHEET, used)
    header = ["填报单位", "报告期", *(c.label for c in doc.columns)]
    ws.append(header)
    ws.append(["指标代码", "period", *(c.key for c in doc.columns)])  # machine-readable keys
    if doc.township_rows:
        for name, values in doc.township_rows:
            ws.append([name, doc.period_label, *(_number(v) for v in values)])
    else:
        ws.append(
            [township or doc.issuer, doc.period_label, *(_number(c.value) for c in doc.columns)]
        )
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for i in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 14
    ws.freeze_panes = "C3"
    for section in doc.sections:
        if not section.tables and not section.figures:
            continue
        sheet = wb.create_sheet(_sheet_title(section.title, used))
        sheet.append([doc.title])
        sheet.append([doc.period_label, doc.cutoff_text])
        row = 4
        for f in section.figures:
            sheet.cell(row=row, column=1, value=f.label)
            sheet.cell(row=row, column=2, value=_number(f.value))
            row += 1
        row += 1 if section.figures else 0
        for table in section.tables:
            row = _write_table(sheet, table, row)
        sheet.column_dimensions["A"].width = 22
        sheet.column_dimensions["B"].width = 30
    notes = wb.create_sheet(_sheet_title("说明", used))
    for line in (doc.cutoff_text, *doc.footnotes, *(f"{s}＿＿＿＿" for s in doc.signatures)):
        notes.append([line])
    notes.column_dimensions["A"].width = 120
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "综治中心工作台"
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry stamped 1980-01-01 (zip stores the save time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps "modified" at save
                body = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", body)
            dst.writestr(info, body)
    return out.getvalue()
