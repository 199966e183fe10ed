"""``python main.py backup …``: online backups of this PC's database and the restore assistant.

* ``backup now``: an online copy now (the workbench may be running);
* ``backup list``: the backups in the folder, newest first, with when they were taken;
* ``backup check FILE``: integrity, schema version and audit chains, nothing replaced;
* ``backup restore FILE``: check, then replace the database (the workbench must be closed; the
  replaced file is kept as a backup). The next sync pulls everything from the county hub again,
  which brings back what the backup lacks.

The folder is the one set in 设置 (``backup_folder``), else ``backups`` beside the database.
See docs/备份与恢复.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop.paths import config_dir, default_db_path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py backup", description="数据库备份与恢复")
    parser.add_argument("--db", type=Path, help="本地数据库文件（默认：本机工作台的数据库）")
    parser.add_argument("--demo", action="store_true", help="使用演示乡镇的数据库")
    parser.add_argument("--folder", type=Path, help="备份文件夹（默认：设置中的备份文件夹）")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("now", help="立即备份（工作台运行时也可以）")
    sub.add_parser("list", help="列出备份")
    check = sub.add_parser("check", help="检查一个备份（不替换任何文件）")
    check.add_argument("file", type=Path)
    restore = sub.add_parser("restore", help="检查并用备份替换本机数据库（须先关闭工作台）")
    restore.add_argument("file", type=Path)
    return parser


def backup_folder(db: Path, demo: bool) -> Path:
    """The folder set in 设置, else ``backups`` beside the database."""
    from desktop.settings import load_settings

    name = "settings-demo.json" if demo else "settings.json"
    chosen = load_settings(config_dir() / name).settings.backup_folder
    return Path(chosen) if chosen else db.parent / "backups"


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    db = Path(args.db or default_db_path(args.demo))
    folder = args.folder or backup_folder(db, args.demo)
    from services.backup import service
    from services.domain.errors import ServiceError

    out = sys.stdout
    if args.command == "list":
        for path in service.list_backups(folder):
            at = service.taken_at(path)
            out.write(f"{at:%Y-%m-%d %H:%M:%S}  {path}\n" if at else f"{path}\n")
        return 0
    if args.command == "check":
        check = service.check_backup(args.file)
        if check.ok:
            out.write(f"备份检查通过：完整性、数据结构版本（{check.schema}）和审计日志均正常\n")
            return 0
        out.write("备份检查未通过：\n" + "".join(f"  {p}\n" for p in check.problems))
        return 1
    if not db.exists():
        sys.stderr.write(f"错误：找不到数据库文件 {db}\n")
        return 2
    try:
        if args.command == "now":
            out.write(f"已备份到 {service.take_backup(db, folder, reason='manual')}\n")
            return 0
        check = service.restore(db, args.file)
    except ServiceError as exc:
        sys.stderr.write(f"错误：{exc.message}\n")
        return 1
    out.write(f"已从备份恢复（数据结构版本 {check.schema}），"
              f"原数据库已另存在 {args.file.parent}。\n"
              "下次同步将从县级平台重新取回本乡镇的全部数据（完全重新同步），"
              "备份之后登记和办理的事项会回到本机；恢复后即可照常登记，"
              "本机的审计日志从新的一段接着记。\n")  # fmt: skip
    return 0
