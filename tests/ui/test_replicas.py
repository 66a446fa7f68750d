"""Beyond one machine (README, "Deployment beyond one machine"): two `govrag ui` replicas on loopback share one
`chroma run` and one OpenAI-compatible model server (llama.cpp's); each answers with the model's checked summary,
and a document ingested while both serve is cited by both after their reload check. Real processes throughout."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gradio_client import Client

from rag.retrieve import RELOAD_CHECK_S
from tests.conftest import ROOT, corpus_records, free_port, start_llama_server, start_server, write_jsonl
from tests.rag.test_live_reload import NEW_DOC, NEW_QUESTION, SEED_QUESTION

pytestmark = pytest.mark.slow


def _cited(answer: dict) -> set[str]:
    return {c["title"] for c in answer.get("citations", [])}


def test_two_replicas_share_one_chroma_server_and_one_model_server(chroma_server, tmp_path: Path):
    model_url, model_server = start_llama_server(tmp_path)
    shared = {"GOVRAG_CHROMA_URL": chroma_server.url, "GOVRAG_LLM_URL": model_url, "GOVRAG_LLM_MODEL": "smollm2"}
    replicas: list[subprocess.Popen] = []
    try:
        def govrag_ingest(folder: Path) -> subprocess.Popen:
            env = {**os.environ, **shared, "GOVRAG_DATA_DIR": str(tmp_path / "ingest-data")}
            return subprocess.Popen([sys.executable, "-m", "ui.cli", "ingest", str(folder), "--quiet"], env=env,
                                    cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        seed = write_jsonl(tmp_path / "seed" / "seed.jsonl", corpus_records("seed-principles.jsonl")).parent
        out, err = govrag_ingest(seed).communicate(timeout=600)
        assert "added 5" in out, err
        urls = []
        for name in ("replica-a", "replica-b"):  # each its own data dir (snapshots, embedder export), as on two hosts
            port = free_port()
            replicas.append(start_server([sys.executable, "-m", "ui.cli", "ui", "--port", str(port)],
                                         f"http://127.0.0.1:{port}/", tmp_path / f"{name}.log", name, timeout_s=300,
                                         env={**shared, "GOVRAG_DATA_DIR": str(tmp_path / name)}))
            urls.append(f"http://127.0.0.1:{port}/")
        clients = [Client(url, verbose=False) for url in urls]
        for client in clients:
            answer = client.predict(SEED_QUESTION, 5, api_name="/ask")
            assert "G20 AI Principles" in _cited(answer) and not answer["refused"]
            assert answer["notice"] == "" and answer["verdict"] in ("supported", "partly_supported")  # the model ran
            assert client.predict(NEW_QUESTION, 5, api_name="/ask")["refused"] is True

        writer = govrag_ingest(write_jsonl(tmp_path / "extra" / "lunar.jsonl", [NEW_DOC]).parent)
        served = 0
        while writer.poll() is None:  # both keep answering while the index is written
            for client in clients:
                assert "G20 AI Principles" in _cited(client.predict(SEED_QUESTION, 5, api_name="/ask"))
                served += 1
        out, err = writer.communicate()
        assert writer.returncode == 0 and "added 1" in out and served >= 2, err
        deadline = time.monotonic() + 10 * RELOAD_CHECK_S
        seen = [False, False]
        while not all(seen) and time.monotonic() < deadline:
            time.sleep(RELOAD_CHECK_S / 2)
            seen = [seen[i] or "Charter for Lunar Data Stewardship" in _cited(client.predict(
                NEW_QUESTION, 5, api_name="/ask")) for i, client in enumerate(clients)]
        assert seen == [True, True], f"replicas citing the new document: {seen}"
    finally:
        for process in [*replicas, model_server]:
            process.terminate()
        for process in [*replicas, model_server]:
            process.wait(timeout=30)
