# Lectio: `make run` serves the demo on SQLite; `make test` runs every check.
# Needs only Python 3.10+ and make: everything else is installed into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `check --deploy` must judge the production settings, so it gets a throwaway key.
DEPLOY_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=deploy-check-$(shell date +%s)-not-a-real-secret-value-0123456789abcdef DJANGO_ALLOWED_HOSTS=lectio.example.org

.PHONY: run test install install-dev lint advisories-check migrations-check deploy-check test-sqlite test-postgres test-browser bench clean

# The pip and setuptools a new venv starts with are old enough to have published advisories
# (advisories-check fails on them), so both are upgraded on every install.
UPGRADE_TOOLS := $(BIN)/python -m pip install --quiet --upgrade pip setuptools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(UPGRADE_TOOLS)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(UPGRADE_TOOLS)
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(UPGRADE_TOOLS)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py createcachetable
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install-dev
	$(BIN)/ruff check .

# Installed versions against the offline advisory copy (tools/advisories.py says where it looks).
advisories-check: install-dev
	$(BIN)/python -m tools.advisories

migrations-check: install-dev
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

deploy-check: install-dev
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

# SQLite always; PostgreSQL again when DATABASE_URL is set; then the browser tests.
test-sqlite: install-dev
	env -u DATABASE_URL $(BIN)/python -m pytest -m "not browser" -p no:cacheprovider

test-postgres: install-dev
	@if [ -n "$$DATABASE_URL" ]; then \
		$(BIN)/python -m pytest -m "not browser" -p no:cacheprovider; \
	else \
		echo "DATABASE_URL is not set: skipping the PostgreSQL run (.ci/run sets it)."; \
	fi

test-browser: install-dev
	$(BIN)/python -m pytest -m browser -p no:cacheprovider

test: lint advisories-check migrations-check deploy-check test-sqlite test-postgres test-browser

bench: install-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) staticfiles var db.sqlite3 db.sqlite3-wal db.sqlite3-shm
