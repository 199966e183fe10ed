"""Composition root: QApplication, translators, fonts, the local store, services, main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desktop.paths import config_dir, default_db_path, log_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow
    from desktop.settings import Settings
    from services.backup.pending import RestoreOutcome
    from services.context import ServiceContext
    from services.demo.township import DemoJob
    from services.slips.dto import RenderedPdf, RenderOptions, SlipDocument
    from services.slips.service import SlipService
    from services.store.engine import Store
    from services.store.sealed import KeySet

log = logging.getLogger(__name__)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
VIEWS = ("reception", "ledger", "case", "rooms", "slips", "dashboard", "sync", "settings", "all")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description="综治中心工作台")
    parser.add_argument("--demo", action="store_true", help="use the demo township database")
    parser.add_argument("--db", type=Path, help="path of the local SQLite database")
    parser.add_argument("--screenshot", type=Path, help="render the window to this PNG and exit")
    parser.add_argument("--view", choices=VIEWS, default=None, help="screen to show")
    parser.add_argument(
        "--size",
        default="1366x800",
        help="window size WxH for --screenshot, or 'screen' (the work area)",
    )
    parser.add_argument("--log-level", default="INFO", type=str.upper, choices=LOG_LEVELS,
                        help="lowest level written to the log file (default INFO)")  # fmt: skip
    return parser.parse_args(list(argv))


@dataclass
class _Progress:
    done: int = 0
    total: int = 1
    finished: bool = False
    error: BaseException | None = None


def _seed_demo(app: object, ctx: ServiceContext, *, background: bool) -> DemoJob:
    """The demo township, villages and users now; its cases in the background (``background``:
    the window shows at once, :func:`_fill_demo` makes them) or here behind a progress dialog
    (screenshots, which need every case)."""
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from services.demo.township import DemoJob

    assert isinstance(app, QApplication)
    job = DemoJob(ctx)
    if background:
        return job
    state = _Progress()

    def progress(done: int, total: int) -> None:
        state.done, state.total = done, total

    def work() -> None:
        try:
            job.run(progress=progress)
            _demo_extras(job)
        except Exception as exc:  # re-raised on the GUI thread below
            state.error = exc
        finally:
            state.finished = True

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(0.3)
    if not state.finished:  # only a demo not yet made takes long: show progress then
        dialog = QProgressDialog(app.translate("app", "正在生成演示数据…"), "", 0, 100)
        dialog.setCancelButton(None)
        dialog.setMinimumDuration(0)
        while not state.finished:
            dialog.setValue(100 * state.done // max(1, state.total))
            app.processEvents()
            thread.join(0.05)
        dialog.close()
    if state.error is not None:
        raise RuntimeError("demo data failed") from state.error
    return job


def _demo_extras(job: DemoJob) -> None:
    """Demo slips, rooms, mediators and bookings once the cases are there (each idempotent)."""
    if not job.complete:
        return
    from desktop.demo_slips import seed_demo_slips
    from services.api import Workbench
    from services.demo.rooms import seed_rooms
    from services.rooms.service import RoomService

    ctx = job.acting_director()
    if job.found < job.total:  # slips once, when the cases were made (tests copy a demo in)
        seed_demo_slips(Workbench(ctx), _slip_service(ctx))
    seed_rooms(RoomService(ctx))


def _fill_demo(app: QApplication, window: MainWindow, job: DemoJob) -> None:
    """Make the demo's missing cases behind the window (progress in the status bar)."""
    from desktop.demo_fill import DemoFiller, DemoStatus

    filler = DemoFiller(job, _demo_extras, window)
    status = DemoStatus(window.statusBar(), job.made, job.total)
    filler.progress.connect(status.on_progress)
    filler.finished.connect(status.on_finished)
    app.aboutToQuit.connect(filler.stop)
    window.demo_filler = filler
    filler.start()


def _install_translators(app: QApplication, language: str) -> None:
    """The interface language from the settings (zh_CN unless the user chose English)."""
    from ui import i18n

    i18n.install(app, language)


