"""Shared fixtures: real Chroma indexes in temporary folders, the real bundled models, loaded once."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.config import IndexConfig
from ingest.embedder import offline

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

offline()


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def corpus_records(name: str, limit: int | None = None) -> list[dict]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:limit]]


@pytest.fixture(scope="session")
def full_index(tmp_path_factory: pytest.TempPathFactory) -> IndexConfig:
    """The whole default corpus, ingested once for the session into a real persistent Chroma."""
    from ingest.pipeline import ingest

    config = IndexConfig(data_dir=tmp_path_factory.mktemp("full-index"))
    report = ingest([CORPUS], config, progress=False)
    assert not report.errors, report.summary()
    return config


@pytest.fixture(scope="session")
def answerer(full_index: IndexConfig):
    """The real answer pipeline: full index, bundled MiniLM, bundled SmolLM2 GGUF through transformers."""
    from rag.answer import Answerer
    from rag.config import RagConfig

    return Answerer.load(full_index, RagConfig())
