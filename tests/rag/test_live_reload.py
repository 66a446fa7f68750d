"""Ingesting while the UI serves, in both storage modes: a separate `govrag ingest` process adds a document
while clients keep asking; nothing fails, and after the reload check the UI cites the new document."""
import os
import subprocess
import sys
import time

import pytest
from gradio_client import Client

from ingest.config import IndexConfig
from rag.retrieve import RELOAD_CHECK_S
from tests.conftest import ROOT, corpus_records, served_app, write_jsonl

pytestmark = pytest.mark.slow

NEW_DOC = {"title": "Charter for Lunar Data Stewardship", "issuer": "Reload Test Observatory", "date": "2025",
           "principles": [{"heading": "Stewardship", "text": "Operators of lunar rovers must archive every "
                           "telemetry stream in open formats and share it with all spacefaring nations."}]}
SEED_QUESTION = "What do the G20 AI Principles ask governments to do on international co-operation?"
NEW_QUESTION = "What must operators of lunar rovers do with their telemetry streams?"


@pytest.mark.parametrize("mode", ["embedded", "server"])
def test_ingest_while_the_ui_serves(mode, tmp_path, chat_model, request):
    from ingest.pipeline import ingest
    from rag.answer import Answerer
    from rag.config import RagConfig
    from rag.retrieve import Retriever

    url = request.getfixturevalue("chroma_server").url if mode == "server" else None
    config = IndexConfig(data_dir=tmp_path / "data", chroma_url=url)
    seed = write_jsonl(tmp_path / "seed" / "seed.jsonl", corpus_records("seed-principles.jsonl")).parent
    assert not ingest([seed], config, progress=False).errors
    extra = write_jsonl(tmp_path / "extra" / "lunar.jsonl", [NEW_DOC]).parent
    with served_app(Answerer(Retriever(config), chat_model, RagConfig())) as ui:
        client = Client(ui, verbose=False)
        assert client.predict(NEW_QUESTION, 5, api_name="/ask")["refused"] is True
        env = {**os.environ, "GOVRAG_DATA_DIR": str(config.data_dir)} | ({"GOVRAG_CHROMA_URL": url} if url else {})
        writer = subprocess.Popen([sys.executable, "-m", "ui.cli", "ingest", str(extra), "--quiet"], env=env,
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        served = 0
        while writer.poll() is None:  # keep the UI busy while the other process writes
            answer = client.predict(SEED_QUESTION, 5, api_name="/ask")
            assert "error" not in answer and "G20 AI Principles" in {c["title"] for c in answer["citations"]}
            served += 1
        out, err = writer.communicate()
        assert writer.returncode == 0 and "added 1" in out, err
        assert served >= 1 and "locked" not in err.lower()
        time.sleep(RELOAD_CHECK_S + 0.5)
        answer = client.predict(NEW_QUESTION, 5, api_name="/ask")
        assert not answer["refused"] and "Charter for Lunar Data Stewardship" in {c["title"] for c in
                                                                                 answer["citations"]}
