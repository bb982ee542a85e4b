# Two commands do everything on a fresh machine with python3: `make serve` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: serve test setup translations bench

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

serve: setup
	$(FLASK) db upgrade
	$(FLASK) demo
	@echo "Eventsite is starting on http://$(HOST):$(PORT), with a job worker that sends e-mail and reminders"
	SERVER_NAME=$(HOST):$(PORT) $(FLASK) jobs worker --threads 1 --quiet & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -w 120 -o eventsite/translations/messages.pot .
	$(BIN)/pybabel update -i eventsite/translations/messages.pot -d eventsite/translations -w 120 --no-fuzzy-matching
	$(BIN)/pybabel compile -d eventsite/translations

bench: setup
	$(BIN)/python bench/forum_bench.py
