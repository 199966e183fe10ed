"""tests/sizes.py: a sized property test runs its quick count in `make test` and its full count
(the count it had before it was sized) only under the slow marker, which CI runs."""

from __future__ import annotations

import pytest

from tests.sizes import sized, sizes

pytest_plugins = ["pytester"]

SIZED_TEST = """
from pathlib import Path
from hypothesis import given, settings, strategies as st
from tests.sizes import sized

@sized(quick=3, full=7)
@settings(max_examples=50, database=None, derandomize=True)
@given(st.integers())
def test_counted(n):
    with Path("runs.txt").open("a") as f:
        f.write("x")
"""


@pytest.mark.parametrize(("marks", "runs"), [("not slow", 3), ("slow", 7)])
def test_a_sized_property_runs_its_quick_count_unless_slow(
    pytester: pytest.Pytester, marks: str, runs: int
) -> None:
    pytester.makeconftest("from tests.conftest import hypothesis_examples, pytest_generate_tests\n")
    pytester.makeini("[pytest]\nmarkers =\n    slow: slow\n    sized: sized\n")
    pytester.makepyfile(test_counted=SIZED_TEST)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-m", marks, "-p", "no:xdist")
    result.assert_outcomes(passed=1, deselected=1)
    assert (pytester.path / "runs.txt").read_text() == "x" * runs
    wanted = "full" if marks == "slow" else "quick"
    assert f"test_counted[{wanted}]" in "".join(r.nodeid for r in result.reprec.getreports())  # type: ignore[attr-defined]


def test_the_full_size_is_marked_slow_and_the_quick_one_is_not() -> None:
    quick, full = sizes(10, 40)
    assert (quick.values, quick.id, quick.marks) == ((10,), "quick", ())
    assert (full.values, full.id, [m.name for m in full.marks]) == ((40,), "full", ["slow"])
    with pytest.raises(ValueError):
        sized(quick=40, full=40)
