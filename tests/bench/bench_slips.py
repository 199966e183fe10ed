"""Slip PDF benchmarks (ARCHITECTURE.md §8: one slip with embedded font and QR ≤ 40 ms).

Usage: ``python -m tests.bench.bench_slips [--quick] [--print-batch N]``.

Figures, each beside bare reportlab drawing the same content with the same font in the same run:

* one 交办单 (embedded, subset TrueType font, QR code of the case code, a 𠮷 name that falls back
  to a second font), through ``reports.slips`` as the slip service calls it;
* issuing one slip through the service (check, number, 交办 event, render, hash, insert);
* a batch of 1,000 different slips (total and per slip);
* printing a batch of 200 slips to a file printer (QPrinter PDF output, 300 dpi rasters) through
  ``ui.pdfprint.PdfOutput`` as the 文书 screen does: the longest stall of the GUI thread (a 5 ms
  timer's longest gap) while pages are painted on the worker, beside the old path's stall (one
  whole page rasterised and painted on the GUI thread, as every page was before).

Results print as a table and append one JSON line per figure to ``bench-results.jsonl`` with the
helpers of ``tests/bench/run.py``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.renderPDF import draw as draw_drawing
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from reports.fonts import FontConfig, resolve
from reports.slips import SlipPdfRenderer
from services.slips.dto import IssueRequest, RenderOptions, SlipDocument, SlipLine
from tests.bench.run import RESULTS, Figure, git_commit, p95, timings

# The bundled font plus the 4 KB CJK Extension B test subset of tests/reports: the figures do not
# depend on the fonts of the machine (without an Extension B font, issuing the 𠮷 slip stops with
# MissingGlyphsError, as the service should).
EXT_B_FONT = Path(__file__).resolve().parents[1] / "reports" / "fonts" / "HanaMinB-testsubset.ttf"
FONTS = FontConfig(system=False, fallbacks=(str(EXT_B_FONT),))
BUDGET_MS = 40.0
STALL_BUDGET_MS = 50.0
BATCH = 1000
PRINT_BATCH = 200
NAME = "𠮷祥（申请人，身份证 620123********0019，电话 138****5678）；李四（被申请人）"
DOC = SlipDocument(
    kind="assignment", title="矛盾纠纷交办单", layout="form", issuer="青山镇综治中心",
    number="青综治交〔2026〕12号", case_code="620123101000-2026-000123",
    date_text="2026年11月22日",
    rows=(
        SlipLine("案件编号", "620123101000-2026-000123"), SlipLine("承办单位", "青山司法所"),
        SlipLine("协办单位", "东沟村委会"), SlipLine("当事人", NAME),
        SlipLine("纠纷类别", "0202 邻里纠纷/相邻土地建筑利用"),
        SlipLine("事由摘要", "张三与邻居因宅基地边界划分发生争议，新建房屋占用约半米。"),
        SlipLine("交办要求", "1. 24小时内与当事人首次联系；2. 按期办结并书面反馈办理结果。"),
        SlipLine("办理时限", "2026年11月29日"), SlipLine("联系人及电话", "王接待 0931-1234567"),
    ),
    stub_title="回 执 联", stub_rows=("签收单位", "签收人", "签收时间"),
    signature=(SlipLine("签发人", "刘主任"),),
)  # fmt: skip


# no Extension B font on the machine: 𠮷 prints as its code instead of stopping the bench
OPTIONS = RenderOptions(allow_missing_glyphs=True)


def bare_reportlab(doc: SlipDocument, font: str, rare: str) -> bytes:
    """The same text, font and QR drawn with plain canvas calls: no layout engine, no checks."""
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=A4, invariant=1)
    y = A4[1] - 37 * mm
    canv.setFont(font, 22)
    canv.drawCentredString(A4[0] / 2, y, doc.title)
    canv.setFont(font, 14)
    for text in (f"编号：{doc.number}", f"案件编号：{doc.case_code}", doc.issuer, doc.date_text):
        y -= 20
        canv.drawString(28 * mm, y, text)
    for line in (*doc.rows, *doc.signature):
        for start in range(0, max(1, len(line.value)), 22):
            y -= 20
            chunk = line.value[start : start + 22]
            if "𠮷" in chunk:  # the bare baseline also needs a second font for 𠮷
                canv.setFont(rare, 14)
                canv.drawString(64 * mm, y, "𠮷")
                canv.setFont(font, 14)
                chunk = chunk.replace("𠮷", "　")
            canv.drawString(28 * mm, y, line.label if start == 0 else "")
            canv.drawString(64 * mm, y, chunk)
    for label in doc.stub_rows:
        y -= 20
        canv.drawString(28 * mm, y, label)
    widget = QrCodeWidget(doc.case_code, barWidth=22 * mm, barHeight=22 * mm, barBorder=0)
    drawing = Drawing(22 * mm, 22 * mm)
    drawing.add(widget)
    draw_drawing(drawing, canv, A4[0] - 48 * mm, A4[1] - 70 * mm)
    canv.showPage()
    canv.save()
    return buf.getvalue()


def _once_ms(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _issue_figure(render: SlipPdfRenderer, spend: float) -> Figure:
    """Issue a 交办单 through the service on a scratch township (one transaction each)."""
    from services.domain.dto import PartyInput, WalkInInput
    from services.keys.startup import install_keys
    from services.reception.registration import register_walk_in
    from services.setup.township import add_org, make_context, open_store, set_up_township
    from services.slips.service import SlipService

    install_keys(demo=True)  # the phone is sealed: the demo data key, never the PC's own
    folder = Path(tempfile.mkdtemp(prefix="zz-bench-slips-"))
    store = open_store(folder / "slips.db")
    try:
        ctx = make_context(store)
        ctx.now = lambda: dt.datetime(2026, 11, 20, 10, 0)
        township = set_up_township(ctx, "青山镇", "620123101000")
        with store.write() as session:
            unit = add_org(session, kind="unit", name="青山司法所", parent_id=township.id).id
        form = WalkInInput(parties=(PartyInput(name="𠮷祥", phone="13812345678"),),
                           summary="与邻居因宅基地边界发生纠纷，要求调解", category_code="0202",
                           disposition="accepted")  # fmt: skip
        case_id = register_walk_in(ctx, form).case_id
        slips = SlipService(ctx, render)
        values = {"unit": unit, "due_date": "2026-11-29", "signer": "刘主任"}
        request = IssueRequest(case_id, "assignment", values, allow_missing_glyphs=True)
        ours = timings(lambda: slips.issue(request), budget_s=spend, max_reps=200)
        return Figure("slip: issue 交办单 via service (number+event+PDF+hash)", ours, None, None)
    finally:
        store.dispose()


def _old_page_stall_ms(pdf: bytes, printer: Any) -> float:
    """The old path: one whole page rasterised at 300 dpi and painted, on the GUI thread."""
    from PySide6.QtCore import QPointF, QRectF, QSize
    from PySide6.QtGui import QPainter

    from ui.pdfprint import _load

    t0 = time.perf_counter()
    document, buffer = _load(pdf)
    size = document.pagePointSize(0)
    pixels = QSize(round(size.width() * 300 / 72), round(size.height() * 300 / 72))
    image = document.render(0, pixels)
    painter = QPainter(printer)
    painter.drawImage(QRectF(QPointF(0, 0), pixels.toSizeF()), image)
    painter.end()
    document.close()
    buffer.close()
    return (time.perf_counter() - t0) * 1000


def _file_printer(path: Path) -> Any:
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def _print_stall_figure(render: SlipPdfRenderer, count: int) -> Figure:
    """Print ``count`` slips to a file printer through PdfOutput; the GUI thread's longest gap."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from ui.pdfprint import PdfDoc, PdfOutput, PrintOutcome
    from ui.tasks import ThreadTaskRunner

    app = QApplication.instance() or QApplication([])
    docs = []
    for i in range(1, count + 1):
        doc = dataclasses.replace(DOC, number=f"青综治交〔2026〕{i}号")
        rendered = render(doc, OPTIONS)
        docs.append(PdfDoc(doc.number, rendered.pdf, rendered.pages))
    folder = Path(tempfile.mkdtemp(prefix="zz-bench-print-"))
    baseline = [_old_page_stall_ms(docs[i].pdf, _file_printer(folder / f"old{i}.pdf"))
                for i in range(3)]  # fmt: skip
    parent = QWidget()
    runner = ThreadTaskRunner()
    output = PdfOutput(parent, runner)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    results: list[PrintOutcome] = []
    loop = QEventLoop()

    def done(outcome: PrintOutcome) -> None:
        results.append(outcome)
        loop.quit()

    timer.start()
    t0 = time.perf_counter()
    output.print_to(_file_printer(folder / "batch.pdf"), docs, done)
    if not results:
        loop.exec()
    total_s = time.perf_counter() - t0
    timer.stop()
    runner.wait()
    assert results and results[0].pages_sent == count, results
    gaps.sort()
    parent.deleteLater()
    app.processEvents()
    return Figure(f"print batch of {count} slips (file printer): longest GUI stall",
                  [gaps[-1]], baseline, STALL_BUDGET_MS,
                  note="baseline: one page rasterised and painted on the GUI thread (old path)",
                  extra={"pages": count, "total_s": round(total_s, 1),
                         "ticks": len(gaps), "p99_gap_ms": round(gaps[int(len(gaps) * 0.99)], 1),
                         "baseline_is": "old path, per page"})  # fmt: skip


