"""``python main.py audit verify [--db PATH | --demo]``: check this PC's audit log.

Checks every device's hash chain and signatures, and every case_event against the digests the
log recorded; prints the first broken entry (and how many more) and exits 1, or 0 when intact.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop.paths import default_db_path

MAX_LISTED = 20


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py audit", description="审计日志校验")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("verify", help="校验哈希链、签名和案件流转记录")
    check.add_argument("--db", type=Path, help="本地数据库文件（默认：本机工作台的数据库）")
    check.add_argument("--demo", action="store_true", help="使用演示乡镇的数据库")
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    path = args.db or default_db_path(args.demo)
    if not Path(path).exists():
        sys.stderr.write(f"错误：找不到数据库文件 {path}\n")
        return 2
    from services.audit.verify import verify
    from services.domain.errors import ServiceError
    from services.keys.startup import install_keys
    from services.setup.township import open_store

    try:  # opening may migrate, and migration 0013 seals personal data
        install_keys(demo=args.demo)
    except ServiceError as exc:
        sys.stderr.write(f"错误：{exc.message}\n")
        return 2
    store = open_store(path)
    try:
        report = verify(store)
    finally:
        store.dispose()
    out = sys.stdout
    out.write(f"审计日志 {report.entries} 条（{report.devices} 台设备），"
              f"案件流转记录 {report.events} 条\n")  # fmt: skip
    if report.ok:
        out.write("校验通过：哈希链、签名和案件流转记录均完整一致\n")
        return 0
    first = report.findings[0]
    out.write(f"校验未通过：发现 {len(report.findings)} 处问题\n第一处：{first.message}\n")
    for finding in report.findings[1:MAX_LISTED]:
        out.write(f"  {finding.message}\n")
    if len(report.findings) > MAX_LISTED:
        out.write(f"  ……另有 {len(report.findings) - MAX_LISTED} 处\n")
    return 1
