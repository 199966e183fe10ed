"""``python main.py hub …``: run the county hub, or administer it (平台命令行)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from hub.db import HubDB
from services.domain.errors import ServiceError

ADMIN = ("issue-token", "revoke-token", "list-devices", "import-reference")
DB_ENV = "ZONGZHI_HUB_DB"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
GC_YOUNG = 20_000  # the hub server's young-generation threshold (CPython's default: 700)


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=os.environ.get(DB_ENV),
        help=f"database URL (postgresql://… or sqlite:///…); env {DB_ENV}",
    )


def serve_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="main.py hub", description="综治中心县级同步平台",
                                epilog="admin: " + ", ".join(ADMIN))  # fmt: skip
    _db_arg(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8443)
    p.add_argument("--certfile", help="TLS certificate (PEM)")
    p.add_argument("--keyfile", help="TLS private key (PEM)")
    return p


def admin_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="main.py hub", description="县级同步平台管理")
    sub = p.add_subparsers(dest="command", required=True)
    issue = sub.add_parser("issue-token", help="issue a device token")
    _db_arg(issue)
    issue.add_argument("--label", required=True, help="device label, e.g. 青山镇接待1")
    issue.add_argument("--township-code", help="12-digit township code")
    issue.add_argument("--township-name", help="township name (first token of a township)")
    issue.add_argument("--county", action="store_true", help="county-wide token (county mode)")
    revoke = sub.add_parser("revoke-token", help="revoke a device token")
    _db_arg(revoke)
    revoke.add_argument("device_id")
    listing = sub.add_parser("list-devices", help="devices and their last sync")
    _db_arg(listing)
    ref = sub.add_parser("import-reference", help="publish reference data from a directory")
    _db_arg(ref)
    ref.add_argument("directory", type=Path)
    return p


def _say(text: str, *, err: bool = False) -> None:
    """The command's answer to the operator: its interface, not a diagnostic (those are logged)."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def main(argv: list[str]) -> int:
    """Entry point; returns the process exit code."""
    try:
        if argv and argv[0] in ADMIN:
            return _admin(admin_parser().parse_args(argv))
        return _serve(serve_parser().parse_args(argv))
    except ServiceError as exc:
        _say(f"错误：{exc.message}", err=True)
        return 2


def _need_db(url: str | None) -> str:
    if not url:
        raise ServiceError("hub.db", f"请用 --db 或环境变量 {DB_ENV} 指定数据库")
    return url


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from hub.app import create_app

    if bool(args.certfile) != bool(args.keyfile):
        raise ServiceError("hub.tls", "--certfile 与 --keyfile 须同时提供")
    if not args.certfile and args.host not in LOOPBACK:
        _say("警告：未配置 TLS 证书，客户端将拒绝以明文 HTTP 连接本平台", err=True)
    app = create_app(_need_db(args.db))
    # What start-up built (modules, the app, SQLAlchemy's and pydantic's tables: ~165,000
    # objects) lives as long as the process: out of the collector's generations, so the
    # collections a push sets off no longer walk it. And a young generation of 20,000 objects,
    # not 700: a pushed batch's objects (a thousand changes' dicts, models and states) are
    # freed by reference counting before they would have been collected (and promoted and
    # walked again) over and over: the collector took 25 ms of each 1,000-change batch, 0.3 ms
    # now (GC callbacks, 20,000 changes in process).
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    uvicorn.run(app, host=args.host, port=args.port, ssl_certfile=args.certfile,
                ssl_keyfile=args.keyfile, log_level="warning")  # fmt: skip
    return 0


def _admin(args: argparse.Namespace) -> int:
    from hub import admin
    from hub.service import list_devices

    db = HubDB(_need_db(args.db))
    try:
        if args.command == "issue-token":
            issued = admin.issue_token(
                db,
                args.label,
                township_code=args.township_code,
                township_name=args.township_name,
                county=args.county,
            )
            _say(f"设备编号: {issued.device_id}\n范围: {issued.scope}\n"
                  f"令牌（只显示这一次，请妥善交给该设备）: {issued.token}")  # fmt: skip
        elif args.command == "revoke-token":
            admin.revoke_token(db, args.device_id)
            _say(f"已吊销: {args.device_id}")
        elif args.command == "list-devices":
            for d in list_devices(db):
                state = "已吊销" if d.revoked_at else "有效"
                where = d.township_name or "县级"
                last = max((t for t in (d.last_push_at, d.last_pull_at) if t), default=None)
                _say(f"{d.id}\t{d.label}\t{where}\t{state}\t最近同步 {last or '从未'}\t"
                      f"待同步 {d.pending}\t已隔离 {d.quarantined}")  # fmt: skip
        else:
            counts = admin.import_reference(db, args.directory)
            _say("已发布：" + "，".join(f"{k} {v}" for k, v in counts.items()))
    finally:
        db.dispose()
    return 0
