"""The index's derived data (texts, metadata, BM25, names) saved per index version: the next process opens
the index from it without reading Chroma's records or tokenising again, gets the same results, and a new
version (an ingest) or a damaged snapshot is read from the index afresh. Real Chroma, the bundled embedder."""
import logging

import pytest

from ingest.config import IndexConfig
from ingest.pipeline import ingest
from ingest.store import index_version
from rag import retrieve
from rag.retrieve import Retriever
from tests.conftest import corpus_records, write_jsonl

QUESTIONS = ["What do the G20 AI Principles ask governments to do on international co-operation?",
             "全球人工智能治理倡议对发展有什么主张?"]
NEW_DOC = {"title": "Charter for Lunar Data Stewardship", "issuer": "Snapshot Test Observatory", "date": "2025",
           "principles": [{"heading": "Stewardship", "text": "Operators of lunar rovers must archive every "
                           "telemetry stream in open formats and share it with all spacefaring nations."}]}


def _found(retriever: Retriever) -> list[list[tuple[str, float]]]:
    return [[(s.node_id, round(s.score, 6)) for s in retriever.search(q, 5)] for q in QUESTIONS]


def _snapshots(config: IndexConfig) -> list[str]:
    return sorted(p.name for p in (config.data_dir / "snapshots").iterdir() if not p.name.startswith("."))


@pytest.fixture
def seeded(tmp_path) -> IndexConfig:
    config = IndexConfig(data_dir=tmp_path / "data")
    seed = write_jsonl(tmp_path / "seed" / "seed.jsonl", corpus_records("seed-principles.jsonl")).parent
    assert not ingest([seed], config, progress=False).errors
    return config


def test_the_next_process_opens_the_index_from_its_snapshot_with_the_same_results(seeded, monkeypatch, caplog):
    first = Retriever(seeded)
    version = index_version(seeded)
    assert _snapshots(seeded) == [next(n for n in _snapshots(seeded) if f"-{version}-" in n)]
    expected = _found(first)

    def not_read(collection):
        raise AssertionError("the records were read from Chroma although a snapshot of this version exists")

    monkeypatch.setattr(retrieve, "stored_records", not_read)
    opened = Retriever(seeded, embedder=first.embedder)
    assert _found(opened) == expected and opened.count() == first.count()
    assert opened.catalogue().titles == first.catalogue().titles and opened.names() == first.names()
    assert opened.library() == first.library() and opened.idf("intern") == first.idf("intern")


def test_an_ingest_makes_a_new_snapshot_and_a_damaged_one_is_rebuilt(seeded, tmp_path, caplog):
    retriever = Retriever(seeded)
    before = _snapshots(seeded)
    extra = write_jsonl(tmp_path / "extra" / "lunar.jsonl", [NEW_DOC]).parent
    assert ingest([extra], seeded, progress=False).added == 1
    assert retriever.reload_if_changed(now_please=True)
    after = _snapshots(seeded)
    assert len(after) == 1 and after != before  # the old version's snapshot is gone
    assert retriever.search("lunar rovers telemetry", 1)[0].title == "Charter for Lunar Data Stewardship"
    # a damaged snapshot: the index is intact, so it is read from Chroma again (and saved anew), with a warning
    (seeded.data_dir / "snapshots" / after[0] / "data.pickle").write_bytes(b"not a pickle")
    with caplog.at_level(logging.WARNING, logger="rag.snapshot"):
        reopened = Retriever(seeded, embedder=retriever.embedder)
    assert "unreadable" in caplog.text and _found(reopened) == _found(retriever)
    assert (seeded.data_dir / "snapshots" / after[0] / "data.pickle").read_bytes() != b"not a pickle"
