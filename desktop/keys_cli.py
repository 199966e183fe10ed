"""``python main.py keys …``: the data key that seals ID numbers and phones (数据密钥).

* ``keys status``: the keys in this PC's keyring and which of them the database uses;
* ``keys backup --out FILE``: write the recovery file (asks the recovery passphrase twice);
* ``keys recover FILE``: add the keys of a recovery file to this PC's keyring (a new or
  re-installed PC, another PC of the same county);
* ``keys rotate --out FILE``: a new active key, every local row and queued change re-sealed in
  batches, then the new recovery file. Rotating and backing up need an administrator's sign-in.

Passphrases and passwords are read from the terminal, or one per line from standard input with
``--stdin`` (scripts, tests). See docs/data-keys.md.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.paths import default_db_path

if TYPE_CHECKING:
    from services.context import ServiceContext
    from services.store.engine import Store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py keys", description="个人信息数据密钥")
    parser.add_argument("--db", type=Path, help="本地数据库文件（默认：本机工作台的数据库）")
    parser.add_argument("--stdin", action="store_true", help="从标准输入逐行读取口令和密码")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status", help="本机密钥和数据库使用的密钥")
    backup = sub.add_parser("backup", help="写密钥恢复文件")
    backup.add_argument("--out", type=Path, required=True)
    backup.add_argument("--user", required=True, help="系统管理员用户名")
    recover = sub.add_parser("recover", help="从恢复文件导入密钥")
    recover.add_argument("file", type=Path)
    rotate = sub.add_parser("rotate", help="轮换密钥并重新加密本机数据")
    rotate.add_argument("--out", type=Path, required=True, help="新的密钥恢复文件")
    rotate.add_argument("--user", required=True, help="系统管理员用户名")
    return parser


def _reader(args: argparse.Namespace) -> Callable[[str], str]:
    if args.stdin:
        return lambda _prompt: sys.stdin.readline().rstrip("\n")
    return getpass.getpass


def _new_passphrase(ask: Callable[[str], str]) -> str:
    first = ask("恢复口令（至少12个字符）：")
    if ask("再输入一次：") != first:
        raise SystemExit("两次输入的恢复口令不一致")
    return first


def _admin(store: Store, user: str, ask: Callable[[str], str]) -> ServiceContext:
    from services.auth.service import AuthService
    from services.setup.township import make_context

    ctx = make_context(store)
    ctx.requires_sign_in = True
    AuthService(ctx).sign_in(user, ask(f"{user} 的登录密码："))
    ctx.require("keys.manage")
    return ctx


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    from services.domain.errors import ServiceError

    try:
        return _run(args)
    except ServiceError as exc:
        sys.stderr.write(f"错误：{exc.message}\n")
        return 1


def _run(args: argparse.Namespace) -> int:
    from services.keys import keyring_store
    from services.keys.recovery import read_recovery, write_recovery
    from services.store.sealed import install

    ask = _reader(args)
    out = sys.stdout
    if args.command == "recover":
        imported = read_recovery(args.file, ask("恢复口令："))
        current = keyring_store.load_keys()
        merged = imported if current is None else keyring_store.merge(current, imported)
        keyring_store.save_keys(merged)
        out.write(f"已导入密钥 {'、'.join(sorted(imported.keys))}，当前使用 {merged.active_id}\n")
        return 0
    keys, _created = keyring_store.load_or_create()
    install(keys)
    from services.setup.township import open_store

    store = open_store(args.db or default_db_path(False))
    try:
        if args.command == "status":
            return _status(store, keys)
        ctx = _admin(store, args.user, ask)
        if args.command == "rotate":
            from services.keys.rotation import rotate

            def progress(n: int) -> None:
                out.write(f"  已重新加密 {n} 人\n")

            keys, report = rotate(ctx, keys, keyring_store.save_keys, progress)
            out.write(f"新密钥 {report.new_key_id}：重新加密人员 {report.people} 人，"
                      f"待同步变更 {report.outbox} 条\n")  # fmt: skip
        write_recovery(args.out, keys, _new_passphrase(ask))
        out.write(f"密钥恢复文件已写入 {args.out}：请与恢复口令分开保管\n")
        return 0
    finally:
        store.dispose()


def _status(store: Store, keys: object) -> int:
    from services.keys.rotation import keys_in_use
    from services.setup.township import make_context
    from services.store.sealed import KeySet

    assert isinstance(keys, KeySet)
    used = keys_in_use(make_context(store))
    out = sys.stdout
    out.write(f"本机密钥：{'、'.join(sorted(keys.keys))}（当前使用 {keys.active_id}）\n")
    for kid, n in sorted(used.items()):
        label = "明文（尚未加密）" if kid == "" else kid
        known = "" if kid == "" or kid in keys.keys else "  ← 本机没有此密钥"
        out.write(f"  {label}：{n} 项{known}\n")
    return 1 if any(k and k not in keys.keys for k in used) else 0
