"""`make test` leaves out the tests marked slow; CI must still run them (issue 9 part 6)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _recipe(makefile: str, target: str) -> str:
    """The recipe lines (tab-indented) under `target:` in the Makefile, variables expanded."""
    variables = dict(re.findall(r"^(\w+) :?= (.*)$", makefile, re.MULTILINE))
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert match, f"no `{target}` target in the Makefile"
    recipe = match.group(1)
    for _ in range(3):
        recipe = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), recipe)
    return recipe


def _ci_make_targets(script: str) -> set[str]:
    lines = [line.split("#")[0].strip() for line in script.splitlines()]
    return {t for line in lines if line.startswith("make ") for t in line.split()[1:]}


def test_ci_runs_the_slow_tests_that_make_test_leaves_out() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    ci = _ci_make_targets((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    quick, slow, everything = (_recipe(makefile, t) for t in ("test", "test-slow", "test-all"))
    assert "-m pytest" in quick and '-m "not slow"' in quick
    assert "-m pytest" in slow and re.search(r"-m slow\b", slow)
    assert "-m pytest" in everything and " -m " not in everything.split("-m pytest", 1)[1]
    # Every test runs in CI: either the whole suite, or the quick loop and the slow set.
    assert "test-all" in ci or {"test", "test-slow"} <= ci, ci


def test_the_slow_marker_is_registered() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = pyproject["tool"]["pytest"]["ini_options"]["markers"]
    assert any(m.startswith("slow:") for m in markers)
    assert "--strict-markers" in pyproject["tool"]["pytest"]["ini_options"]["addopts"]


def test_pytest_runs_may_write_bytecode() -> None:
    """PYTHONDONTWRITEBYTECODE in the caller's environment made every worker compile the app and
    its libraries on every run (collection 11.85 s -> 5.21 s per worker once cleared)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("test", "test-slow", "test-all"):
        recipe = _recipe(makefile, target)
        before_pytest = recipe.split("-m pytest", 1)[0]
        cleared = r"env -u PYTHONDONTWRITEBYTECODE\b|PYTHONDONTWRITEBYTECODE= "
        assert re.search(cleared, before_pytest), (target, recipe)
