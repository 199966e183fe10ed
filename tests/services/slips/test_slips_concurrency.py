"""Slip numbers are never handed out twice, across threads and across processes."""

from __future__ import annotations

import hashlib
import multiprocessing
import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.reception.registration import register_walk_in
from services.setup.township import make_context, open_store
from services.slips.dto import IssueRequest, RenderedPdf, RenderOptions, SlipDocument
from services.slips.service import SlipService
from services.store import sealed
from tests.services.conftest import NOW

PER_WORKER = 12
NUMBER_RE = re.compile(r"青综治受〔2026〕(\d+)号")


def _render(doc: SlipDocument, options: RenderOptions) -> RenderedPdf:
    data = doc.number.encode()
    return RenderedPdf(data, hashlib.sha256(data).hexdigest(), 1)


def _issue_many(db_path: str, case_id: str, count: int, keys: str) -> list[str]:
    """Worker: open the same database file and issue ``count`` slips."""
    sealed.install(sealed.KeySet.from_json(keys))  # a spawned process: the county's data key
    store = open_store(db_path)
    try:
        ctx = make_context(store)
        ctx.now = lambda: NOW
        slips = SlipService(ctx, _render)
        request = IssueRequest(case_id, "acceptance", {"handler": "王接待"})
        return [slips.issue(request).slip.number for _ in range(count)]
    finally:
        store.dispose()


def _check(numbers: list[str], expected: int) -> None:
    assert len(numbers) == expected
    assert len(set(numbers)) == expected, "a slip number was handed out twice"
    seqs = sorted(int(m.group(1)) for n in numbers if (m := NUMBER_RE.fullmatch(n)))
    assert seqs == list(range(1, expected + 1))


@pytest.mark.slow
def test_processes_never_share_a_number(
    ctx: ServiceContext, db_path: Path, walk_in: Callable[..., WalkInInput]
) -> None:
    case_id = register_walk_in(ctx, walk_in()).case_id
    workers = 4
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        keys = sealed.installed()
        assert keys is not None
        args = (str(db_path), case_id, PER_WORKER, keys.to_json())
        results = pool.starmap(_issue_many, [args] * workers)
    _check([n for batch in results for n in batch], workers * PER_WORKER)


def test_threads_never_share_a_number(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    case_id = register_walk_in(ctx, walk_in()).case_id
    slips = SlipService(ctx, _render)
    numbers: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(PER_WORKER):
            number = slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"}))
            with lock:
                numbers.append(number.slip.number)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _check(numbers, 4 * PER_WORKER)
