"""Suite-wide settings: Qt runs offscreen; hypothesis is deterministic."""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.qtcleanup import delete_later_now
from tests.sizes import MARK, sizes

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Every property test draws the same examples on every run and machine (a red run can be run
# again and stays red), keeps no example database in the working tree, and is bounded by its
# max_examples and the suite's timeout rather than a per-example deadline (200 ms by default,
# which a loaded 2-core CI machine misses at random). A test's own @settings still apply.
settings.register_profile("suite", derandomize=True, database=None, deadline=None)
settings.load_profile("suite")
# The app's log file (platformdirs' user_log_dir, also in subprocesses) goes to a throwaway folder.
os.environ.setdefault("XDG_STATE_HOME", tempfile.mkdtemp(prefix="zz-test-state-"))


@pytest.fixture(scope="session", autouse=True)
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Migrate one database per test session; every new store is copied from it."""
    # Personal data is sealed with a data key made for this test session, kept in an in-memory
    # keyring (never keyrings.alt) so code that reads the OS keyring finds the same key.
    import keyring

    from services.auth import passwords
    from services.keys.keyring_store import KEYRING_SERVICE, KEYRING_USER
    from services.store import engine, migrate, sealed
    from services.store.engine import Store
    from tests.memory_keyring import MemoryKeyring

    keys = sealed.KeySet.new()
    sealed.install(keys)
    ring = MemoryKeyring()
    ring.set_password(KEYRING_SERVICE, KEYRING_USER, keys.to_json())
    keyring.set_keyring(ring)

    # Killing a process never loses what the OS was handed; power cuts are not tested here.
    engine.set_synchronous("OFF")
    # Users set up by tests get cheap password hashes (argon2id at 64 KiB, one pass: well under a
    # millisecond instead of ~40 ms); tests/services/auth/test_sign_in.py hashes at the real cost.
    passwords.set_cost(64, 1)

    path = tmp_path_factory.mktemp("template") / "template.db"
    store = Store(path)
    try:
        migrate.upgrade(store.write_engine)
    finally:
        store.dispose()
    migrate.use_template(path)
    yield path
    migrate.use_template(None)
    engine.set_synchronous(engine.DURABLE)
    passwords.set_cost()


@pytest.fixture(autouse=True)
def no_modal_message_boxes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box left modal in a test waits for a click that never comes (one hung CI for 90
    minutes): here it fails the test at once. A test that expects a box replaces these itself, or
    is marked `real_message_box` when it clicks the real one from a timer."""
    if request.node.get_closest_marker("real_message_box"):
        return
    from PySide6.QtWidgets import QMessageBox

    def refuse(*args: object, **kwargs: object) -> object:
        texts = [a for a in args if isinstance(a, str)]
        raise AssertionError(f"a modal message box opened in a test: {texts}")

    for name in ("information", "warning", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))
    monkeypatch.setattr(QMessageBox, "exec", refuse)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """After pytest-qt has closed the test's widgets: destroy them (tests/qtcleanup.py)."""
    result = yield
    delete_later_now()
    return result


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked ``sized`` runs twice: its quick size, and its full size under slow."""
    mark = metafunc.definition.get_closest_marker(MARK)
    if mark is not None:
        params = sizes(mark.kwargs["quick"], mark.kwargs["full"])
        metafunc.parametrize("hypothesis_examples", params, indirect=True)


@pytest.fixture
def hypothesis_examples(request: pytest.FixtureRequest) -> Iterator[int]:
    """The example count of a ``sized`` property test, set on its settings for this run."""
    test = request.function
    own = test._hypothesis_internal_use_settings  # read by hypothesis when the test is called
    test._hypothesis_internal_use_settings = settings(own, max_examples=request.param)
    yield request.param
    test._hypothesis_internal_use_settings = own
