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


def _variant(rng: random.Random, records: list[dict], trial: int) -> list[dict]:
    """A random corpus version: a subset of the documents, a quarter of them edited, so every run has work."""
    chosen = rng.sample(records, rng.randint(len(records) // 2, len(records)))
    for record in rng.sample(chosen, len(chosen) // 4):
        edit = f"Edited in trial {trial}: {rng.random()}."
        chosen[chosen.index(record)] = {**record, "principles": [{**p, "text": f"{p['text']} {edit}"}
                                                                 for p in record["principles"]]}
    return chosen


@pytest.mark.slow
def test_ingest_killed_at_random_points_recovers_exactly(tmp_path: Path):
    rng = random.Random(SEED)
    corpus, data_dir = tmp_path / "corpus", tmp_path / "data"
    config = IndexConfig(data_dir=data_dir)
    records = corpus_records("worldwide-ai-ethics.jsonl", limit=60)
    write_jsonl(corpus / "seed.jsonl", corpus_records("seed-principles.jsonl"))
    write_jsonl(corpus / "waie.jsonl", records)
    started = time.monotonic()
    full = govrag("ingest", str(corpus), data_dir=tmp_path / "timing")  # how long a whole run takes here
    assert full.returncode == 0, full.stderr[-2000:]
    whole_run_s = time.monotonic() - started
    trials: list[dict] = []
    attempt = 0
    while sum(t["killed"] for t in trials) < TRIALS:
        attempt += 1
        assert attempt <= 3 * TRIALS, f"ingest kept finishing before its kill: {trials}"
        write_jsonl(corpus / "waie.jsonl", _variant(rng, records, attempt))
        before = set(_stored(config) or {})
        expected = _expected(corpus, config)
        delay = rng.uniform(0.5, whole_run_s)
        process = _ingest_process(corpus, data_dir)
        time.sleep(delay)
        killed = process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait()
        stored = _stored(config)  # consistent (see _stored), or no index yet
        after = set(stored or {})
        # A kill never leaves a node that is neither from the index before nor from the corpus being ingested.
        assert after <= before | set(expected), "a node from nowhere"
        state = ("no index" if stored is None else "unchanged" if after == before
                 else "complete" if after == set(expected) else "partial")
        trials.append({"attempt": attempt, "kill_after_s": round(delay, 2), "killed": killed, "state": state,
                       "nodes_before": len(before), "nodes_after": len(after), "nodes_expected": len(expected)})
        if attempt % 4 == 0:  # recovery, part way through as well as at the end
            _complete(corpus, data_dir, config)
    _complete(corpus, data_dir, config)
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps({"seed": SEED, "whole_run_s": round(whole_run_s, 1), "trials": trials},
                                   indent=1), encoding="utf-8")
    assert any(t["state"] == "partial" and t["killed"] for t in trials), f"no kill landed mid-write: {trials}"
