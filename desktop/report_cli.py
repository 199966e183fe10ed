"""``python main.py report daily|weekly|monthly|assessment|special …`` for scheduled printing.

Examples::

    python main.py report monthly --period 2026-11 --out 2026-11月报.pdf
    python main.py report weekly --period 2026-W47 --out 周报.xlsx
    python main.py report special --case 620123101000-2026-000123 --out 专报.pdf
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop.paths import default_db_path

log = logging.getLogger(__name__)
KINDS = {"daily": "day", "weekly": "week", "monthly": "month", "assessment": "month"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py report", description="生成日报、周报、月报、考核表或专报"
    )
    parser.add_argument("kind", choices=(*KINDS, "special"), help="报告种类")
    parser.add_argument(
        "--period",
        help="报告期：日报 2026-11-20；周报 2026-W47 或该周任一日；"
        "月报 2026-11；也可写起止日期 2026-11-01..2026-11-15",
    )
    parser.add_argument("--case", help="专报：红色风险案件的编号")
    parser.add_argument("--out", type=Path, required=True, help="输出文件（.pdf 或 .xlsx）")
    parser.add_argument("--db", type=Path, help="本地数据库文件（默认：本机工作台的数据库）")
    parser.add_argument("--demo", action="store_true", help="使用演示乡镇的数据库")
    return parser


def _fail(message: str) -> int:
    sys.stderr.write(f"错误：{message}\n")
    return 2


def _render(args: argparse.Namespace, ctx: object) -> tuple[bytes, Callable[[], None]]:
    """The report's bytes, and the call that records the export in the audit log once the file
    is written (as the system: scheduled printing runs without a signed-in user)."""
    from reports.periodic import render_report_pdf
    from reports.special import render_special
    from reports.workbook import render_report_xlsx
    from services.statistics.service import StatisticsService

    service = StatisticsService(ctx)  # type: ignore[arg-type]
    pdf = args.out.suffix.lower() == ".pdf"
    if args.kind == "special":
        data = render_special(service.special(args.case)).pdf
        return data, lambda: service.record_export("special", "", "pdf", case_code=args.case)
    doc = service.report(args.kind, args.period)
    data = render_report_pdf(doc) if pdf else render_report_xlsx(doc)
    fmt = "pdf" if pdf else "xlsx"
    return data, lambda: service.record_export(args.kind, args.period, fmt)


def main(argv: Sequence[str]) -> int:
    """Run the command; returns the process exit code (2: refused input)."""
    args = _parser().parse_args(list(argv))
    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        return _fail(f"输出文件“{args.out.name}”应以 .pdf 或 .xlsx 结尾")
    if args.kind == "special" and (not args.case or suffix != ".pdf"):
        return _fail("专报须用 --case 指定红色风险案件编号，并输出为 .pdf")
    if args.kind != "special" and not args.period:
        return _fail("请用 --period 指定报告期，例如 --period 2026-11")
    from services.domain.errors import ServiceError
    from services.setup.township import make_context, open_store

    db = args.db or default_db_path(args.demo)
    if not Path(db).exists():
        return _fail(f"找不到数据库文件：{db}")
    from services.keys.startup import install_keys

    try:
        install_keys(demo=args.demo)
    except ServiceError as exc:
        return _fail(exc.message)
    store = open_store(db)
    try:
        data, record = _render(args, make_context(store))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(data)
        record()
    except ServiceError as exc:
        return _fail(exc.message)
    finally:
        store.dispose()
    sys.stdout.write(f"已生成：{args.out}\n")
    return 0
