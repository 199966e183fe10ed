# Two commands for a new machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

LOCK_OPTS := --quiet --universal --python-version 3.11 --no-header

.PHONY: run test test-slow test-all bench lint lock clean i18n i18n-update bundle bundle-check screenshots

# Installs the pinned versions the tests ran on (requirements-dev.lock, made by `make lock`),
# then the project itself without resolving anything again.
$(STAMP): pyproject.toml requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	$(PY) -m pip install --quiet -e . --no-deps
	$(PY) -m pip check
	touch $(STAMP)

# Interface catalogues: the .ts sources are committed, the .qm files are built from them.
QM := resources/i18n/workbench_zh_CN.qm resources/i18n/workbench_en.qm

resources/i18n/%.qm: resources/i18n/%.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

i18n: $(QM)

# After adding or changing tr() texts: refresh the .ts files (then translate the new entries in
# workbench_en.ts with pyside6-linguist or an editor; tests/desktop/test_i18n.py checks).
i18n-update: $(STAMP)
	$(PY) -m desktop.i18n_catalogue

run: $(STAMP) $(QM)
	$(PY) main.py --demo

# `make test` is the developer's loop (under a minute on 2 cores): every test except those marked
# @pytest.mark.slow (subprocess starts, SIGKILL crash tests, full-size state machines and walk-ins).
# `make test-slow` runs only those; CI (.ci/run) runs both, so every test still runs there.
# `make test-all` is the whole suite in one run.
# PYTHONDONTWRITEBYTECODE (set in some shells and containers) is cleared for pytest: without
# cached bytecode every worker compiles the app and its libraries again (collection ~12 s -> ~5 s).
PYTEST := env -u PYTHONDONTWRITEBYTECODE QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n 2 --dist worksteal

test: $(STAMP) $(QM)
	$(PYTEST) -m "not slow"

test-slow: $(STAMP) $(QM)
	$(PYTEST) -m slow

test-all: $(STAMP) $(QM)
	$(PYTEST)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.run
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.bench_desktop
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.bench_slips
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.bench_rooms
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.bench_sync

lint: $(STAMP)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy --strict services reports
	$(VENV)/bin/mypy services reports hub desktop ui views main.py tests
	$(VENV)/bin/pre-commit validate-config .pre-commit-config.yaml

# After changing dependencies in pyproject.toml: re-pin (keeps existing pins where they still fit;
# add --upgrade to move everything to the newest release), then `make test`.
lock:
	test -x $(VENV)/bin/uv || $(MAKE) $(STAMP)
	$(VENV)/bin/uv pip compile $(LOCK_OPTS) pyproject.toml -o requirements.lock
	$(VENV)/bin/uv pip compile $(LOCK_OPTS) --extra hub pyproject.toml -o requirements-hub.lock
	$(VENV)/bin/uv pip compile $(LOCK_OPTS) --extra dev --extra hub pyproject.toml -o requirements-dev.lock

# One-folder build with PyInstaller (packaging/workbench.spec), then the bundle is started on the
# 2,000-case demo (generated during the start) and renders a screen. CI runs bundle-check below.
bundle: $(STAMP) $(QM)
	$(PY) -m pip install --quiet 'pyinstaller==6.22.3'
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/workbench.spec
	time env QT_QPA_PLATFORM=offscreen dist/ZongzhiWorkbench/ZongzhiWorkbench --demo \
		--db build/bundle-demo.db --screenshot build/bundle-start.png --view ledger
	@echo "bundle: dist/ZongzhiWorkbench (started; build/bundle-start.png)"

# CI's proof that the bundle runs: build, then start it on a small demo made from source (the
# 2,000-case demo would add a minute of generation to the start), render the ledger, check the PNG.
bundle-check: $(STAMP) $(QM)
	$(PY) -m pip install --quiet 'pyinstaller==6.22.3'
	$(PY) -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller packaging/workbench.spec
	rm -f build/bundle-ci.db build/bundle-ci.db-wal build/bundle-ci.db-shm build/bundle-start.png
	$(PY) -c "from services.keys.startup import install_keys; install_keys(demo=True); \
	from services.demo.township import create_demo; from services.setup.township import \
	make_context, open_store; create_demo(make_context(open_store('build/bundle-ci.db')), cases=40)"
	time env QT_QPA_PLATFORM=offscreen dist/ZongzhiWorkbench/ZongzhiWorkbench --demo \
		--db build/bundle-ci.db --screenshot build/bundle-start.png --view ledger
	test -s build/bundle-start.png

# Every screen and dialog at 1366×728, 1920×1040 at 125% and at 150% (the user guide's pictures).
screenshots: $(STAMP)
	$(PY) -m desktop.screenshots docs/screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
