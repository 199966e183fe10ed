"""Every screen and every dialog of the app, opened on real data: for screenshots and fit tests.

``python main.py --demo --screenshot DIR --view all`` saves them all as PNGs (the user guide's
pictures); tests/desktop/test_fit.py checks that each one fits the smallest supported screen.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

log = logging.getLogger(__name__)
Factory = Callable[["MainWindow"], QWidget | None]
# Actions whose form has fields worth a picture (the others only confirm).
PICTURED_ACTIONS = ("accept", "assign", "feedback", "mediation_result", "close", "revisit")
PICTURED_SLIPS = ("acceptance", "supervision")


def first_case_id(window: MainWindow, state: str = "handling") -> str | None:
    from services.cases.ledger import LedgerFilter

    page = window.services.ledger_page(LedgerFilter(states=(state,)), limit=1)
    if not page.rows:
        page = window.services.ledger_page(LedgerFilter(), limit=1)
    return page.rows[0].id if page.rows else None


def screens(window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    """Each screen in turn, shown in the window (the case file on an open case)."""
    from desktop.main_window import SCREENS

    for key, _name in SCREENS:
        if key == "case":
            case_id = first_case_id(window)
            if case_id is not None:
                window.open_case(case_id)
        window.show_screen(key)
        yield key, window
    yield from _admin_settings(window)


def _admin_settings(window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    """设置 as the demo's administrator sees it (用户管理 with its table), then the director
    again: the director's 设置 shows the 审计日志 and the refusal of 用户管理."""
    from services.auth.service import AuthService
    from services.demo.township import DEMO_DIRECTOR, DEMO_PASSWORD, DEMO_USERS

    session = window.session
    admins = [login for login, _name, role in DEMO_USERS if role == "admin"]
    principal = session.principal if session is not None else None
    if session is None or not admins or getattr(principal, "username", "") != DEMO_DIRECTOR:
        return
    auth = AuthService(window.services.ctx)
    try:
        session.adopt(auth.sign_in(admins[0], DEMO_PASSWORD))
    except Exception:  # noqa: BLE001 (not the demo township: no administrator to show)
        log.info("no demo administrator to picture 用户管理 with")
        return
    try:
        window.show_screen("settings")
        _scroll_to(window.settings_view.users_panel)
        yield "settings-admin", window
    finally:
        session.adopt(auth.sign_in(DEMO_DIRECTOR, DEMO_PASSWORD))


def _scroll_to(widget: QWidget | None) -> None:
    """The page scrolled so that ``widget`` (a panel low on a long screen) is in the picture."""
    from PySide6.QtWidgets import QApplication, QScrollArea

    scroller = widget.parentWidget() if widget is not None else None
    while scroller is not None and not isinstance(scroller, QScrollArea):
        scroller = scroller.parentWidget()
    if isinstance(scroller, QScrollArea) and widget is not None:
        QApplication.processEvents()  # the panel laid out before it is scrolled to
        scroller.ensureWidgetVisible(widget, 0, 0)


def _wizard(window: MainWindow) -> QWidget:
    from desktop.wizard import FirstRunWizard

    return FirstRunWizard(window)


def _action_dialogs(window: MainWindow, every: bool) -> Iterator[tuple[str, QWidget]]:
    from services.domain.workflow import Action
    from views.cases.actions import ActionDialog

    units = window.services.units()
    for action in Action:
        if action.value in ("register",) or (not every and action.value not in PICTURED_ACTIONS):
            continue
        yield f"action-{action.value}", ActionDialog(action, units, "handling", window)
    from views.cases.reveal_dialog import RevealDialog

    case_id = first_case_id(window)
    if case_id is not None:
        parties = window.services.get_case(case_id).parties
        yield "reveal", RevealDialog(parties, ("id_number", "phone"), window)


def _slip_dialogs(window: MainWindow, every: bool) -> Iterator[tuple[str, QWidget]]:
    slips = window.slips_api
    case_id = first_case_id(window)
    if slips is None or case_id is None:
        return
    for kind in slips.kinds():
        if every or kind.code in PICTURED_SLIPS:
            dialog = window.issue_slip(case_id, kind.code)
            if dialog is not None:
                yield f"slip-{kind.code}", dialog


