"""A PC killed with SIGKILL in the middle of a pull page (issue 10/13): the page applies new case
rows with the daily tally's insert trigger dropped and re-created inside its own transaction. A kill
between the two must leave the trigger in place (SQLite DDL is transactional), the tally exact, the
file sound, and the next pull must finish the job."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from services.setup.township import set_up_township
from services.store import sealed
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc, make_pc
from tests.killed import REPO, kill_when

# The pulling PC in its own process, held still right after the page dropped a trigger.
PULLER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from services.store import sealed
sealed.install(sealed.KeySet.from_json({keys!r}))
import services.sync.pull as pull
from tests.hub.harness import InProcessHub, make_pc

real_insert = pull._insert_cases

def held_insert(session, table, shapes):
    execute = session.execute
    def spy(statement, *args, **kwargs):
        result = execute(statement, *args, **kwargs)
        if str(statement).lstrip().upper().startswith("DROP TRIGGER"):
            print("dropped", flush=True)
            time.sleep(120)
        return result
    session.execute = spy
    try:
        return real_insert(session, table, shapes)
    finally:
        del session.execute

pull._insert_cases = held_insert
hub = InProcessHub({hub_url!r})
pc = make_pc(Path({folder!r}), "county", {token!r}, hub.transport)
print("ready", flush=True)
pc.sync.sync_now()
print("finished", flush=True)
"""


def _schema_objects(path: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'index', 'table')"
        ).fetchall()
    return {(str(t), str(n)) for t, n in rows}


@pytest.mark.slow  # a subprocess start (see CONTRIBUTING)
def test_a_pc_killed_mid_pull_keeps_its_triggers_and_an_exact_tally(
    tmp_path: Path, hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    a1 = pcs("a1", hub.token("青山镇接待1", TOWNSHIP_A).token)
    set_up_township(a1.ctx, TOWNSHIP_A[1], TOWNSHIP_A[0])
    made = {a1.register(summary=f"第{i}起邻里纠纷，要求调解") for i in range(12)}
    assert a1.sync.sync_now().status.pending == 0

    county_token = hub.token("县综治中心").token
    keys = sealed.installed()
    assert keys is not None
    hub_url = str(hub.db.engine.url)
    folder = tmp_path / "county-pc"
    folder.mkdir()
    script = PULLER.format(repo=str(REPO), keys=keys.to_json(), hub_url=hub_url,
                           folder=str(folder), token=county_token)  # fmt: skip
    said = kill_when(script, lambda said: said[-1] in ("dropped", "finished")).said
    assert said[-1] == "dropped", said  # killed inside the page, between DROP and CREATE

    db = folder / "county.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # Every trigger, index and table the migrations made is there, as on the township PC.
    assert _schema_objects(db) == _schema_objects(tmp_path / "a1.db")

    county = pcs_reopen(folder, county_token, hub)
    try:
        assert county.tally_mismatches() == {}  # nothing half-counted survived the kill
        county.sync.sync_now()
        assert made <= county.case_ids()
        assert county.case_ids() == a1.case_ids()
        assert county.tally_mismatches() == {}
        assert _schema_objects(db) == _schema_objects(tmp_path / "a1.db")
    finally:
        county.close()


def pcs_reopen(folder: Path, token: str, hub: InProcessHub) -> Pc:
    """The killed PC opened again, as the clerk restarting the app would."""
    return make_pc(folder, "county", token, hub.transport)
