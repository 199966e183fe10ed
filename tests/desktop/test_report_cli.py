"""``python main.py report …``: bad input refused with a Chinese message; empty period: 零报告."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from main import main
from services.setup.township import make_context, open_store, set_up_township

TODAY = dt.date.today()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "wb.db"
    store = open_store(path)
    set_up_township(make_context(store), "青山镇", "620123101000")
    store.dispose()
    return path


@pytest.mark.parametrize(
    ("kind", "period", "message"),
    [
        ("monthly", f"{TODAY.year + 1}-01", "尚未开始"),
        ("daily", (TODAY + dt.timedelta(days=3)).isoformat(), "不能生成未来的报告"),
        ("weekly", "2026-11-20..2026-11-01", "报告期起止日期颠倒"),
        ("monthly", "2026/11", "格式不正确，应写作 2026-11"),
        ("daily", "2026-02-30", "日期“2026-02-30”不存在"),
        ("weekly", "2026-W60", "没有这一周"),
    ],
)
def test_bad_periods_are_refused_with_a_message(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    period: str,
    message: str,
) -> None:
    out = tmp_path / "r.pdf"
    assert main(["report", kind, "--period", period, "--out", str(out), "--db", str(db)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_wrong_output_type_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.docx"
    assert (
        main(["report", "daily", "--period", "2026-11-02", "--out", str(out), "--db", str(db)]) == 2
    )
    assert "应以 .pdf 或 .xlsx 结尾" in capsys.readouterr().err


def test_an_empty_period_prints_a_zero_report(db: Path, tmp_path: Path) -> None:
    pdf, xlsx = tmp_path / "d.pdf", tmp_path / "d.xlsx"
    for out in (pdf, xlsx):
        assert (
            main(["report", "daily", "--period", "2026-11-02", "--out", str(out), "--db", str(db)])
            == 0
        )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert xlsx.read_bytes()[:2] == b"PK"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.read_bytes(), capture_output=True,
                          check=True).stdout.decode("utf-8")  # fmt: skip
    assert "零报告" in "".join(text.split())


def test_a_scheduled_report_is_in_the_audit_log(db: Path, tmp_path: Path) -> None:
    from sqlalchemy import select

    from services.store.models import AuditLog

    out = tmp_path / "m.xlsx"
    assert (
        main(["report", "monthly", "--period", "2026-10", "--out", str(out), "--db", str(db)]) == 0
    )
    store = open_store(db)
    try:
        with store.read() as session:
            rows = session.scalars(select(AuditLog).where(AuditLog.action == "export")).all()
            details = [dict(r.detail) for r in rows]
    finally:
        store.dispose()
    assert details == [
        {"what": "report", "kind": "monthly", "period": "2026-10", "format": "xlsx", "tagged": True}
    ]
