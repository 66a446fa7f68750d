"""Ingest throughput on each embedder runtime against the raw PyTorch encoder on the same texts, and the
query vector's time: the embedder rows of `make bench` (bench/run.py).

Every side loads its model and encodes the same texts in this process, after the libraries are imported (a
process pays the imports once whatever it does), interleaved RUNS times into fresh indexes; medians. The ONNX
export is made once beforehand (as `make index` makes it once per machine, in the cache dir all indexes share)."""
from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
RUNS = 3
#: The runtimes an ingest is timed on (GOVRAG_EMBED_BACKEND), against sentence-transformers' own `encode`.
BACKENDS = ("onnx", "onnx-int8", "torch")


def bench_embedders(data_dir: Path) -> dict:
    import chromadb  # noqa: F401 - imported up front, see the docstring
    import llama_index.embeddings.huggingface  # noqa: F401
    from sentence_transformers import SentenceTransformer

    from bench.micro import median_ms
    from eval.questions import load_questions
    from ingest.chunking import Chunker, embedding_text
    from ingest.config import IndexConfig
    from ingest.embedder import embed_model_path, load_embedder, load_word_pieces, query_encoder
    from ingest.loaders import load_corpus
    from ingest.pipeline import ingest

    exports = IndexConfig(data_dir=data_dir).caches
    started = time.perf_counter()
    onnx = load_embedder(None, 32, "onnx", exports)
    export_s = round(time.perf_counter() - started, 1)  # ~0 when this machine has exported before
    load_embedder(None, 32, "onnx-int8", exports)
    chunker = Chunker(load_word_pieces(None), IndexConfig(data_dir=data_dir).embed_max_tokens)
    texts = [embedding_text(n) for r in load_corpus([CORPUS]).records for n in chunker.nodes(r)]
    runs: dict[str, list[float]] = {name: [] for name in (*BACKENDS, "raw")}
    nodes = 0
    for run in range(RUNS):
        for backend in BACKENDS:
            config = IndexConfig(data_dir=data_dir / f"{backend}-{run}", embed_backend=backend)
            started = time.perf_counter()
            nodes = ingest([CORPUS], config, progress=False).nodes
            runs[backend].append(time.perf_counter() - started)
        started = time.perf_counter()
        model = SentenceTransformer(str(embed_model_path(None)), device="cpu")
        model.encode(texts, batch_size=config.embed_batch_size, normalize_embeddings=True)
        runs["raw"].append(time.perf_counter() - started)
    noop = []
    for _ in range(RUNS):
        started = time.perf_counter()
        ingest([CORPUS], IndexConfig(data_dir=data_dir / "onnx-0", embed_backend="onnx"), progress=False)
        noop.append(time.perf_counter() - started)
    raw_s = statistics.median(runs["raw"])
    result = {"nodes": nodes, "texts": len(texts), "raw_nodes_per_s": round(len(texts) / raw_s, 1),
              "onnx_export_s": export_s, "noop_reingest_s": round(statistics.median(noop), 2), "runs": RUNS}
    for backend in BACKENDS:
        seconds = statistics.median(runs[backend])
        result[backend] = {"ingest_s": round(seconds, 2), "nodes_per_s": round(nodes / seconds, 1),
                           "vs_raw": round(raw_s / seconds * nodes / len(texts), 3)}
    questions = [q.question for q in load_questions()]
    result["query_ms_onnx"] = median_ms(query_encoder(onnx), questions)
    result["query_ms_torch"] = median_ms(query_encoder(load_embedder(None, 32, "torch")), questions)
    return result


def rows(result: dict) -> list[tuple[str, str, str]]:
    ok = {True: "✓", False: "✗"}
    table = []
    for backend, what in (("onnx", "ONNX Runtime fp32, the default: the PyTorch vectors"),
                          ("onnx-int8", "ONNX Runtime int8 (GOVRAG_EMBED_BACKEND=onnx-int8: other vectors)"),
                          ("torch", "PyTorch (GOVRAG_EMBED_BACKEND=torch)")):
        figures = result[backend]
        table.append((f"ingest throughput, {what}, vs the raw PyTorch encoder (model load + encode)",
                      f"{figures['nodes_per_s']} vs {result['raw_nodes_per_s']} nodes/s = {figures['vs_raw']}x",
                      f"≥ 1.5x {ok[figures['vs_raw'] >= 1.5]}" if backend != "torch" else "–"))
    table += [("query vector, median over the eval questions: ONNX vs PyTorch (query_encoder)",
               f"{result['query_ms_onnx']} vs {result['query_ms_torch']} ms",
               f"≤ 5 ms {ok[result['query_ms_onnx'] <= 5]}"),
              ("ONNX export of the embedder (once per model and machine; ~0 when exported before)",
               f"{result['onnx_export_s']} s", "–"),
              ("no-op re-ingest (median of 3, in-process)", f"{result['noop_reingest_s']} s",
               f"≤ 2 s {ok[result['noop_reingest_s'] <= 2]}")]
    return table
