"""Server mode: GOVRAG_CHROMA_URL points ingest and retrieval at a real `chroma run` on loopback."""
import time

import pytest

from ingest.config import IndexConfig
from ingest.store import ChromaUnavailableError, open_collection
from tests.conftest import corpus_records, free_port, write_jsonl

@pytest.mark.slow
def test_ingest_and_query_through_a_server_and_across_its_restart(chroma_server, tmp_path):
    from ingest.pipeline import ingest
    from rag.retrieve import Retriever

    corpus = write_jsonl(tmp_path / "corpus" / "seed.jsonl", corpus_records("seed-principles.jsonl")).parent
    config = IndexConfig(data_dir=tmp_path / "unused", chroma_url=chroma_server.url)
    report = ingest([corpus], config, progress=False)
    assert not report.errors and report.added == 5
    assert not (tmp_path / "unused" / "chroma").exists()  # nothing embedded: the server holds the index
    question = "Which documents call for an international AI governance institution under the United Nations?"
    before = [(s.title, s.language) for s in Retriever(config).search(question, 5)]
    assert ("2024 China-Africa Internet Development and Cooperation Forum Chair's Statement on China-Africa AI "
            "Cooperation", "en") in before
    assert ("Global AI Governance Initiative", "zh") in before  # the paragraph that says it, searched in Chinese
    chroma_server.stop()
    chroma_server.start()
    assert [(s.title, s.language) for s in Retriever(config).search(question, 5)] == before  # survived the restart
    again = ingest([corpus], config, progress=False)
    assert again.added == again.updated == again.deleted == 0 and again.unchanged == 5


def test_unreachable_server_is_a_clear_error_after_a_few_tries(tmp_path):
    config = IndexConfig(data_dir=tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}")
    started = time.perf_counter()
    with pytest.raises(ChromaUnavailableError, match="cannot reach the Chroma server at http://127.0.0.1:.* after 3 "
                                                     "tries.*unset GOVRAG_CHROMA_URL"):
        open_collection(config, create=False)
    assert time.perf_counter() - started < 15