def _first_run(ctx: object) -> tuple[str, str] | None:
    """Run the wizard on a PC with no township; the administrator's user name and password to
    sign in with, or None if the user cancelled."""
    from desktop.wizard import FirstRunWizard
    from services.setup.township import add_user, set_up_township

    wizard = FirstRunWizard()
    if wizard.exec() != FirstRunWizard.DialogCode.Accepted:
        return None
    info = set_up_township(ctx, wizard.name.text(), wizard.code.text())  # type: ignore[arg-type]

    def admin(session: object) -> str:
        user = add_user(session, username=wizard.admin.text(),  # type: ignore[arg-type]
                        display_name=wizard.admin_name.text(), role="admin", org_id=info.id,
                        password=wizard.password.text())  # fmt: skip
        return user.username

    username = ctx.store.run_write(admin)  # type: ignore[attr-defined]
    return username, wizard.password.text()


def _sign_in(window: MainWindow, ctx: ServiceContext, runner: object, args: argparse.Namespace,
             settings: Settings, first: tuple[str, str] | None) -> bool:  # fmt: skip
    """Who works on this window: the demo director, the wizard's administrator, or the sign-in
    dialog. Every service call from now on needs a signed-in user (False: nobody signed in)."""
    from desktop.session import SessionController
    from services.auth.service import AuthService
    from services.demo.township import DEMO_DIRECTOR, DEMO_PASSWORD, DEMO_USERS

    auth = AuthService(ctx)
    if args.screenshot is not None and not args.demo:  # a system context
        return True
    ctx.requires_sign_in = args.screenshot is None
    demo = [(login, name) for login, name, _role in DEMO_USERS] if args.demo else []
    minutes = settings.lock_minutes if settings.lock_minutes >= 0 else auth.policy.idle_lock_minutes
    if args.screenshot is not None:  # the demo director as --demo, with no idle lock
        minutes = 0
    session = SessionController(auth, runner, window, idle_minutes=minutes,  # type: ignore[arg-type]
                                demo_accounts=demo, demo_password=DEMO_PASSWORD)  # fmt: skip
    window.session = session
    if args.demo:
        session.adopt(auth.sign_in(DEMO_DIRECTOR, DEMO_PASSWORD))
    elif first is not None:
        session.adopt(auth.sign_in(*first))
    elif not session.sign_in(username=settings.last_username):
        return False
    return True


def _render_slip(doc: SlipDocument, options: RenderOptions) -> RenderedPdf:
    """reportlab costs ~0.2 s to import: load the PDF engine on the first slip, not at start."""
    from reports.slips import render_slip

    return render_slip(doc, options)


def _slip_service(ctx: ServiceContext) -> SlipService:
    from services.slips.kinds import load_catalogue
    from services.slips.service import SlipService

    override = config_dir() / "slips"  # a county's own 四单两函 (kinds.json), if present
    catalogue = load_catalogue(override if (override / "kinds.json").exists() else None)
    return SlipService(ctx, _render_slip, catalogue)


def _tell(stream: TextIO | None, line: str) -> None:
    """A line for whoever started the process (console or bench); pythonw has no streams."""
    if stream is not None:
        stream.write(line + "\n")
        stream.flush()


def run(argv: Sequence[str]) -> int:
    """Log to the per-user log folder, catch crashes, then run the app (see :func:`_run`)."""
    args = parse_args(argv)
    from desktop.diagnostics import CrashReporter, setup_logging

    log_path = setup_logging(log_dir(), args.log_level)
    log.info("start (demo=%s, screenshot=%s)", args.demo, args.screenshot is not None)
    crash = CrashReporter(log_path)  # logs and shows the crash dialog from here on
    crash.install()
    try:
        return _run(args)
    finally:
        crash.uninstall()
        log.info("exit")


