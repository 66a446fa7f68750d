"""A real `govrag ui` whose llama.cpp worker dies of a real SIGSEGV while answering: the UI keeps serving, that
answer is the cited quotes with a notice, and the next answer is the normal one; a batch goes on past a crash
(issue 12)."""
from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from tests.conftest import free_port, govrag, process_info, served_app, start_server, write_jsonl

pytestmark = pytest.mark.slow

QUESTION = "What do the OECD Principles say about international co-operation for trustworthy AI?"
NO_FILTERS = ("", "", "", "any", "", 5)


def engine_workers(parent: int) -> list[int]:
    """Pids of the live engine worker processes whose parent is `parent`."""
    return [pid for pid in map(int, (p.name for p in Path("/proc").glob("[0-9]*")))
            if (info := process_info(pid)) and info[1] == parent and info[0] != "Z" and b"rag.llm_worker" in info[2]]


@pytest.fixture
def served_ui(full_index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GOVRAG_DATA_DIR", str(full_index.data_dir))
    port = free_port()
    server = start_server([sys.executable, "-m", "ui.cli", "ui", "--port", str(port)], f"http://127.0.0.1:{port}/",
                          tmp_path / "ui.log", "govrag ui", timeout_s=180)
    yield server, f"http://127.0.0.1:{port}/", tmp_path / "ui.log"
    server.terminate()
    server.wait(timeout=30)


def test_a_segfault_of_the_engine_mid_answer_leaves_the_ui_serving(served_ui):
    server, url, log = served_ui
    client = Client(url, verbose=False)
    normal = client.predict(QUESTION, 5, api_name="/ask")
    assert normal["notice"] == "" and normal["citations"]
    [worker] = engine_workers(server.pid)

    os.kill(worker, signal.SIGSTOP)  # frozen: the next answer surely reaches it before it dies
    job = client.submit(QUESTION, *NO_FILTERS, api_name="/chat")
    deadline = time.monotonic() + 60
    while "Drafting" not in str(job.outputs()[-1:]) and time.monotonic() < deadline:
        time.sleep(0.1)  # the cited quotes shown: the server is now waiting on the model
    time.sleep(0.5)
    os.kill(worker, signal.SIGSEGV)  # delivered as it resumes: a real segmentation fault kills it
    os.kill(worker, signal.SIGCONT)
    chat = job.result(timeout=120)[0]
    crashed = chat[-1]["content"] if isinstance(chat[-1]["content"], str) else str(chat[-1]["content"])
    assert "died with SIGSEGV" in crashed and "restarted for the next question" in crashed
    assert "What the sources say" in crashed and "OECD" in crashed  # the cited quotes still stand
    assert server.poll() is None

    again = client.predict(QUESTION, 5, api_name="/ask")
    assert again["notice"] == ""
    assert (again["answer"], again["citations"], again["verdict"]) == (normal["answer"], normal["citations"],
                                                                      normal["verdict"])
    [restarted] = engine_workers(server.pid)
    assert restarted != worker
    assert "Fatal Python error: Segmentation fault" in log.read_text()  # the worker's own stack, in the log


def test_a_batch_goes_on_past_an_engine_segfault(full_index, crashing_llama_cpp, tmp_path):
    questions = write_jsonl(tmp_path / "q.jsonl", [
        {"id": "before", "question": QUESTION},
        {"id": "crash", "question": QUESTION.replace("?", ", please crash?")},  # the stand-in segfaults on it
        {"id": "after", "question": QUESTION}])
    done = govrag("ask", "--batch", str(questions), "--json", data_dir=full_index.data_dir)
    assert done.returncode == 0, done.stderr
    before, crash, after = (json.loads(line) for line in done.stdout.splitlines())
    assert [x["id"] for x in (before, crash, after)] == ["before", "crash", "after"]
    assert "died with SIGSEGV" in crash["notice"] and crash["citations"] and not crash["refused"]
    assert before["notice"] == after["notice"] == ""
    assert before["answer"] == after["answer"] and before["citations"] == after["citations"]


def test_the_ui_says_when_no_engine_passed_its_check(retriever, crashing_llama_cpp, monkeypatch):
    from rag.answer import Answerer
    from rag.config import LLMConfig, RagConfig
    from rag.llm_process import IsolatedChatModel

    monkeypatch.setenv("STAND_IN_CRASH_ALWAYS", "1")
    model = IsolatedChatModel(LLMConfig(), ["llamacpp"])
    try:
        assert model.ready() is None
        with served_app(Answerer(retriever, model, RagConfig())) as url:
            config = httpx.get(f"{url}config", timeout=10).json()
            [banner] = [c["props"]["value"] for c in config["components"]
                        if c.get("props", {}).get("elem_id") == "engine-notice"]
            assert "failed its check" in banner and "died with SIGSEGV" in banner and "make llama" in banner
            answer = Client(url, verbose=False).predict(QUESTION, 5, api_name="/ask")
            assert "quotes only" in answer["notice"] and answer["citations"] and not answer["refused"]
    finally:
        model.close()
