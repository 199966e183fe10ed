"""Composition root: QApplication, translators, the local store, services and the main window."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QProgressDialog

from desktop.main_window import MainWindow
from desktop.paths import default_db_path
from services.context import ServiceContext
from services.demo import create_demo
from services.setup import make_context, open_store


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description="综治中心工作台")
    parser.add_argument("--demo", action="store_true", help="use the demo township database")
    parser.add_argument("--db", type=Path, help="path of the local SQLite database")
    return parser.parse_args(list(argv))


def _install_translators(app: QApplication) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    qtbase = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qtbase.load("qtbase_zh_CN", path):
        app.installTranslator(qtbase)


@dataclass
class _Progress:
    done: int = 0
    total: int = 1
    finished: bool = False
    error: BaseException | None = None


def _seed_demo(app: QApplication, ctx: ServiceContext) -> None:
    """Create the demo township in a worker thread while a progress dialog runs."""
    state = _Progress()

    def progress(done: int, total: int) -> None:
        state.done, state.total = done, total

    def work() -> None:
        try:
            create_demo(ctx, progress=progress)
        except Exception as exc:  # re-raised on the GUI thread below
            state.error = exc
        finally:
            state.finished = True

    dialog = QProgressDialog(app.translate("app", "正在生成演示数据…"), "", 0, 100)
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(0)
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    while not state.finished:
        dialog.setValue(100 * state.done // max(1, state.total))
        app.processEvents()
        thread.join(0.05)
    dialog.close()
    if state.error is not None:
        raise RuntimeError("demo data failed") from state.error


def run(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    app = QApplication.instance() or QApplication(["main.py"])
    assert isinstance(app, QApplication)
    app.setApplicationName("综治中心工作台")
    _install_translators(app)
    store = open_store(args.db or default_db_path(args.demo))
    ctx = make_context(store)
    if args.demo:
        _seed_demo(app, ctx)
    window = MainWindow(ctx)
    window.show()
    return app.exec()
