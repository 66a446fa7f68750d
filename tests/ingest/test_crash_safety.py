"""kill -9 of `govrag ingest` at seeded random moments: the index stays consistent after every kill, and the
next complete run leaves exactly the corpus's nodes: none duplicated, none lost, none stale."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.chunking import Chunker
from ingest.config import IndexConfig
from ingest.embedder import load_word_pieces
from ingest.loaders import load_corpus
from ingest.store import open_collection
from tests.conftest import ROOT, corpus_records, govrag, write_jsonl

SEED = 20261127
TRIALS = 12
ARTIFACT = ROOT / "tests" / "artifacts" / "crash-trials.json"


def _expected(corpus: Path, config: IndexConfig) -> dict[str, str]:
    """node id → doc id, exactly as ingest computes them."""
    chunker = Chunker(load_word_pieces(None), config.embed_max_tokens)
    return {n.node_id: n.metadata["doc_id"] for r in load_corpus([corpus]).records for n in chunker.nodes(r)}


def _stored(config: IndexConfig) -> dict[str, str] | None:
    """node id → doc id in the index, after checking Chroma agrees with itself; None if there is no index yet."""
    if not config.chroma_path.exists():
        return None
    try:
        collection = open_collection(config, create=False, fresh=True)
    except Exception as exc:  # noqa: BLE001 - only "no collection yet" is acceptable, checked below
        assert "govrag ingest" in str(exc), exc
        return None
    got = collection.get(include=["metadatas"])
    ids = got["ids"]
    assert len(ids) == len(set(ids)) == collection.count(), "duplicate or miscounted nodes"
    if ids:  # the vector index answers and returns only stored nodes
        vector = collection.get(ids=[ids[0]], include=["embeddings"])["embeddings"][0]
        hits = collection.query(query_embeddings=[vector], n_results=min(5, len(ids)), include=["distances"])
        assert hits["ids"][0] and set(hits["ids"][0]) <= set(ids)
        assert hits["ids"][0][0] == ids[0] or hits["distances"][0][0] < 1e-4
    return {i: m["doc_id"] for i, m in zip(ids, got["metadatas"])}


def _ingest_process(corpus: Path, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "GOVRAG_DATA_DIR": str(data_dir)}
    return subprocess.Popen([sys.executable, "-m", "ui.cli", "ingest", str(corpus)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _complete(corpus: Path, data_dir: Path, config: IndexConfig) -> None:
    done = govrag("ingest", str(corpus), data_dir=data_dir)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _stored(config) == _expected(corpus, config)  # no duplicate, lost or stale node
    again = govrag("ingest", str(corpus), data_dir=data_dir)
    assert "Index already up to date" in again.stdout, again.stdout  # what is recorded agrees with Chroma


@pytest.mark.slow
def test_ingest_killed_at_random_points_recovers_exactly(tmp_path: Path):
    rng = random.Random(SEED)
    corpus, data_dir = tmp_path / "corpus", tmp_path / "data"
    config = IndexConfig(data_dir=data_dir)
    waie = corpus_records("worldwide-ai-ethics.jsonl", limit=40)
    write_jsonl(corpus / "seed.jsonl", corpus_records("seed-principles.jsonl"))
    write_jsonl(corpus / "waie.jsonl", waie)
    started = time.monotonic()
    full = govrag("ingest", str(corpus), data_dir=tmp_path / "timing")  # how long a whole run takes here
    assert full.returncode == 0, full.stderr[-2000:]
    whole_run_s = time.monotonic() - started
    ever_expected = dict(_expected(corpus, config))
    trials = []
    for trial in range(TRIALS):
        if trial % 4 == 3:  # change the corpus too: one document edited, one removed, one back
            waie = waie[1:] + waie[:1]
            waie[0] = {**waie[0], "abstract": f"Edited in trial {trial}."}
            write_jsonl(corpus / "waie.jsonl", waie[: 30 + trial])
            ever_expected |= _expected(corpus, config)
        delay = rng.uniform(0.5, whole_run_s)
        process = _ingest_process(corpus, data_dir)
        time.sleep(delay)
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait()
        stored = _stored(config)
        if stored is not None:
            assert set(stored) <= set(ever_expected), "a node no corpus version ever had"
        trials.append({"trial": trial, "kill_after_s": round(delay, 2), "finished_before_kill": finished,
                       "nodes_after_kill": None if stored is None else len(stored),
                       "nodes_expected": len(_expected(corpus, config))})
        if trial % 3 == 2:
            _complete(corpus, data_dir, config)
    _complete(corpus, data_dir, config)
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps({"seed": SEED, "whole_run_s": round(whole_run_s, 1), "trials": trials},
                                   indent=1), encoding="utf-8")
    killed_mid_write = [t for t in trials if t["nodes_after_kill"] and t["nodes_after_kill"] < t["nodes_expected"]]
    assert sum(not t["finished_before_kill"] for t in trials) >= 10  # ≥ 10 real kills
    assert killed_mid_write, f"no kill landed while nodes were being written: {trials}"
