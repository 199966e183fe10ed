"""The real ThreadTaskRunner: work off the GUI thread, callbacks on it, db jobs in order."""

from __future__ import annotations

import threading
import time
from functools import partial

from pytestqt.qtbot import QtBot

from ui.tasks import ThreadTaskRunner


def test_db_jobs_run_in_order_off_the_gui_thread_and_report_on_it(qtbot: QtBot) -> None:
    runner = ThreadTaskRunner()
    gui = threading.get_ident()
    ran: list[tuple[int, int]] = []
    done: list[tuple[int, int]] = []

    def job(n: int) -> int:
        time.sleep(0.01 * (5 - n))  # later jobs are quicker: order comes from the serial pool
        ran.append((n, threading.get_ident()))
        return n * n

    busy: list[bool] = []
    runner.busy_changed.connect(busy.append)
    for n in range(5):
        runner.run(partial(job, n), lambda v: done.append((v, threading.get_ident())))
    qtbot.waitUntil(lambda: len(done) == 5, timeout=5000)
    assert [n for n, _ in ran] == [0, 1, 2, 3, 4]
    assert all(thread != gui for _, thread in ran)
    assert done == [(n * n, gui) for n in range(5)]
    assert busy == [True, False]  # once busy for the whole queue, then idle


def test_an_error_goes_to_the_error_callback_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = ThreadTaskRunner()
    errors: list[tuple[BaseException, int]] = []

    def fail() -> None:
        raise KeyError("missing")

    runner.run(fail, lambda _v: None, lambda e: errors.append((e, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    exc, thread = errors[0]
    assert isinstance(exc, KeyError) and thread == threading.get_ident()
    assert exc.__traceback__ is not None  # the worker's traceback travels with it


def test_net_jobs_do_not_wait_behind_a_slow_db_job(qtbot: QtBot) -> None:
    runner = ThreadTaskRunner()
    release = threading.Event()
    order: list[str] = []
    runner.run(lambda: release.wait(5), lambda _v: order.append("db"))

    def net_done(value: str) -> None:
        order.append(value)
        release.set()

    runner.run(lambda: "net", net_done, pool="net")
    qtbot.waitUntil(lambda: len(order) == 2, timeout=5000)
    assert order == ["net", "db"]
    assert runner.wait(5000)
