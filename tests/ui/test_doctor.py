"""`govrag doctor` as a user runs it: exit 0 when everything needed works, else one line per problem and exit 1."""
from __future__ import annotations

import hashlib
import re

import pytest

from rag.llm import bundled_model_file
from tests.conftest import govrag

pytestmark = pytest.mark.slow


def test_doctor_on_a_working_install_names_what_runs(full_index):
    done = govrag("doctor", data_dir=full_index.data_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = {line.split()[1]: line for line in done.stdout.splitlines() if line.startswith("ok")}
    assert set(lines) >= {"python", "cpu", "model", "llama.cpp", "engine", "embedder", "index", "disk"}
    assert "llama.cpp answers (checked in a child process" in lines["engine"]
    assert "runs with: CPU : " in lines["engine"]  # llama.cpp's own banner of the CPU features it uses
    digest = hashlib.sha256(bundled_model_file().read_bytes()).hexdigest()
    assert digest in lines["model"]
    assert re.search(r"collection 'govrag': 1668 nodes, embedder all-MiniLM-L6-v2 .*last ingest 20\d\d-", lines["index"])
    assert done.stdout.rstrip().endswith("Everything govrag needs works here.")


def test_doctor_on_a_fresh_install_without_an_index_passes_and_says_how_to_build_one(tmp_path):
    done = govrag("doctor", data_dir=tmp_path / "nothing-here")
    assert done.returncode == 0, done.stdout  # nothing is broken: the index is the next step, not a fault
    assert f"todo     index        embedded Chroma at {tmp_path / 'nothing-here' / 'chroma'}: not built yet" \
        in done.stdout
    assert (f"To do: index: no index at {tmp_path / 'nothing-here' / 'chroma'}; build it first with "
            "`govrag ingest`") in done.stdout
    assert "PROBLEM" not in done.stdout


def test_doctor_with_a_llama_cpp_that_segfaults_names_the_fix_and_what_runs_instead(full_index, crashing_llama_cpp,
                                                                                   monkeypatch):
    monkeypatch.setenv("STAND_IN_CRASH_ALWAYS", "1")
    done = govrag("doctor", data_dir=full_index.data_dir)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "PROBLEM  engine       llama.cpp: the llama.cpp engine process died with SIGSEGV" in done.stdout
    assert "- engine: llama.cpp fails here; fix: rebuild llama.cpp for this CPU with `make llama`" in done.stdout
    assert "ok       engine       transformers answers" in done.stdout
