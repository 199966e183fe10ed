"""A report as data (报表文档): sections of figures, tables and charts, fully resolved text.

``reports.periodic`` renders it to PDF and ``reports.workbook`` to xlsx; both print exactly these
strings, so the same period and cut-off always give the same text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReportTable:
    """A table; ``rows`` are strings already formatted; ``total`` marks the last row as 合计."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: bool = False
    empty_text: str = "无"


@dataclass(frozen=True, slots=True)
class ReportChart:
    """A chart: ``kind`` is ``bar`` or ``line``; one value list per series, one per category."""

    key: str
    title: str
    kind: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True, slots=True)
class FigureLine:
    """One labelled figure as the template names it (``key`` is the 一表通 column)."""

    key: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class ReportSection:
    title: str
    figures: tuple[FigureLine, ...] = ()
    paragraphs: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    charts: tuple[ReportChart, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """A 日报/周报/月报/考核 ready to render.

    ``columns`` are the 一表通 figures in the template's order: the xlsx's first sheet has one
    row of them per township, so the county can stack townships' files without retyping.
    """

    kind: str
    title: str
    issuer: str
    period_label: str
    cutoff_text: str
    sections: tuple[ReportSection, ...]
    footnotes: tuple[str, ...]
    columns: tuple[FigureLine, ...] = ()
    township_rows: tuple[tuple[str, tuple[str, ...]], ...] = ()  # county: (township, values)
    township_chart: ReportChart | None = None  # county: the comparison drawn
    signatures: tuple[str, ...] = ()
    zero_report: str = ""
    template_version: str = ""

    def texts(self) -> list[str]:
        """Every string printed (for the missing-glyph check)."""
        out = [
            self.title,
            self.issuer,
            self.period_label,
            self.cutoff_text,
            self.zero_report,
            *self.footnotes,
            *self.signatures,
        ]
        for s in self.sections:
            out += [s.title, *s.paragraphs, *(f"{f.label}{f.value}" for f in s.figures)]
            for t in s.tables:
                out += [t.title, *t.columns, *(c for row in t.rows for c in row)]
            for c in s.charts:
                out += [c.title, *c.categories, *(name for name, _ in c.series)]
        for name, values in self.township_rows:
            out += [name, *values]
        if self.township_chart is not None:
            c = self.township_chart
            out += [c.title, *c.categories, *(name for name, _ in c.series)]
        return out


@dataclass(frozen=True, slots=True)
class SpecialReport:
    """A 专报's resolved text; ``reports.special`` lays it out as a GB/T 9704 document."""

    title: str
    issuer: str
    addressee: str
    case_code: str
    date_text: str
    paragraphs: tuple[str, ...]
    copy_to: str
