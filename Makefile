# Two commands: `make run` (serve the demo at http://127.0.0.1:5000) and `make test` (the whole suite).
# Both install what is missing on a fresh Debian machine: system packages, the virtualenv, the pins.
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-vie fonts-noto-core fonts-dejavu-core fonts-ocr-b
TEST_SYSTEM_PACKAGES := chromium fonts-noto-mono
HOST ?= 127.0.0.1
PORT ?= 5000
export OMP_THREAD_LIMIT := 1
export FLASK_APP := wsgi
export TEST_DATABASE_URL ?= postgresql://127.0.0.1:5432/test
export TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export PLAYWRIGHT_BROWSERS_PATH := 0
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint setup test-setup system-packages test-system-packages translations translations-update db demo

run: setup db demo
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: test-setup lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Style, import order, naive dates (ruff) and the import rules of the README's layout (import-linter).
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

setup: system-packages $(VENV)/.runtime translations
test-setup: setup test-system-packages $(VENV)/.dev

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing $$missing"; $(SUDO) apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

test-system-packages:
	@missing=$$(for p in $(TEST_SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing $$missing"; $(SUDO) apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: $(VENV)/bin/python requirements.txt constraints.txt
	$(BIN)/pip install -q -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt -c constraints.txt
	touch $@

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d backoffice/translations

db: setup
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask demo seed


# After adding or changing _("...") strings: refresh the template and the English catalogue.
translations-update: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -o backoffice/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i backoffice/translations/messages.pot -d backoffice/translations
