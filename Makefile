# Two entry points: `make demo` and `make test`. Both build a virtual environment first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TORCH_VERSION ?= 2.13.0
# Where the CPU build of torch comes from when no local wheel is configured for pip.
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
PYTEST_ARGS ?=
SPHINXBUILD = $(BIN)/sphinx-build -W --keep-going
# CI stops a documentation build that runs longer than this (GNU timeout syntax).
DOCS_CI_TIMEOUT ?= 40m

.PHONY: demo test docs docs-noplot docs-ci lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# An already-installed torch (e.g. a CUDA build you chose) is kept. Otherwise the CPU
# build: a local wheel pip is configured to find, else the CPU index, never the
# multi-GB CUDA build a bare `pip install torch` would pull.
$(VENV)/.torch: | $(BIN)/python
	$(BIN)/python -c "import torch" 2>/dev/null \
	  || $(BIN)/pip install --no-index --no-deps "torch==$(TORCH_VERSION)" \
	  || $(BIN)/pip install --no-deps "torch==$(TORCH_VERSION)" --index-url $(TORCH_CPU_INDEX)
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.torch
	$(BIN)/pip install -e ".[dev,docs]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/python examples/demo.py

test: $(VENV)/.installed
	SCIPY_ARRAY_API=1 $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# The documentation, warnings as errors. `docs` runs every example of the gallery
# (sphinx-gallery re-runs only examples whose file changed since the last build);
# `docs-noplot` builds the same pages without running any, to check the text quickly.
docs: $(VENV)/.installed
	$(SPHINXBUILD) -b html docs docs/_build/html

docs-noplot: $(VENV)/.installed
	$(SPHINXBUILD) -D plot_gallery=0 -b html docs docs/_build/html

# CI: the complete site from scratch, every example executed, within a time limit.
docs-ci: $(VENV)/.installed
	rm -rf docs/_build docs/auto_examples docs/generated docs/sg_execution_times.rst
	timeout $(DOCS_CI_TIMEOUT) $(SPHINXBUILD) -b html docs docs/_build/html
	@grep -h "total execution time" docs/sg_execution_times.rst | sed 's/\*//g'

lint: $(VENV)/.installed
	$(BIN)/ruff check .

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_training_overhead.py

clean:
	rm -rf $(VENV) docs/_build docs/auto_examples docs/generated
