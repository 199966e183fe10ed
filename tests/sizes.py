"""Quick and full sizes for tests whose cost grows with a count (issue 9 part 6).

`make test` is the developer's loop and runs the quick size; the full size carries
``@pytest.mark.slow``, so `make test-slow` runs exactly what ran before, and CI (.ci/run) runs
both. Two ways to use it:

- a property test: ``@sized(quick=8, full=80)`` above its ``@settings``/``@given``; it runs as
  ``[quick]`` with ``quick`` examples and ``[full]`` (slow) with ``full`` examples, every other
  setting of the test kept (tests/conftest.py applies it);
- a loop: ``@pytest.mark.parametrize("size", sizes(quick, full))`` and the test takes ``size``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest

F = TypeVar("F", bound=Callable[..., Any])

MARK = "sized"


def sizes(quick: Any, full: Any) -> list[Any]:
    """``quick`` for `make test`, ``full`` under the slow marker (ids ``quick`` and ``full``)."""
    return [pytest.param(quick, id="quick"), pytest.param(full, id="full", marks=pytest.mark.slow)]


def sized(*, quick: int, full: int) -> Callable[[F], F]:
    """A hypothesis test's example count: ``quick`` in `make test`, ``full`` under slow."""
    if not 0 < quick < full:
        raise ValueError(f"quick ({quick}) must be positive and below full ({full})")

    def mark(test: F) -> F:
        test = pytest.mark.usefixtures("hypothesis_examples")(test)
        return getattr(pytest.mark, MARK)(quick=quick, full=full)(test)

    return mark
