"""Dependencies and packaging: the locks match pyproject, the desktop stays off the hub's server
stack, hub.admin stays off the desktop's ORM, and a built wheel runs on its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.memory_keyring import MEMORY_KEYRING

ROOT = Path(__file__).resolve().parents[1]
HUB_ONLY = {"fastapi", "uvicorn", "psycopg", "psycopg-binary", "starlette"}


def _pins(lock: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        spec = line.split("#")[0].strip()
        if not spec:
            continue
        req = Requirement(spec)
        if req.marker is None or req.marker.evaluate():
            (version,) = (s.version for s in req.specifier)
            pins[canonicalize_name(req.name)] = version
    return pins


def _project() -> dict[str, list[Requirement]]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    groups = {"": meta["dependencies"], **meta["optional-dependencies"]}
    return {
        k: [Requirement(r) for r in v if not r.startswith(meta["name"])] for k, v in groups.items()
    }


@pytest.mark.parametrize(
    ("lock", "groups"),
    [("requirements.lock", [""]), ("requirements-hub.lock", ["", "hub"]),
     ("requirements-dev.lock", ["", "hub", "dev"])],
)  # fmt: skip
def test_each_lock_pins_every_dependency_within_its_range(lock: str, groups: list[str]) -> None:
    pins = _pins(lock)
    for group in groups:
        for req in _project()[group]:
            if req.marker is not None and not req.marker.evaluate():
                continue
            name = canonicalize_name(req.name)
            assert name in pins, f"{lock} lacks {name}: run make lock"
            assert req.specifier.contains(pins[name], prereleases=True), (lock, name, pins[name])


def test_the_desktop_lock_has_no_server_packages() -> None:
    assert HUB_ONLY.isdisjoint(_pins("requirements.lock"))
    assert {"fastapi", "uvicorn", "psycopg"} <= set(_pins("requirements-hub.lock"))


def test_the_venv_runs_the_locked_versions() -> None:
    from importlib.metadata import distributions

    installed: dict[str, str] = {
        canonicalize_name(d.metadata["Name"]): d.version for d in distributions()
    }
    pins = _pins("requirements-dev.lock")
    drift = {n: (v, installed.get(n)) for n, v in pins.items() if installed.get(n) != v}
    assert not drift, f"venv differs from requirements-dev.lock (make .venv/.installed): {drift}"


def _run(code: str, *args: str, cwd: Path = ROOT) -> str:
    # A start opens the data key from the OS keyring; headless Linux has none, so the child gets
    # the tests' in-memory backend (keyring's own PYTHON_KEYRING_BACKEND, nothing in the product).
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": MEMORY_KEYRING}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         cwd=cwd, env=env, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


@pytest.mark.slow  # a subprocess start or a whole-app walk: see CONTRIBUTING
def test_the_desktop_never_imports_the_hub_server_stack(tmp_path: Path) -> None:
    """Every desktop module imported, and a whole start (screenshot mode) run, in one process."""
    from services.setup.township import make_context, open_store, set_up_township

    ctx = make_context(open_store(tmp_path / "t.db"))
    set_up_township(ctx, "青山镇", "620123101000")
    ctx.store.dispose()
    code = (
        "import importlib, pkgutil, runpy, sys\n"
        "for top in ('desktop', 'views', 'ui', 'reports', 'services'):\n"
        "    pkg = importlib.import_module(top)\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, top + '.'):\n"
        "        if '.migrations' not in m.name:\n"
        "            importlib.import_module(m.name)\n"
        "sys.argv = ['main.py', '--db', sys.argv[1], '--screenshot', sys.argv[2]]\n"
        "try:\n"
        "    runpy.run_path('main.py', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[3:])))\n"
    )
    hub = ["fastapi", "uvicorn", "psycopg", "starlette", "hub"]
    assert _run(code, str(tmp_path / "t.db"), str(tmp_path / "s.png"), *hub) == "[]"


def test_hub_admin_does_not_load_the_desktop_orm() -> None:
    code = (
        "import sys, hub.admin, hub.cli\n"
        "hub.admin.validate_township_code('620123101000')\n"
        "print(sorted(m for m in sys.modules if m.startswith(('services.store', 'services.context',"
        " 'PySide6'))))"
    )
    assert _run(code) == "[]"


def _call(*cmd: str, cwd: Path = ROOT) -> str:
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.mark.slow
def test_a_built_wheel_migrates_a_store_and_loads_the_shipped_data(tmp_path: Path) -> None:
    """Build a wheel, install it into a fresh venv (the locked packages come from this venv's
    site-packages, read-only), and use it from outside the source tree."""
    wheels, venv, source = tmp_path / "dist", tmp_path / "venv", tmp_path / "source"
    junk = shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__", "tests")
    shutil.copytree(ROOT, source, ignore=junk)  # a clean tree: no stale build/ from earlier runs
    pip = [sys.executable, "-m", "pip"]
    _call(*pip, "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(source))
    (wheel,) = wheels.glob("zongzhi_workbench-*.whl")
    _call(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = str(venv / "bin" / "python")
    _call(*pip, "--python", python, "install", "--quiet", "--no-deps", str(wheel))
    purelib = _call(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    (Path(purelib) / "locked.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import services, desktop.fonts, reports.fonts\n"
        "from services.setup.township import make_context, open_store\n"
        "from services.slips.kinds import load_catalogue\n"
        "from services.store.migrate import MIGRATIONS_DIR, current_revision, head_revision\n"
        "from hub.db import HubDB\n"
        "assert services.__file__.startswith(sys.prefix), services.__file__\n"
        "store = open_store(Path(sys.argv[1]) / 'w.db')\n"
        "ctx = make_context(store)\n"
        "assert current_revision(store.write_engine) == head_revision()\n"
        "assert (MIGRATIONS_DIR / 'script.py.mako').is_file()\n"
        "HubDB('sqlite:///' + sys.argv[1] + '/hub.db')\n"
        "fonts = sorted(p.name for p in desktop.fonts.RESOURCES.glob('*.ttc'))\n"
        "assert fonts == sorted(p.name for p in Path(reports.fonts.BUNDLED_DIR).glob('*.ttc'))\n"
        "print(len(ctx.reference.categories), len(load_catalogue().kinds), fonts)\n"
    )
    out = _call(python, "-c", code, str(tmp_path), cwd=tmp_path)
    categories, kinds, fonts = out.split(" ", 2)
    assert int(categories) > 50 and int(kinds) >= 6 and "wqy-microhei.ttc" in fonts