def _run(args: argparse.Namespace) -> int:
    """Show the window frame at once, then open the data and attach the screens.

    The services import SQLAlchemy (~0.3 s) and the store opens and migrates: the user sees the
    window (with "正在打开数据…") while that happens, not a blank desktop.
    """
    if args.screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _offscreen_screen_of(args.size)
    probe = bool(os.environ.get("ZZ_STARTUP_PROBE"))
    from desktop import memory

    memory.install()  # before the imports whose source lines PySide6 would keep
    from PySide6.QtWidgets import QApplication

    from desktop.fonts import ensure_cjk_font
    from desktop.main_window import MainWindow
    from desktop.settings import load_settings, save_settings

    app = QApplication.instance() or QApplication(["main.py"])
    assert isinstance(app, QApplication)
    memory.trim_after_window_changes(app)  # a closed dialog's pages go back to the system
    app.setApplicationName("综治中心工作台")
    settings_path = config_dir() / ("settings-demo.json" if args.demo else "settings.json")
    loaded = load_settings(settings_path)
    settings = loaded.settings
    _install_translators(app, os.environ.get("ZZ_LANGUAGE") or settings.language)
    ensure_cjk_font(app)
    from PySide6.QtGui import QIcon

    from ui import keyboard, screen_fit

    app.setWindowIcon(QIcon(str(Path(__file__).resolve().parents[1] / "resources/icons/app.svg")))

    screen_fit.install(app)  # every window and dialog shrinks to the screen's work area
    keyboard.install(app)  # Tab moves between controls everywhere (text boxes, tables)
    if args.view:
        settings.last_screen = args.view
    window = MainWindow(settings, lambda s: save_settings(settings_path, s))
    window.ask_on_close = args.screenshot is None  # a half-filled registration is never lost
    if args.screenshot is None:
        window.show()
        app.processEvents()  # paint the frame before the slow part
        if probe:
            _tell(sys.stdout, "window-shown")
    code = _open_and_attach(app, window, args, settings)
    if code is not None:
        return code
    if args.screenshot is not None:
        return _screenshot(app, window, args)
    if probe:  # tests/bench: the first screen is usable; stop here
        _tell(sys.stdout, "screen-ready")
        filler = window.demo_filler
        if filler is not None and os.environ.get("ZZ_STARTUP_PROBE") == "demo":
            filler.wait()  # bench: how long the background demo takes
            _tell(sys.stdout, "demo-ready")
        elif filler is not None:
            filler.stop()
        return 0
    window.show_notice(loaded.notice)
    code = app.exec()
    runner = window.runner
    if hasattr(runner, "wait"):
        runner.wait(5000)
    if window.restart_requested:  # 从备份恢复…: the new process restores, then opens the data
        from desktop.restore import start_again

        start_again()
    return code


