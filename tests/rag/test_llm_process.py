"""Local engines in a worker process: real native crashes (a segfault through ctypes, SIGKILL, SIGSEGV) end one
answer, never the caller; the worker is restarted; an engine that fails its start check gives way to the next.

The crashing engine is a stand-in `llama_cpp` package put first on the worker's PYTHONPATH: it streams a few
words, then dereferences address 0 — the same death a llama.cpp build for the wrong CPU dies (issue 12)."""
from __future__ import annotations

import dataclasses
import os
import re
import signal
import textwrap
import threading
import time
from pathlib import Path

import pytest

from rag.config import LLMConfig
from rag.llm_process import EngineCrashed, EngineError, EngineProcess, IsolatedChatModel, death
from tests.conftest import process_info

QUESTION = [{"role": "user", "content": "What is the OECD?"}]
CRASH = [{"role": "user", "content": "please crash now"}]


def test_death_names_the_signal_and_its_likely_cause():
    assert death(-signal.SIGSEGV) == "died with SIGSEGV (a crash inside the native library)"
    assert death(-signal.SIGILL) == "died with SIGILL (an instruction this CPU lacks)"
    assert "out of memory" in death(-signal.SIGKILL)
    assert death(3) == "exited with status 3"


def test_a_segfault_mid_answer_ends_that_answer_and_the_next_one_is_answered(crashing_llama_cpp):
    model = IsolatedChatModel(LLMConfig(), ["llamacpp"])
    try:
        assert model.ready()["system"] == "STAND-IN = 1"  # the stand-in passed the start check
        first_pid = model._process.pid
        received = []
        with pytest.raises(EngineCrashed, match="died with SIGSEGV.*restarted for the next question"):
            for piece in model.stream(CRASH, 10):
                received.append(piece)
        assert received == ["The", " stand-in", " says"]  # it crashed mid-answer, after three tokens
        assert "".join(model.stream(QUESTION, 10)) == "The stand-in says so"
        assert model._process.pid != first_pid and model.notice == ""
    finally:
        model.close()


def test_an_engine_that_keeps_crashing_is_given_up_and_said_so(crashing_llama_cpp, caplog):
    model = IsolatedChatModel(LLMConfig(), ["llamacpp"])
    try:
        for _ in range(3):
            with pytest.raises(EngineCrashed):
                list(model.stream(CRASH, 10))
        assert model.engine is None
        assert "llama.cpp: the llama.cpp engine process died with SIGSEGV" in model.notice
        assert "make llama" in model.notice and "quotes only" in model.notice
        with pytest.raises(EngineError, match="quotes only"):
            list(model.stream(QUESTION, 10))
        assert sum("failed its check" in r.getMessage() for r in caplog.records) == 1  # said once
    finally:
        model.close()


@pytest.mark.slow
def test_an_engine_that_crashes_at_its_start_check_gives_way_to_transformers(crashing_llama_cpp, monkeypatch,
                                                                              tmp_path):
    monkeypatch.setenv("STAND_IN_CRASH_ALWAYS", "1")
    model = IsolatedChatModel(LLMConfig(cache_dir=tmp_path / "model-cache"), ["llamacpp", "transformers"])
    try:
        info = model.ready()
        assert info["engine"] == "transformers" and model.engine == "transformers"
        assert model.notice.startswith("The language model engine failed its check (llama.cpp: the llama.cpp "
                                       "engine process died with SIGSEGV")
        assert "answering with transformers instead" in model.notice
        answer = "".join(model.stream(QUESTION, 20))
        assert "OECD" in answer or "Organisation" in answer
    finally:
        model.close()


def _stopped_then(process: EngineProcess, sig: int, after_s: float) -> threading.Thread:
    """Freeze the worker now (so the answer is surely in flight), deliver `sig` after `after_s`, then let it run."""
    os.kill(process.pid, signal.SIGSTOP)

    def deliver():
        time.sleep(after_s)
        os.kill(process.pid, sig)
        os.kill(process.pid, signal.SIGCONT)

    thread = threading.Thread(target=deliver)
    thread.start()
    return thread


@pytest.mark.parametrize("sig, said", [(signal.SIGKILL, "SIGKILL (killed: out of memory, or by hand)"),
                                       (signal.SIGSEGV, "SIGSEGV")])
def test_the_real_llama_cpp_worker_killed_mid_answer(sig, said):
    model = IsolatedChatModel(LLMConfig(), ["llamacpp"])
    try:
        assert model.ready()["engine"] == "llamacpp"
        expected = "".join(model.stream(QUESTION, 20))
        thread = _stopped_then(model._process, sig, 0.5)
        with pytest.raises(EngineCrashed, match=re.escape(said)):
            list(model.stream(QUESTION, 20))
        thread.join()
        assert "".join(model.stream(QUESTION, 20)) == expected  # restarted, same greedy answer
    finally:
        model.close()


def test_a_silent_worker_is_stopped_after_the_timeout_and_replaced():
    # A generous timeout for the normal answers (a busy CI machine can take seconds to a first token), a short
    # one for the worker that is stopped: its replacement gets the model's own config again.
    model = IsolatedChatModel(LLMConfig(timeout_s=120.0), ["llamacpp"])
    try:
        model.ready()
        expected = "".join(model.stream(QUESTION, 20))
        model._process.config = dataclasses.replace(model.config, timeout_s=2.0)
        os.kill(model._process.pid, signal.SIGSTOP)  # alive but never answers
        with pytest.raises(EngineError, match="sent nothing for 2 s and was stopped"):
            list(model.stream(QUESTION, 20))
        assert "".join(model.stream(QUESTION, 20)) == expected
    finally:
        model.close()


def test_closing_the_model_ends_its_worker():
    model = IsolatedChatModel(LLMConfig(), ["llamacpp"])
    model.ready()
    process = model._process.process
    model.close()
    assert process.wait(timeout=5) is not None


def test_the_worker_dies_with_its_parent_even_by_kill_9(tmp_path):
    import subprocess
    import sys

    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from rag.config import LLMConfig
        from rag.llm_process import IsolatedChatModel
        model = IsolatedChatModel(LLMConfig(), ["llamacpp"])
        model.ready()
        print(model._process.pid, flush=True)
        time.sleep(600)
        """)], stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    worker = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(worker)


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped by whoever adopted it."""
    info = process_info(pid)
    return info is not None and info[0] != "Z"


def test_a_worker_killed_between_answers_is_restarted_and_outlives_the_thread_that_restarted_it():
    """Gradio restarts workers from request threads that end when idle: the worker must not die with them."""
    model = IsolatedChatModel(LLMConfig(), ["llamacpp"])
    try:
        model.ready()
        expected = "".join(model.stream(QUESTION, 20))
        os.kill(model._process.pid, signal.SIGKILL)
        model._process.process.wait(timeout=10)
        thread = threading.Thread(target=model.ready)  # restarts the worker, then ends
        thread.start()
        thread.join()
        time.sleep(1)
        assert model._process.alive()
        assert "".join(model.stream(QUESTION, 20)) == expected
    finally:
        model.close()
