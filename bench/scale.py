"""Retrieval at 100x the default corpus, and cold start of the UI: the two bench rows that need their own
index or their own process (bench/run.py calls both).

The synthetic corpus: copy 0 is the real index; copies 1..99 of every node get their own document (title
"… (synthetic copy c)"), the node's words in a seeded random order (BM25 sees the corpus's real vocabulary
and lengths) and its vector plus Gaussian noise (σ 0.03 a dimension: cosine to the original ≈ 0.86), so the
HNSW graph holds 100x as many distinct, realistically spread points. Vectors are not re-encoded: encoding
~170 k texts would take an hour here, and search latency does not depend on what the vectors mean."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

#: Chroma caps one `add` (client.get_max_batch_size() is ~5,400 here).
ADD_BATCH = 4000
NOISE = 0.03


def build_synthetic(source_dir: Path, target_dir: Path, copies: int = 100, seed: int = 0) -> dict:
    """Fill a new index at target_dir with `copies` x the index at source_dir; returns counts and timings."""
    from ingest.config import IndexConfig
    from ingest.store import mark_updated, open_collection

    source = open_collection(IndexConfig(data_dir=source_dir), create=False)
    got = source.get(include=["documents", "metadatas", "embeddings"])
    ids, texts, metas = got["ids"], got["documents"], got["metadatas"]
    vectors = np.asarray(got["embeddings"], dtype=np.float32)
    target_config = IndexConfig(data_dir=target_dir)
    target = open_collection(target_config, create=True)
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    batch: dict[str, list] = {"ids": [], "documents": [], "metadatas": [], "embeddings": []}

    def flush() -> None:
        if batch["ids"]:
            target.add(**batch)
            for values in batch.values():
                values.clear()

    for copy in range(copies):
        noisy = vectors if copy == 0 else vectors + rng.normal(0.0, NOISE, vectors.shape).astype(np.float32)
        noisy = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
        for row, node_id in enumerate(ids):
            meta = dict(metas[row])
            text = texts[row]
            if copy:
                meta["doc_id"] = f"{meta['doc_id']}~{copy}"
                meta["title"] = f"{meta['title']} (synthetic copy {copy})"
                words = text.split()
                text = " ".join(words[i] for i in rng.permutation(len(words))) if len(words) > 1 else text
            batch["ids"].append(node_id if copy == 0 else f"{node_id}~{copy}")
            batch["documents"].append(text)
            batch["metadatas"].append(meta)
            batch["embeddings"].append(noisy[row])
            if len(batch["ids"]) == ADD_BATCH:
                flush()
    flush()
    mark_updated(target, target_config)
    return {"nodes": target.count(), "build_s": round(time.perf_counter() - started, 1)}


def cold_start(data_dir: Path, question: str, engine: str = "auto") -> dict:
    """Seconds from `govrag ui` starting to (a) its page being served, (b) the first answer's cited quotes and
    (c) that answer finished, through /ask_stream (the chat's answer as JSON); a fresh process each time
    (imports, index and models all load)."""
    from gradio_client import Client

    from bench.serving import running_ui

    started = time.perf_counter()
    with running_ui(data_dir, {"GOVRAG_LLM_ENGINE": engine}, log_name=f"cold-start-{engine}") as served:
        quoted = None
        for _ in Client(served.url, verbose=False).submit(question, 5, None, api_name="/ask_stream"):
            quoted = quoted or time.perf_counter() - started
        answered = time.perf_counter() - started
    return {"engine": engine, "page_served_s": round(served.served_s, 1), "quotes_s": round(quoted or answered, 1),
            "first_answer_s": round(answered, 1)}


def cold_starts(data_dir: Path, question: str, engine: str, runs: int = 3) -> dict:
    """Medians of `runs` cold starts (one start swings by seconds on a busy 2-core machine)."""
    import statistics

    results = [cold_start(data_dir, question, engine) for _ in range(runs)]
    return {"engine": engine, "runs": runs, "all": results,
            **{key: round(statistics.median(r[key] for r in results), 1)
               for key in ("page_served_s", "quotes_s", "first_answer_s")}}


def serving_memory(data_dir: Path, questions: int = 20) -> dict:
    """Resident memory of a `govrag ui` serving the index at data_dir after answering `questions` eval
    questions through /ask: its own (now and peak) and its model worker's."""
    import json

    from gradio_client import Client

    from bench.serving import ROOT, memory_mb, running_ui

    lines = (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    asked = [json.loads(line)["question"] for line in lines if line.strip()][:questions]
    with running_ui(data_dir, log_name="serving-memory") as served:
        client = Client(served.url, verbose=False)
        for question in asked:
            client.predict(question, 5, api_name="/ask")
        memory = memory_mb(served.pid)
        children = [int(c) for task in Path(f"/proc/{served.pid}/task").iterdir()
                    for c in (task / "children").read_text().split()]
        worker = sum(memory_mb(c)["rss_mb"] for c in children)
    return memory | {"worker_rss_mb": worker, "questions_served": len(asked)}