def _open_and_attach(app: object, window: MainWindow, args: argparse.Namespace,
                     settings: Settings) -> int | None:  # fmt: skip
    """Open the store, first-run or demo set-up, services; None when the window is ready."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.hub_settings import HubSettings, make_sync
    from desktop.settings import save_settings
    from desktop.slip_fonts import SlipFonts
    from services.api import Workbench
    from services.setup.township import make_context, open_store
    from ui.tasks import ImmediateTaskRunner, ThreadTaskRunner

    started = time.perf_counter()
    keys = _install_data_key(window, args)
    if keys is None:
        return 2
    db = Path(args.db or default_db_path(args.demo))
    restored = _restore_pending(app, db) if args.screenshot is None else None
    store = open_store(db)
    _warn_missing_keys(window, store, keys, args)
    ctx = make_context(store)
    if restored is not None:
        from services.backup.pending import record_restore

        record_restore(ctx, restored)  # in the audit log now in use (the restored one)
    log.debug("store opened and migrated in %.0f ms", 1000 * (time.perf_counter() - started))
    first = None
    job = None
    if args.demo:
        job = _seed_demo(app, ctx, background=args.screenshot is None)
    elif ctx.township_id is None:
        first = None if args.screenshot is not None else _first_run(ctx)
        if first is None:
            log.warning("no township set up: first run cancelled or screenshot of an empty store")
            _tell(sys.stderr, "尚未完成初始设置")
            return 2
    from services.rooms.service import RoomService

    slips = _slip_service(ctx)
    sync, credentials = make_sync(ctx, settings)
    rooms = RoomService(ctx)
    services = Workbench(ctx, rooms=rooms, slips=slips, sync=sync)
    runner = ImmediateTaskRunner() if args.screenshot else ThreadTaskRunner(window)
    if not _sign_in(window, ctx, runner, args, settings, first):
        return 0
    settings.user_id = ctx.user_id
    path = config_dir() / ("settings-demo.json" if args.demo else "settings.json")
    hub = HubSettings(settings, lambda s: save_settings(path, s), sync, credentials)
    fonts = SlipFonts(settings, lambda s: save_settings(path, s), lambda: _may_set_fonts(ctx))
    fonts.apply()  # the director's 文书字体, before the first slip renders
    # In screenshot mode nothing reaches the network: no automatic sync.
    # No rebuild of held spans here: every booking write and every pull keeps its own (issue 16).
    from services.statistics.service import StatisticsService

    window.attach(services, runner, slips=slips, sync=sync, hub=hub,
                  sync_auto=args.screenshot is None, rooms=rooms,
                  statistics=StatisticsService(ctx), fonts=fonts)  # fmt: skip
    if isinstance(runner, ThreadTaskRunner) and store.path is not None:
        window.jobs.add_backup(_backup_job(store.path, settings))
        # Commits never checkpoint the WAL nor merge the full-text indexes inline (the slow
        # registrations of the benchmark): a job on its own worker does both, every two seconds
        # (tests/bench runs the same).
        store.defer_checkpoints()
        window.jobs.add_checkpoint(store.maintain)
    if restored is not None:
        QTimer.singleShot(0, lambda: _tell_restored(window, restored))
    if job is not None and args.screenshot is None:
        assert isinstance(app, QApplication)
        _fill_demo(app, window, job)
    if isinstance(runner, ThreadTaskRunner):  # fonts load in ~0.4 s: do it once the window is up
        # pypinyin (~0.3 s) before the first save, so it never loads inside the write lock
        runner.run(services.warm_up, lambda _r: None, _warm_up_failed, pool="cpu")
        QTimer.singleShot(3000, lambda: runner.run(slips.warm_up, lambda _r: None,
                                                   _warm_up_failed, pool="cpu"))  # fmt: skip
    return None


def _restore_pending(app: object, db: Path) -> RestoreOutcome | None:
    """A restore recorded in 文件 → 从备份恢复… before the last restart: done now, before the
    store opens, behind a progress dialog (the check of a large backup takes minutes)."""
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from desktop.restore import apply_at_start

    assert isinstance(app, QApplication)

    def wait(thread: threading.Thread) -> None:
        thread.join(0.3)
        if not thread.is_alive():
            return
        text = app.translate("app", "正在从备份恢复数据库：先检查备份，再替换…")
        dialog = QProgressDialog(text, "", 0, 0)
        dialog.setCancelButton(None)
        dialog.setMinimumDuration(0)
        dialog.show()
        while thread.is_alive():
            app.processEvents()
            thread.join(0.05)
        dialog.close()

    outcome = apply_at_start(db, wait)
    if outcome is not None:
        log.warning("restore from a backup at start: %s", "done" if outcome.ok else outcome.code)
    return outcome


def _tell_restored(window: MainWindow, outcome: RestoreOutcome) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from desktop.restore import outcome_text

    title = QCoreApplication.translate("app", "从备份恢复")
    if outcome.ok:
        QMessageBox.information(window, title, outcome_text(outcome))
    else:
        QMessageBox.warning(window, title, outcome_text(outcome))


def _backup_job(db: Path, settings: Settings) -> Callable[[], object]:
    """The day's automatic online backup into the folder set in 设置 (default ``backups``
    beside the database), keeping ``backup_keep`` of them."""
    from desktop.restore import backup_folder
    from services.backup.service import due_backup

    folder = backup_folder(db, settings.backup_folder)
    keep = max(1, settings.backup_keep)
    return lambda: due_backup(db, folder, keep=keep)


def _may_set_fonts(ctx: ServiceContext) -> bool:
    """文书字体 are the director's (or the administrator's) choice."""
    principal = ctx.principal
    if principal is None:
        return not ctx.requires_sign_in
    return principal.role in ("director", "admin")


def _install_data_key(window: MainWindow, args: argparse.Namespace) -> KeySet | None:
    """This PC's data key from the keyring (the demo's fixed key with --demo); None when there
    is no keyring to keep it in (the user is told)."""
    from services.keys.startup import install_keys
    from services.store.sealed import DataKeyError

    try:
        keys, created = install_keys(demo=args.demo)
    except DataKeyError as exc:
        log.error("no data key: %s", exc.code)
        _tell(sys.stderr, exc.message)
        if args.screenshot is None:
            from PySide6.QtCore import QCoreApplication
            from PySide6.QtWidgets import QMessageBox

            from views.messages import error_text

            title = QCoreApplication.translate("app", "数据密钥")
            QMessageBox.critical(window, title, error_text(exc))
        return None
    if created:
        log.warning("new data key made on this PC: the administrator writes its recovery file")
    return keys


def _warn_missing_keys(window: MainWindow, store: Store, keys: KeySet,
                       args: argparse.Namespace) -> None:  # fmt: skip
    """A copied database whose personal data is sealed with a key this PC lacks: say so."""
    from services.keys.startup import missing_keys, missing_keys_message

    missing = missing_keys(store, keys)
    if not missing:
        return
    log.error("personal data sealed with %d key(s) this PC lacks", len(missing))
    message = missing_keys_message(missing)
    _tell(sys.stderr, message)
    if args.screenshot is None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(window, "无法查看个人信息", message)


def _warm_up_failed(exc: BaseException) -> None:
    # Only a head start: the first slip or save loads what it needs itself.
    log.warning("preloading (slip fonts, pypinyin) failed", exc_info=exc)


def _offscreen_screen_of(size: str) -> None:
    """Give Qt's bare offscreen platform one screen of ``--size`` (its default is 800 px wide).

    Windows are shrunk to their screen's work area, so without this ``--size 1366x728`` gave an
    800-pixel-wide picture. A platform already configured (make screenshots) is left alone.
    """
    if os.environ.get("QT_QPA_PLATFORM") != "offscreen" or "x" not in size.lower():
        return
    import tempfile

    from desktop.screenshots import environment

    width, height = (int(v) for v in size.lower().split("x"))
    env = environment(width, height + 32, 1.0, Path(tempfile.mkdtemp(prefix="zz-screen-")))
    os.environ["QT_QPA_PLATFORM"] = env["QT_QPA_PLATFORM"]


def _screenshot(app: object, window: MainWindow, args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    from services.cases.ledger import LedgerFilter

    assert isinstance(app, QApplication)
    services = window.services
    if args.size == "screen":  # the whole work area, less a title bar (as a maximised window)
        from ui.screen_fit import TITLE_BAR, work_area

        area = work_area(window)
        width, height = area.width(), area.height() - TITLE_BAR
    else:
        width, height = (int(v) for v in args.size.lower().split("x"))
    window.resize(width, height)
    if args.view == "all":  # --screenshot names a folder: every screen and dialog
        from desktop.gallery import save_all

        saved = save_all(window, args.screenshot)
        window.close()
        return 0 if saved else 1
    if args.view == "case":
        page = services.ledger_page(LedgerFilter(states=("handling",)), limit=1)
        if page.rows:
            window.open_case(page.rows[0].id)
    window.show()
    for _ in range(5):
        app.processEvents()
    args.screenshot.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(args.screenshot))
    window.close()
    return 0 if ok else 1
