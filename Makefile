# Two commands for a new machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py --demo

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n 2 --dist worksteal

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
	$(VENV)/bin/mypy services reports hub desktop ui views main.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
