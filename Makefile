# The commands a newcomer needs. Each sets up .venv on first use (Python 3.11+).
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test,lint]'
	touch $(STAMP)

ARGS ?= --demo

run: $(STAMP)
	$(VENV)/bin/station $(ARGS)

# PYTEST_ARGS="-m 'not slow'" leaves out the kill runs and the long fuzz for a fast loop.
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/python -m pytest -q $(PYTEST_ARGS)

# ruff, then mypy (its files and settings are in pyproject.toml); mypy runs even when ruff found
# something, so one run shows every problem, and the target fails if either did.
lint: $(STAMP)
	$(VENV)/bin/ruff check station tests bench; status=$$?; $(VENV)/bin/mypy || status=1; exit $$status
