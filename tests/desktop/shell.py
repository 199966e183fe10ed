"""The whole shell on a small demo township, assembled as ``main.py --demo`` assembles it."""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from PySide6.QtWidgets import QApplication

from desktop.app import _open_and_attach, parse_args
from desktop.main_window import MainWindow
from desktop.settings import Settings
from services.auth.service import AuthService
from services.context import ServiceContext
from services.demo import township
from services.demo.rooms import seed_rooms
from services.demo.township import DEMO_DIRECTOR, DEMO_PASSWORD, create_demo
from services.rooms.service import RoomService
from services.setup.township import make_context, open_store
from ui import keyboard
from ui.screen_fit import install

_demo_dbs: dict[int, Path] = {}  # cases -> a demo database made once per test process


def _demo_db(cases: int) -> Path:
    """The demo township with ``cases`` cases, made on first use and kept for the session.

    ``create_demo`` and the demo rooms take 2-4 s and come out the same every time (seeded, and
    today is today): each window gets its own copy, so no test sees another's writes. The rooms
    are seeded as ``--demo`` seeds them, by the signed-in demo director, so the start finds
    them there and seeds nothing.
    """
    if cases not in _demo_dbs:
        folder = Path(tempfile.mkdtemp(prefix="zz-demo-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / f"demo-{cases}.db"
        ctx = make_context(open_store(path))
        create_demo(ctx, cases=cases)
        AuthService(ctx).sign_in(DEMO_DIRECTOR, DEMO_PASSWORD)
        seed_rooms(RoomService(ctx))
        ctx.store.dispose()
        _demo_dbs[cases] = path
    return _demo_dbs[cases]


def _copy_db(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (the source may be in WAL mode)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def demo_window(tmp_path: Path, cases: int = 40) -> MainWindow:
    """Every screen attached (rooms, slips, sync included) over ``cases`` demo cases."""
    db = tmp_path / "demo.db"
    _copy_db(_demo_db(cases), db)
    args = parse_args(["--demo", "--db", str(db), "--screenshot", str(tmp_path / "x.png")])
    settings = Settings()
    window = MainWindow(settings, None)
    app = QApplication.instance()
    assert app is not None
    if not getattr(app, "_fitter", None):  # as desktop.app.run does
        app._fitter = (install(app), keyboard.install(app))  # type: ignore[attr-defined]
    with mock.patch.object(township, "DemoJob", _sized(cases)):
        assert _open_and_attach(app, window, args, settings) is None
    return window


def _sized(cases: int) -> type[township.DemoJob]:
    """``--demo`` finishes a demo of 2,000 cases it finds half made: here the demo is
    ``cases`` cases, complete, as a test copied it in."""

    class Sized(township.DemoJob):
        def __init__(self, ctx: ServiceContext, **kwargs: Any) -> None:
            super().__init__(ctx, **{**kwargs, "cases": cases})

    return Sized
