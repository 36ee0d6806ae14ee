# Two commands do all the set-up on a fresh machine (Python >= 3.11 and make):
#   make demo   - create .venv, install hbkit, run the annual monitoring on the shipped example
#   make test   - create .venv, install hbkit with the dev extra, run ruff, mypy and every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: demo test lint bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(STAMP_RUN)

demo: $(STAMP_RUN)
	MPLBACKEND=Agg $(BIN)/python -m hbkit.demo

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/mypy hbkit

test: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/mypy hbkit
	MPLBACKEND=Agg $(BIN)/python -m pytest -q

bench: $(STAMP_DEV)
	$(BIN)/python benchmarks/bench_scale.py
	$(BIN)/python benchmarks/bench_backtest.py
	$(BIN)/python benchmarks/bench_warning_power.py
	$(BIN)/python benchmarks/bench_far_from_trend.py

docs: $(STAMP_DEV)
	$(BIN)/python scripts/make_catalogue_doc.py
	$(BIN)/python scripts/make_json_schema.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache reports
