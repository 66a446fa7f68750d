"""Incremental ingest on a real temporary Chroma: no-op re-runs, replaced and deleted documents, bad files."""
from pathlib import Path

import pytest

from ingest.config import IndexConfig
from ingest.pipeline import ingest
from ingest.store import open_collection, stored_nodes
from tests.conftest import corpus_records, write_jsonl


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write_jsonl(folder / "seed.jsonl", corpus_records("seed-principles.jsonl"))
    write_jsonl(folder / "waie.jsonl", corpus_records("worldwide-ai-ethics.jsonl", limit=6))
    return folder


def _docs(config: IndexConfig) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in stored_nodes(open_collection(config, create=False)):
        counts[node.doc_id] = counts.get(node.doc_id, 0) + 1
    return counts


def test_reingest_is_a_noop_then_changes_are_applied(corpus: Path, tmp_path: Path):
    config = IndexConfig(data_dir=tmp_path / "data")
    first = ingest([corpus], config, progress=False)
    assert (first.documents, first.added, first.errors) == (11, 11, [])
    assert first.nodes_written == first.nodes == sum(_docs(config).values())

    again = ingest([corpus], config, progress=False)
    assert (again.writes, again.unchanged, again.added, again.updated, again.deleted) == (0, 11, 0, 0, 0)
    assert "nothing written" in again.summary()

    waie = corpus_records("worldwide-ai-ethics.jsonl", limit=6)
    waie[0]["principles"][0]["text"] += " An added sentence about audits."
    removed = waie.pop()
    write_jsonl(corpus / "waie.jsonl", waie)
    changed = ingest([corpus], config, progress=False)
    assert (changed.updated, changed.deleted, changed.unchanged, changed.added) == (1, 1, 9, 0)
    assert changed.nodes_written == 1  # only the edited principle is re-embedded
    docs = _docs(config)
    assert removed["doc_id"] not in docs and len(docs) == 10
    assert sum(docs.values()) == changed.nodes


def test_bad_file_is_reported_and_damages_nothing(corpus: Path, tmp_path: Path):
    config = IndexConfig(data_dir=tmp_path / "data")
    ingest([corpus], config, progress=False)
    before = _docs(config)
    # Corrupt the file that holds 6 documents and add a new good file beside it.
    (corpus / "waie.jsonl").write_text((corpus / "waie.jsonl").read_text() + "{not json}\n", encoding="utf-8")
    write_jsonl(corpus / "new.jsonl", [{"title": "A New Charter", "issuer": "Someone", "date": "2024-01-02",
                                        "principles": [{"heading": "Care", "text": "Take care with AI."}]}])
    (corpus / "blob.txt").write_bytes(b"\x00\xff" * 100)
    report = ingest([corpus], config, progress=False)
    errors = [str(e) for e in report.errors]
    assert any("waie.jsonl:7: invalid JSON" in e for e in errors)
    assert any("blob.txt" in e and "binary" in e for e in errors)
    assert report.added == 1 and report.deleted == 0
    after = _docs(config)
    assert after.items() >= before.items()  # every earlier document is still there, unchanged
    assert "a-new-charter" in after


def test_missing_documents_of_a_broken_file_are_not_deleted(corpus: Path, tmp_path: Path):
    config = IndexConfig(data_dir=tmp_path / "data")
    ingest([corpus], config, progress=False)
    (corpus / "waie.jsonl").write_bytes("人工智能".encode("gbk"))  # whole file unreadable now
    report = ingest([corpus], config, progress=False)
    assert report.deleted == 0 and len(_docs(config)) == 11
    assert "UTF-8" in str(report.errors[0])
