# Parallax: `make run` starts the app on the sample corpus; `make test` runs lint and tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
ALIGN_PRED ?= /tmp/parallax-align-pred

.PHONY: run test lint bench model clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install only when a requirements file changed (stamp files).
$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime-installed
	$(PY) -m qa prepare-model
	$(VENV)/bin/streamlit run app.py --server.headless true --server.port $(PORT) --browser.gatherUsageStats false

test: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

model: $(VENV)/.runtime-installed
	$(PY) -m qa prepare-model

bench: $(VENV)/.dev-installed
	$(PY) bench/encoder.py
	$(PY) bench/align.py --pred-dir $(ALIGN_PRED)
	$(PY) bench/align_errors.py --pred-dir $(ALIGN_PRED)
	$(PY) bench/demetr.py
	$(PY) bench/corpus.py
	$(PY) bench/app_latency.py
	$(PY) bench/batch.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts
