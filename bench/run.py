"""`make bench`: govrag's speed against the hardware limit, measured side by side in one run, printed as a table
(with the command) and written as JSON to bench/results/<timestamp>.json.

Measured: ingest throughput of the default corpus vs raw sentence-transformers encoding of the same texts;
no-op re-ingest; hybrid retrieval latency over the eval questions; the default model's time to first token and
decode speed vs raw `model.generate` on the same prompt and, when the [llamacpp] extra is installed, vs
llama-cpp-python on the same GGUF; peak RSS. Not yet: the 100x synthetic corpus and cold start to UI ready."""
from __future__ import annotations

import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.embedder import offline  # noqa: E402

offline()

CORPUS = ROOT / "corpus"
RUNS = 3
RUNS_INGEST = 2


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def bench_ingest(data_dir: Path) -> dict:
    """Both sides load the embedding model and encode the same texts, in-process after the libraries are
    imported (a process pays the imports once whatever it does),
    interleaved RUNS_INGEST times into fresh indexes; medians."""
    import chromadb  # noqa: F401 - imported up front, see the docstring
    import llama_index.embeddings.huggingface  # noqa: F401
    from sentence_transformers import SentenceTransformer

    from ingest.chunking import Chunker, embedding_text
    from ingest.config import IndexConfig
    from ingest.embedder import embed_model_path, load_word_pieces
    from ingest.loaders import load_corpus
    from ingest.pipeline import ingest

    chunker = Chunker(load_word_pieces(None), IndexConfig(data_dir=data_dir).embed_max_tokens)
    texts = [embedding_text(n) for r in load_corpus([CORPUS]).records for n in chunker.nodes(r)]
    ingest_runs, raw_runs = [], []
    for run in range(RUNS_INGEST):
        config = IndexConfig(data_dir=data_dir / f"run{run}")
        started = time.perf_counter()
        report = ingest([CORPUS], config, progress=False)
        ingest_runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        model = SentenceTransformer(str(embed_model_path(None)), device="cpu")
        model.encode(texts, batch_size=config.embed_batch_size, normalize_embeddings=True)
        raw_runs.append(time.perf_counter() - started)
    noop = []
    for _ in range(RUNS):
        started = time.perf_counter()
        ingest([CORPUS], config, progress=False)
        noop.append(time.perf_counter() - started)
    ingest_s, raw_s = statistics.median(ingest_runs), statistics.median(raw_runs)
    return {"nodes": report.nodes, "ingest_s": round(ingest_s, 2), "ingest_nodes_per_s": round(report.nodes / ingest_s, 1),
            "raw_encode_s": round(raw_s, 2), "raw_nodes_per_s": round(len(texts) / raw_s, 1),
            "ingest_vs_raw": round(raw_s / ingest_s * report.nodes / len(texts), 3),
            "noop_reingest_s": _median(noop), "runs": RUNS_INGEST}


def bench_retrieval(data_dir: Path) -> tuple[dict, object]:
    from eval.questions import load_questions
    from ingest.config import IndexConfig
    from rag.retrieve import Retriever

    retriever = Retriever(IndexConfig(data_dir=data_dir))
    questions = [q.question for q in load_questions()]
    for q in questions[:3]:
        retriever.search(q, 5)
    latencies = []
    for q in questions:
        started = time.perf_counter()
        retriever.search(q, 5)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {"queries": len(latencies), "p50_ms": round(latencies[len(latencies) // 2], 1),
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1)}, retriever


def _stream_timing(stream) -> tuple[float, float, int]:
    """(time to first token s, decode tokens/s after the first, tokens) of an iterator of text pieces."""
    started = time.perf_counter()
    first = last = None
    count = 0
    for _ in stream:
        last = time.perf_counter()
        first = first or last
        count += 1
    if first is None or count < 2:
        return (first or last or started) - started, 0.0, count
    return first - started, (count - 1) / (last - first), count


def bench_llm(retriever) -> dict:
    import torch

    from rag.citations import choose_quotes
    from rag.config import LLMConfig, RagConfig
    from rag.llm import bundled_model_file, load_chat_model
    from rag.prompt import build_messages

    question = "What do the Asilomar AI Principles say about an arms race in lethal autonomous weapons?"
    sources = retriever.search(question, RagConfig().top_k)
    choose_quotes(question, sources, retriever.similarities)
    messages = build_messages(question, sources[:3])
    config = LLMConfig()
    model = load_chat_model(config)
    ours = [_stream_timing(model.stream(messages, config.max_new_tokens)) for _ in range(RUNS)]
    inputs = model.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                 return_dict=True)
    raw = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with torch.no_grad():
            out = model.model.generate(**inputs, max_new_tokens=config.max_new_tokens, do_sample=False,
                                       pad_token_id=model.tokenizer.eos_token_id)
        raw.append((out.shape[1] - inputs["input_ids"].shape[1]) / (time.perf_counter() - started))
    result = {"prompt_tokens": int(inputs["input_ids"].shape[1]),
              "ttft_s": _median([t for t, _, _ in ours]), "decode_tok_s": _median([r for _, r, _ in ours]),
              "raw_generate_tok_s_incl_prefill": _median(raw)}
    try:
        from llama_cpp import Llama
    except ImportError:
        result["llamacpp"] = "not installed (pip install -e '.[llamacpp]')"
        return result
    llama = Llama(model_path=str(bundled_model_file()), n_ctx=4096, n_threads=2, verbose=False)

    def pieces():
        for chunk in llama.create_chat_completion(messages=messages, max_tokens=config.max_new_tokens,
                                                  temperature=0, stream=True):
            if chunk["choices"][0]["delta"].get("content"):
                yield chunk

    theirs = [_stream_timing(pieces()) for _ in range(RUNS)]
    result |= {"llamacpp_ttft_s": _median([t for t, _, _ in theirs]),
               "llamacpp_decode_tok_s": _median([r for _, r, _ in theirs])}
    result["decode_vs_llamacpp"] = round(result["decode_tok_s"] / result["llamacpp_decode_tok_s"], 3)
    return result


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="govrag-bench-") as tmp:
        data_dir = Path(tmp)
        ingest_figures = bench_ingest(data_dir)
        retrieval, retriever = bench_retrieval(data_dir)
        llm = bench_llm(retriever)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("ingest throughput vs raw encoder", f"{ingest_figures['ingest_nodes_per_s']} vs "
         f"{ingest_figures['raw_nodes_per_s']} nodes/s = {ingest_figures['ingest_vs_raw']}x", "≥ 0.9x"),
        ("no-op re-ingest (median of 3, in-process)", f"{ingest_figures['noop_reingest_s']} s", "≤ 2 s"),
        ("retrieval p50 / p95, default corpus", f"{retrieval['p50_ms']} / {retrieval['p95_ms']} ms", "≤ 20 / 50 ms"),
        ("time to first token (bundled model)", f"{llm['ttft_s']} s", "≤ 1.0 s"),
        ("decode tok/s: ours vs llama.cpp", f"{llm['decode_tok_s']} vs {llm.get('llamacpp_decode_tok_s', '–')}"
         f" = {llm.get('decode_vs_llamacpp', '–')}x", "≥ 0.6x"),
        ("raw model.generate tok/s (incl. prefill)", f"{llm['raw_generate_tok_s_incl_prefill']}", "–"),
        ("peak RSS", f"{peak_mb:.0f} MB", "–"),
    ]
    print("command: make bench   (python bench/run.py)\n")
    print("| measure | measured | target |\n|---|---|---|")
    for row in rows:
        print(f"| {' | '.join(row)} |")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"ingest": ingest_figures, "retrieval": retrieval, "llm": llm,
                                "peak_rss_mb": round(peak_mb)}, indent=2), encoding="utf-8")
    print(f"\nwritten: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
