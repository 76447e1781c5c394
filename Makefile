# Parallax: `make run` starts the app on the sample corpus; `make test` runs lint and tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# the address the app listens on: this machine only by default; HOST=0.0.0.0 opens it to the network, and the
# app then asks for a password (users in .streamlit/secrets.toml, see README "Deployment and sign-in")
HOST ?= 127.0.0.1
ALIGN_PRED ?= /tmp/parallax-align-pred

.PHONY: run test lint bench model clean wordnet

# English WordNet 3.0 (qa/wordnet.py): Debian packages, installed when missing (sudo when not root).
WORDNET_DIR ?= /usr/share/wordnet
wordnet:
	@if [ ! -f $(WORDNET_DIR)/index.sense ] || [ ! -f $(WORDNET_DIR)/data.noun ]; then \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO="sudo -n"; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wordnet-base wordnet-sense-index >/dev/null; \
	fi

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

# The project itself, editable, so the `parallax` command works from any folder.
$(VENV)/.project-installed: pyproject.toml $(VENV)/.runtime-installed
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

run: $(VENV)/.project-installed wordnet
	$(PY) -m qa prepare-model
	$(VENV)/bin/streamlit run app.py --server.headless true --server.address $(HOST) --server.port $(PORT) --browser.gatherUsageStats false

test: $(VENV)/.dev-installed wordnet
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

model: $(VENV)/.runtime-installed
	$(PY) -m qa prepare-model

bench: $(VENV)/.dev-installed wordnet
	$(PY) bench/encoder.py
	$(PY) bench/align.py --pred-dir $(ALIGN_PRED)
	$(PY) bench/align_errors.py --pred-dir $(ALIGN_PRED)
	$(PY) bench/demetr.py
	$(PY) bench/corpus.py
	$(PY) bench/spin.py
	$(PY) bench/messy.py
	$(PY) bench/synthetic.py
	$(PY) bench/multilingual.py
	$(PY) bench/app_latency.py
	$(PY) bench/hostile.py
	$(PY) bench/batch.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts
