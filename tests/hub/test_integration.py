"""A real hub under uvicorn on 127.0.0.1 (PostgreSQL when reachable, else SQLite).

Two township PCs and a county PC converge; the hub is killed with SIGKILL and restarted; TLS with
the county's own CA bundle works and an untrusted certificate is a visible, retrying state.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hub import admin
from hub.db import HubDB
from services.cases.actions import perform
from services.domain.errors import OfflineError
from services.sync.client import HubConfig
from services.sync.county import supervise
from tests.hub.harness import (
    TOWNSHIP_A,
    TOWNSHIP_B,
    Pc,
    free_port,
    fresh_hub_url,
    make_pc,
    postgres_available,
)

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
USE_PG = postgres_available()


class RealHub:
    """``python -m hub`` in a child process."""

    def __init__(self, url: str, port: int, tls: tuple[Path, Path] | None = None) -> None:
        self.url, self.port, self.tls = url, port, tls
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> None:
        args = [
            sys.executable,
            "-m",
            "hub",
            "--db",
            self.url,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        if self.tls:
            args += ["--certfile", str(self.tls[0]), "--keyfile", str(self.tls[1])]
        self.proc = subprocess.Popen(
            args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"hub exited: {err}")
            try:
                import ssl

                ctx = ssl.create_default_context(cafile=str(self.tls[0])) if self.tls else True
                if httpx.get(self.base + "/v1/health", verify=ctx, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("hub did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
            if self.proc.stderr:
                self.proc.stderr.close()


@pytest.fixture
def hub_url(tmp_path: Path) -> Iterator[str]:
    with fresh_hub_url(tmp_path, postgres=USE_PG) as url:
        yield url


@pytest.mark.slow  # a real hub process started twice and SIGKILLed (5.5 s at load 4)
def test_real_hub_pcs_converge_and_survive_sigkill(tmp_path: Path, hub_url: str) -> None:
    db = HubDB(hub_url)
    tokens = {
        "a1": admin.issue_token(
            db, "A1", township_code=TOWNSHIP_A[0], township_name=TOWNSHIP_A[1]
        ).token,
        "a2": admin.issue_token(db, "A2", township_code=TOWNSHIP_A[0]).token,
        "b1": admin.issue_token(
            db, "B1", township_code=TOWNSHIP_B[0], township_name=TOWNSHIP_B[1]
        ).token,
        "county": admin.issue_token(db, "县", county=True).token,
    }
    db.dispose()
    hub = RealHub(hub_url, free_port())
    hub.start()
    pcs: dict[str, Pc] = {}
    try:
        for name, token in tokens.items():
            pcs[name] = make_pc(
                tmp_path,
                name,
                token,
                None,  # type: ignore[arg-type]
                config=HubConfig(hub.base, timeout=5),
            )
            pcs[name].sync.sync_now()
        a1, a2, b1, county = pcs["a1"], pcs["a2"], pcs["b1"], pcs["county"]
        one, two = a1.register(), b1.register("柳河乡：山林权属纠纷")
        for pc in (a1, b1, a2, county):
            pc.sync.sync_now()
        supervise(county.ctx, one, "red", "红色督办")
        county.sync.sync_now()
        hub.kill()  # SIGKILL: no shutdown, no goodbye
        perform(a2.ctx, one, "pause_clock", {"reason": "等待鉴定"})
        with pytest.raises(OfflineError):
            a2.sync.sync_now()
        assert a2.sync.status().state == "offline" and a2.pending() > 0
        hub.start()
        for pc in (a2, a1, b1, county, a1):
            pc.sync.sync_now()
        assert a1.cases() == a2.cases() and one in a1.case_ids() and two not in a1.case_ids()
        county_view = county.cases()
        assert county_view[one] == a1.cases()[one] and county_view[two] == b1.cases()[two]
        assert a1.event_ids() == a2.event_ids()
    finally:
        hub.kill()
        for pc in pcs.values():
            pc.close()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl CLI not installed")
def test_tls_with_the_county_ca_bundle(tmp_path: Path, hub_url: str) -> None:
    cert, key = tmp_path / "hub.pem", tmp_path / "hub.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "OPENSSL_CONF": "/dev/null"},
    )
    db = HubDB(hub_url)
    token = admin.issue_token(
        db, "A1", township_code=TOWNSHIP_A[0], township_name=TOWNSHIP_A[1]
    ).token
    db.dispose()
    hub = RealHub(hub_url, free_port(), tls=(cert, key))
    hub.start()
    try:
        trusted = make_pc(
            tmp_path,
            "a1",
            token,
            None,  # type: ignore[arg-type]
            config=HubConfig(hub.base, ca_bundle=str(cert), timeout=5),
        )
        trusted.sync.sync_now()
        trusted.register()
        assert trusted.sync.sync_now().pushed > 0
        stranger = make_pc(
            tmp_path,
            "a2",
            token,
            None,  # type: ignore[arg-type]
            config=HubConfig(hub.base, timeout=5),
        )
        with pytest.raises(OfflineError) as caught:
            stranger.sync.sync_now()
        assert caught.value.code == "sync.certificate"
        assert stranger.sync.status().state == "offline"
        trusted.close()
        stranger.close()
    finally:
        hub.kill()
