"""The whole shell on a small demo township, assembled as ``main.py --demo`` assembles it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.app import _open_and_attach, parse_args
from desktop.main_window import MainWindow
from desktop.settings import Settings
from services.demo.township import create_demo
from services.setup.township import make_context, open_store
from ui import keyboard
from ui.screen_fit import install


def demo_window(tmp_path: Path, cases: int = 40) -> MainWindow:
    """Every screen attached (rooms, slips, sync included) over ``cases`` demo cases."""
    db = tmp_path / "demo.db"
    ctx = make_context(open_store(db))
    create_demo(ctx, cases=cases)
    ctx.store.dispose()
    args = parse_args(["--demo", "--db", str(db), "--screenshot", str(tmp_path / "x.png")])
    settings = Settings()
    window = MainWindow(settings, None)
    app = QApplication.instance()
    assert app is not None
    if not getattr(app, "_fitter", None):  # as desktop.app.run does
        app._fitter = (install(app), keyboard.install(app))  # type: ignore[attr-defined]
    assert _open_and_attach(app, window, args, settings) is None
    return window
