"""The layering contracts hold, and they fail when a circle or an upward import comes back."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("services", "desktop", "views", "ui", "reports", "hub")
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("arch")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "resources", "migrations")
    for name in PACKAGES:
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_contracts_hold_on_the_real_tree(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # An upward import: the domain reaching into a use case.
        ("services/domain/_upward.py", "import services.cases.events\n", "capability packages"),
        # The case core reaching up into a capability that uses it.
        ("services/cases/_circle.py", "import services.reception.registration\n", "capability"),
        # A helper importing its service back (the old rooms <-> room_records circle).
        ("services/rooms/_back.py", "import services.rooms.service\n", "import cycles"),
        # A screen importing another screen.
        ("views/rooms/_peek.py", "import views.slips.api\n", "Screens never import each other"),
        # A document builder reaching for the ORM.
        ("reports/_orm.py", "import services.store.models\n", "reports sees only DTOs"),
    ],
)
def test_an_injected_violation_is_caught(tree: Path, module: str, line: str, contract: str) -> None:
    path = tree / module
    path.write_text(line, encoding="utf-8")
    extra: Path | None = None
    if module.startswith("services/rooms/"):
        # Make the back import a real cycle: the service imports the helper too.
        extra = tree / "services/rooms/service.py"
        original = extra.read_text(encoding="utf-8")
        extra.write_text(original + "\nimport services.rooms._back  # noqa\n", encoding="utf-8")
    try:
        result = _lint(tree)
    finally:
        path.unlink()
        if extra is not None:
            extra.write_text(original, encoding="utf-8")
    assert result.returncode != 0, result.stdout
    broken = [ln for ln in result.stdout.splitlines() if ln.endswith("BROKEN")]
    assert any(contract in ln for ln in broken), result.stdout