def run(quick: bool = False, print_batch: int = PRINT_BATCH) -> list[Figure]:
    spend = 0.5 if quick else 2.0
    render = SlipPdfRenderer(FONTS)
    t0 = time.perf_counter()
    fonts = resolve(render.config)
    font_load = (time.perf_counter() - t0) * 1000
    rare = fonts.font_for("𠮷", "fangsong") or fonts.role_fonts["fangsong"]
    font = fonts.role_fonts["fangsong"]
    cold = _once_ms(lambda: render(DOC, OPTIONS))  # loads and caches the fonts
    figures = [
        Figure(
            "slip PDF: 交办单, embedded font + QR + 𠮷 fallback",
            timings(lambda: render(DOC, OPTIONS), budget_s=spend),
            timings(lambda: bare_reportlab(DOC, font, rare), budget_s=spend),
            BUDGET_MS,
            extra={
                "font_load_ms": round(font_load, 1),
                "first_render_ms": round(cold, 1),
                "pdf_bytes": len(render(DOC, OPTIONS).pdf),
            },
        ),  # fmt: skip
        _issue_figure(render, spend),
    ]
    docs = [
        dataclasses.replace(
            DOC, number=f"青综治交〔2026〕{i}号", case_code=f"620123101000-2026-{i:06d}"
        )
        for i in range(1, BATCH + 1)
    ]
    t0 = time.perf_counter()
    for doc in docs:
        render(doc, OPTIONS)
    ours_total = time.perf_counter() - t0
    t0 = time.perf_counter()
    for doc in docs:
        bare_reportlab(doc, font, rare)
    bare_total = time.perf_counter() - t0
    figures.append(Figure(f"slip PDF: batch of {BATCH:,}, per slip",
                          [ours_total * 1000 / BATCH], [bare_total * 1000 / BATCH], BUDGET_MS,
                          extra={"batch": BATCH, "ours_total_s": round(ours_total, 2),
                           "baseline_total_s": round(bare_total, 2)}))  # fmt: skip
    if print_batch:
        figures.append(_print_stall_figure(render, print_batch))
    return figures


