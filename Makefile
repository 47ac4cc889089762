# Two entry points: `make demo` and `make test`. Both build a virtual environment first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# `make test-min`: a second environment with the oldest supported versions, pinned exactly.
VENV_MIN ?= .venv-min
MIN_REQUIREMENTS := requirements/minimum.txt
TORCH_VERSION ?= 2.13.0
# Where the CPU build of torch comes from when no local wheel is configured for pip.
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
PYTEST_ARGS ?=
SPHINXBUILD = $(BIN)/sphinx-build -W --keep-going
# CI stops a documentation build that runs longer than this (GNU timeout syntax).
DOCS_CI_TIMEOUT ?= 40m

.PHONY: demo test test-min docs docs-noplot docs-ci lint bench clean

# Both environments are made by the same two rules; `$*` is the environment's folder.
$(VENV)/bin/python $(VENV_MIN)/bin/python: %/bin/python:
	$(PYTHON) -m venv $*

# An already-installed torch (e.g. a CUDA build you chose) is kept. Otherwise the CPU
# build: a local wheel pip is configured to find, else the CPU index, never the
# multi-GB CUDA build a bare `pip install torch` would pull.
$(VENV)/.torch $(VENV_MIN)/.torch: %/.torch: | %/bin/python
	$*/bin/python -c "import torch" 2>/dev/null \
	  || $*/bin/pip install --no-index --no-deps "torch==$(TORCH_VERSION)" \
	  || $*/bin/pip install --no-deps "torch==$(TORCH_VERSION)" --index-url $(TORCH_CPU_INDEX)
	touch $@

# The minimum environment's torch is the floor pinned in the requirements file.
$(VENV_MIN)/.torch: override TORCH_VERSION = $(shell sed -n 's/^torch==//p' $(MIN_REQUIREMENTS))

$(VENV)/.installed: pyproject.toml $(VENV)/.torch
	$(BIN)/pip install -e ".[dev,docs]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/python examples/demo.py

test: $(VENV)/.installed
	SCIPY_ARRAY_API=1 $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# The pinned minimum versions only (binary wheels, as tested; docopt, which num2words needs,
# exists only as a source archive), the package without
# resolving its dependencies again (`pip check`: the pins satisfy every declared requirement),
# then the fast tests.
$(VENV_MIN)/.installed: $(MIN_REQUIREMENTS) pyproject.toml $(VENV_MIN)/.torch
	$(VENV_MIN)/bin/pip install --only-binary=:all: --no-binary=docopt -r $(MIN_REQUIREMENTS) pytest pytest-xdist hypothesis
	$(VENV_MIN)/bin/pip install --no-deps -e .
	$(VENV_MIN)/bin/pip check
	touch $@

test-min: $(VENV_MIN)/.installed
	SCIPY_ARRAY_API=1 $(VENV_MIN)/bin/python -m pytest -n 2 -m "not slow" $(PYTEST_ARGS)

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
	rm -rf $(VENV) $(VENV_MIN) docs/_build docs/auto_examples docs/generated
