# The commands a newcomer needs. Each sets up .venv on first use (Python 3.11+).
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test lint translations

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

# The translations (README, "Languages"): pyside6-lupdate gathers every marked string of the window and the
# printed checklist into the .ts files (French in full; English, the source, only its plural forms), a
# translator fills in station_fr.ts (Qt Linguist: .venv/bin/pyside6-linguist, or by hand), and
# pyside6-lrelease compiles them to the .qm files the station loads. The .qm files are committed; a test
# fails when one is older than its .ts.
I18N := station/i18n
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -extensions py -locations none -no-obsolete -source-language en_CA -target-language fr_CA station/gui station/report station/core/sayings.py -ts $(I18N)/station_fr.ts
	$(VENV)/bin/pyside6-lupdate -extensions py -locations none -no-obsolete -pluralonly -source-language en_CA -target-language en_CA station/gui station/report station/core/sayings.py -ts $(I18N)/station_en.ts
	$(VENV)/bin/pyside6-lrelease $(I18N)/station_fr.ts -qm $(I18N)/station_fr.qm
	$(VENV)/bin/pyside6-lrelease $(I18N)/station_en.ts -qm $(I18N)/station_en.qm