def report(figures: list[Figure]) -> None:
    head = ("figure", "ours (ms) med/p95", "bare reportlab (ms) med/p95", "ratio", "budget", "ok?")
    rows = [head]
    for f in figures:
        base = f"{f.baseline_ms:.2f} / {p95(f.baseline):.2f}" if f.baseline else "—"
        rows.append((f.name, f"{f.ours_ms:.2f} / {p95(f.ours):.2f}", base,
                     f"{f.ratio:.2f}" if f.ratio is not None else "—",
                     f"≤ {f.budget_ms:g} ms" if f.budget_ms is not None else "—",
                     {None: "—", True: "ok", False: "OVER"}[f.ok]))  # fmt: skip

    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    widths = [max(width(r[i]) for r in rows) for i in range(len(head))]
    print(f"\nSlip benchmarks, load average {os.getloadavg()[0]:.2f}\n")
    for i, r in enumerate(rows):
        print("| " + " | ".join(c + " " * (w - width(c)) for c, w in zip(r, widths, strict=True))
              + " |")  # fmt: skip
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for f in figures:
        if f.extra:
            print(f"  {f.name}: {json.dumps(f.extra, ensure_ascii=False)}")
        if f.ok is False:
            print(f"OVER BUDGET: {f.name}: median {f.ours_ms:.2f} ms > {f.budget_ms:g} ms")
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    commit = git_commit()
    with RESULTS.open("a", encoding="utf-8") as out:
        for f in figures:
            out.write(json.dumps({
                "name": f.name, "ours_ms": round(f.ours_ms, 4),
                "ours_p95_ms": round(p95(f.ours), 4),
                "baseline_ms": None if f.baseline_ms is None else round(f.baseline_ms, 4),
                "baseline_p95_ms": None if not f.baseline else round(p95(f.baseline), 4),
                "ratio": None if f.ratio is None else round(f.ratio, 3), "budget_ms": f.budget_ms,
                "ok": f.ok, "reps": len(f.ours), "timestamp": stamp, "git_commit": commit,
                "load_avg": round(os.getloadavg()[0], 2), **f.extra,
            }, ensure_ascii=False) + "\n")  # fmt: skip
    print(f"\nappended {len(figures)} lines to {RESULTS}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--print-batch", type=int, default=PRINT_BATCH,
                        help="slips printed for the GUI-stall figure (0: skip it)")  # fmt: skip
    args = parser.parse_args(argv)
    report(run(args.quick, args.print_batch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