def _room_dialogs(window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    from views.rooms.dialogs import AgreementDialog, BookingDialog, SeriesDialog
    from views.rooms.session_dialog import SessionDialog
    from views.rooms.setup_dialogs import CentreDialog, MediatorDialog, RoomDialog

    view = window.rooms_view
    if view is None:
        return
    api, runner = view.services, view.runner
    rooms, mediators = api.rooms(), api.mediators()
    now = window.services.now()
    start = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    case_id = first_case_id(window)
    proposal = api.propose_for_case(case_id) if case_id else None
    yield "booking", BookingDialog(api, runner, rooms, mediators, start, "", proposal, window)
    yield "booking-weekly", BookingDialog(api, runner, rooms, mediators, start, "", None, window)
    bookings = api.bookings_between(now.date(), now.date() + dt.timedelta(days=30))
    series = next((b for b in bookings if b.series_id), None)
    if series is not None and series.series_id:
        form = api.series_form(series.series_id)
        yield "series", SeriesDialog(api, runner, rooms, mediators, series.series_id, form,
                                     window)  # fmt: skip
    with_case = next((b for b in bookings if b.case_id), None)
    if with_case is not None:
        yield "session", SessionDialog(api, runner, with_case, mediators, window)
    yield "agreement", AgreementDialog(api, runner, "", window)
    yield "room-add", RoomDialog(api, runner, window)
    yield "room-edit", RoomDialog(api, runner, window, rooms)
    yield "mediator-add", MediatorDialog(api, runner, window)
    yield "mediator-edit", MediatorDialog(api, runner, window, mediators)
    yield "centre", CentreDialog(api, runner, window)


def _signin_dialogs(window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    from desktop.signin import ChangePasswordDialog, LockDialog, SignInDialog
    from services.auth.service import AuthService
    from services.demo.township import DEMO_USERS

    auth, runner = AuthService(window.services.ctx), window.runner
    accounts = [(login, name) for login, name, _role in DEMO_USERS]
    yield "signin", SignInDialog(auth, runner, demo_accounts=accounts, parent=window)
    yield "change-password", ChangePasswordDialog(auth, runner, window)
    yield "lock", LockDialog("刘主任", lambda _p: False, runner, lambda: False, window)


def _settings_dialogs(window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    from views.settings.users import UserDialog

    roles = (("receptionist", "接待员"), ("mediator", "调解员"), ("director", "中心主任"),
             ("admin", "系统管理员"))  # fmt: skip
    yield "user-add", UserDialog(roles, None, window)


def _restore_dialog(window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    """从备份恢复: the demo's backups (one taken now when there is none), the newest checked."""
    from desktop.restore import backup_folder
    from services.backup.service import list_backups, take_backup

    path = window.services.ctx.store.path
    if path is None:
        return
    folder = backup_folder(path, window._settings.backup_folder)  # noqa: SLF001
    if not list_backups(folder):
        take_backup(path, folder, reason="manual")
    dialog = window.make_restore_dialog()
    if dialog is not None:
        dialog.check_selected()  # the newest: 通过, and 恢复… enabled
        yield "restore", dialog


def _identity_dialog(window: MainWindow) -> QWidget:
    """接待登记: an ID number registered to a person of another name (证件号码与登记人员不符),
    between two people of the demo. The service's explanation (Chinese) is left out of the
    picture: it is the service's text, not the dialog's."""
    from sqlalchemy import select

    from services.domain.dto import IdentityConflict
    from services.store.models import Person
    from views.reception.conflict import IdentityConflictDialog

    with window.services.ctx.store.read() as session:
        names = list(session.scalars(select(Person.name).limit(2))) + ["", ""]
    conflict = IdentityConflict(0, "name", "", names[0], names[1], "620123********0012", "")
    return IdentityConflictDialog(conflict, window)


def _crash_dialog(window: MainWindow) -> QWidget:
    from pathlib import Path

    from desktop.diagnostics import CrashDialog
    from desktop.paths import data_dir

    details = "Traceback (most recent call last):\n  …\nRuntimeError: 示例"
    return CrashDialog(Path(data_dir()) / "logs" / "workbench.log", details, window)


def dialogs(window: MainWindow, *, every: bool = False) -> Iterator[tuple[str, QWidget]]:
    """Each dialog, made and filled as the app makes it (not shown; the caller shows it).

    ``every``: all case actions and all slip kinds (tests); otherwise a representative few.
    """
    yield "wizard", _wizard(window)
    yield from _signin_dialogs(window)
    yield "crash", _crash_dialog(window)
    yield from _settings_dialogs(window)
    yield from _restore_dialog(window)
    yield "identity-conflict", _identity_dialog(window)
    yield "shortcuts", window.show_shortcuts()
    yield from _action_dialogs(window, every)
    yield from _slip_dialogs(window, every)
    yield from _room_dialogs(window)


def _settle() -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(5):
        QApplication.processEvents()


def save_all(window: MainWindow, folder: Path) -> list[Path]:
    """Every screen and dialog as ``folder/screen-<key>.png`` and ``folder/dialog-<name>.png``."""
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    window.show()
    for key, shown in screens(window):
        _settle()
        path = folder / f"screen-{key}.png"
        if shown.grab().save(str(path)):
            saved.append(path)
    for name, dialog in dialogs(window):
        dialog.show()
        _settle()
        path = folder / f"dialog-{name}.png"
        if dialog.grab().save(str(path)):
            saved.append(path)
        close(dialog)
    log.info("saved %d screenshots in %s", len(saved), folder)
    return saved


def close(widget: QWidget) -> None:
    if isinstance(widget, QDialog):
        widget.done(0)
    widget.deleteLater()
