# Two commands for newcomers (see README): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# `make test` runs pytest in this many processes (pytest-xdist; 0: in one process).
# Each has its own test database (pytest-django) and cache key prefix
# (newsroom/settings_test.py); --dist loadscope keeps a module's tests (a test class's)
# on one process, so each browser module starts one Chromium. Two suit two cores: a
# third process only waits for a core (and the browser tests start Chromium besides).
PYTEST_WORKERS ?= 2

.PHONY: run test lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  newsroom is starting on http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@echo "  Admin: http://127.0.0.1:$(PORT)/admin/ (editor login printed above)"
	@echo ""
	@# The web server and the background worker (e-mail, search indexing), as one command.
	$(BIN)/python -m core.supervisor \
		"$(BIN)/python -m newsroom.serve --bind 127.0.0.1:$(PORT)" \
		"$(BIN)/python manage.py worker"

test: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	@# The deployment tests boot the production settings, which serve the collected files.
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
