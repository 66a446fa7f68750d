"""`make bench`: govrag's speed against the hardware limit, measured side by side in one run, printed as a table
(with the command) and written as JSON to bench/results/<timestamp>.json.

Measured: ingest throughput of the default corpus on each embedder runtime vs raw sentence-transformers
encoding of the same texts, and the query vector's time (bench/embedder.py); no-op re-ingest; hybrid retrieval
latency over the eval questions; the default model's time to first token and decode speed vs raw
`model.generate` on the same prompt and, when the [llamacpp] extra is installed, vs llama-cpp-python on the same
GGUF; what running the engine in its worker process costs an answer; the portable llama.cpp build vs a native
one (bench/llama_builds.py); cold start of `govrag ui` to its first answer; 20 users at once against the commit
before quotes-first (bench/concurrency.py); the 100x index: opening, retrieval, a serving process's memory
(bench/scale.py); peak RSS."""
from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.offline import offline  # noqa: E402

offline()

RUNS = 3


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def bench_retrieval(data_dir: Path) -> tuple[dict, object]:
    from eval.questions import load_questions
    from ingest.config import IndexConfig
    from rag.retrieve import Retriever

    started = time.perf_counter()
    retriever = Retriever(IndexConfig(data_dir=data_dir))
    load_s = time.perf_counter() - started
    questions = [q.question for q in load_questions()]
    for warm_up in ("warm-up one", "warm-up two", "warm-up three"):  # not eval questions: the query cache
        retriever.search(warm_up, 5)
    latencies = []
    for q in questions:
        begun = time.perf_counter()
        retriever.search(q, 5)
        latencies.append((time.perf_counter() - begun) * 1000)
    latencies.sort()
    return {"nodes": retriever.count(), "queries": len(latencies), "p50_ms": round(latencies[len(latencies) // 2], 1),
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
            "load_s": round(load_s, 1)}, retriever


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


def isolation_cost(isolated, in_process, messages: list[dict], tokens: int, runs: int = 15) -> dict:
    """Whole-answer wall time of the same greedy generation through the worker process vs in this process,
    interleaved; medians and their difference (what running the engine out of process costs an answer)."""
    def answer_ms(model) -> tuple[float, str]:
        started = time.perf_counter()
        text = "".join(model.stream(messages, tokens))
        return (time.perf_counter() - started) * 1000, text

    worker, local = [], []
    for _ in range(runs):
        worker.append(answer_ms(isolated))
        local.append(answer_ms(in_process))
    assert {t for _, t in worker} == {t for _, t in local}, "the worker answered other words"
    ours, theirs = _median([ms for ms, _ in worker]), _median([ms for ms, _ in local])
    return {"answer_ms_worker": ours, "answer_ms_in_process": theirs, "isolation_ms": round(ours - theirs, 2),
            "isolation_runs": runs}


def bench_llm(retriever, cache_dir: Path) -> dict:
    """The default engine (llama.cpp when the extra is installed) vs llama-cpp-python called directly on the
    same GGUF and prompt, and the transformers engine (cold: GGUF conversion; warm: its saved copy) vs raw
    `model.generate` on the same prompt."""
    import torch

    from rag.config import LLMConfig, RagConfig
    from rag.llm import bundled_model_file, engine_for, load_chat_model, load_engine
    from rag.prompt import build_messages
    from rag.quotes import with_quotes

    question = "What do the Asilomar AI Principles say about an arms race in lethal autonomous weapons?"
    sources = with_quotes(question, retriever.search(question, RagConfig().top_k), retriever.similarities)
    messages = build_messages(question, sources[:3])
    config = LLMConfig(cache_dir=cache_dir)
    tokens = config.max_new_tokens
    result: dict = {"default_engine": engine_for(config)}
    started = time.perf_counter()
    model = load_chat_model(config)  # the serving path: the engine in its worker process
    model.ready()
    result["worker_start_s"] = round(time.perf_counter() - started, 2)
    ours = [_stream_timing(model.stream(messages, tokens)) for _ in range(RUNS)]
    result |= {"ttft_s": _median([t for t, _, _ in ours]), "decode_tok_s": _median([r for _, r, _ in ours])}
    if result["default_engine"] == "llamacpp":
        result |= isolation_cost(model, load_engine(config, "llamacpp"), messages, tokens)
    model.close()
    del model

    loads = []
    for _ in range(2):  # the first converts the GGUF and saves the copy, the second loads the copy
        started = time.perf_counter()
        transformers = load_engine(LLMConfig(engine="transformers", cache_dir=cache_dir), "transformers")
        loads.append(round(time.perf_counter() - started, 2))
    timings = [_stream_timing(transformers.stream(messages, tokens)) for _ in range(RUNS)]
    inputs = transformers.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                        return_dict=True)
    raw = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with torch.inference_mode():
            out = transformers.model.generate(**inputs, max_new_tokens=tokens, do_sample=False,
                                              pad_token_id=transformers.tokenizer.eos_token_id)
        raw.append((out.shape[1] - inputs["input_ids"].shape[1]) / (time.perf_counter() - started))
    result |= {"prompt_tokens": int(inputs["input_ids"].shape[1]), "transformers_load_cold_s": loads[0],
               "transformers_load_cached_s": loads[1],
               "transformers_ttft_s": _median([t for t, _, _ in timings]),
               "transformers_decode_tok_s": _median([r for _, r, _ in timings]),
               "raw_generate_tok_s_incl_prefill": _median(raw)}
    del transformers
    try:
        from llama_cpp import Llama
    except ImportError:
        result["llamacpp"] = "not installed (pip install -e '.[llamacpp]')"
        return result
    llama = Llama(model_path=str(bundled_model_file()), n_ctx=4096, n_threads=os.cpu_count(), verbose=False)

    def pieces():
        llama.reset()  # as the engine does: no prompt prefix reused from the previous run
        for chunk in llama.create_chat_completion(messages=messages, max_tokens=tokens, temperature=0,
                                                  stream=True):
            if chunk["choices"][0]["delta"].get("content"):
                yield chunk

    theirs = [_stream_timing(pieces()) for _ in range(RUNS)]
    result |= {"llamacpp_ttft_s": _median([t for t, _, _ in theirs]),
               "llamacpp_decode_tok_s": _median([r for _, r, _ in theirs])}
    result["decode_vs_llamacpp"] = round(result["decode_tok_s"] / result["llamacpp_decode_tok_s"], 3)
    result["transformers_vs_llamacpp"] = round(result["transformers_decode_tok_s"]
                                               / result["llamacpp_decode_tok_s"], 3)
    return result


def bench_scale(data_dir: Path, scale_dir: Path) -> dict:
    """The 100x index: built; opened the first time after a write (every record read from Chroma, the snapshot
    saved) and then as every later start opens it (from the snapshot); retrieval on it; a `govrag ui` serving it,
    its memory after answering questions."""
    from bench.scale import build_synthetic, serving_memory
    from ingest.config import IndexConfig
    from rag.retrieve import Retriever

    built = build_synthetic(data_dir, scale_dir)
    started = time.perf_counter()
    Retriever(IndexConfig(data_dir=scale_dir))
    first_open_s = round(time.perf_counter() - started, 1)
    figures, retriever = bench_retrieval(scale_dir)
    del retriever
    return built | figures | {"first_open_s": first_open_s} | serving_memory(scale_dir)


def main() -> int:
    from bench.concurrency import bench_concurrency
    from bench.concurrency import rows as concurrency_rows
    from bench.embedder import bench_embedders
    from bench.embedder import rows as embedder_rows
    from bench.llama_builds import bench_builds, bench_prompt
    from bench.llama_builds import rows as build_rows
    from bench.scale import cold_starts

    builds = bench_builds(bench_prompt())  # first: its builds want both cores to themselves
    with tempfile.TemporaryDirectory(prefix="govrag-bench-") as tmp:
        data_dir = Path(tmp)
        ingest_figures = bench_embedders(data_dir)
        index_dir = data_dir / "onnx-0"
        retrieval, retriever = bench_retrieval(index_dir)
        llm = bench_llm(retriever, index_dir / "model-cache")
        del retriever
        question = "What do the OECD AI Principles say about transparency?"
        starts = [cold_starts(index_dir, question, engine) for engine in ("auto", "transformers")]
        users = bench_concurrency(index_dir)
        scale = bench_scale(index_dir, data_dir / "scale")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = {True: "✓", False: "✗"}
    ll = llm.get("llamacpp_decode_tok_s", "–")
    rows = embedder_rows(ingest_figures) + [
        (f"retrieval p50 / p95, default corpus ({retrieval['nodes']} nodes, {retrieval['queries']} questions)",
         f"{retrieval['p50_ms']} / {retrieval['p95_ms']} ms",
         f"≤ 20 / 50 ms {ok[retrieval['p50_ms'] <= 20]} {ok[retrieval['p95_ms'] <= 50]}"),
        (f"retrieval p50 / p95 at 100x ({scale['nodes']} nodes)", f"{scale['p50_ms']} / {scale['p95_ms']} ms",
         f"p50 ≤ 30 ms {ok[scale['p50_ms'] <= 30]}"),
        ("100x: open the index, ready to search (embedder loaded; from its snapshot) / first open after a write "
         "(reads Chroma, saves the snapshot) / build the synthetic index",
         f"{scale['load_s']} s / {scale['first_open_s']} s / {scale['build_s']} s",
         f"≤ 5 s {ok[scale['load_s'] <= 5]}"),
        (f"100x: resident memory of `govrag ui` serving it, after {scale['questions_served']} answers: now / peak "
         f"(its model worker: {scale['worker_rss_mb']} MB more)", f"{scale['rss_mb']} / {scale['peak_rss_mb']} MB",
         f"peak ≤ 2048 MB {ok[scale['peak_rss_mb'] <= 2048]}"),
        (f"time to first token, default engine ({llm['default_engine']})", f"{llm['ttft_s']} s",
         f"≤ 1.0 s {ok[llm['ttft_s'] <= 1.0]}"),
        ("default engine in its worker process: start (spawn + load + start check) / one answer vs the same "
         "engine in-process (median of 15, interleaved)",
         f"{llm['worker_start_s']} s / {llm.get('answer_ms_worker', '–')} vs {llm.get('answer_ms_in_process', '–')} "
         f"ms = +{llm.get('isolation_ms', '–')} ms per answer", "–"),
        (f"decode tok/s: default engine ({llm['default_engine']}) vs llama-cpp-python direct",
         f"{llm['decode_tok_s']} vs {ll} = {llm.get('decode_vs_llamacpp', '–')}x",
         f"≥ 0.6x {ok[llm.get('decode_vs_llamacpp', 0) >= 0.6]}"),
        ("decode tok/s: transformers engine vs llama-cpp-python direct",
         f"{llm['transformers_decode_tok_s']} vs {ll} = {llm.get('transformers_vs_llamacpp', '–')}x", "–"),
        ("transformers engine: TTFT; raw model.generate tok/s (incl. prefill)",
         f"{llm['transformers_ttft_s']} s; {llm['raw_generate_tok_s_incl_prefill']}", "–"),
        ("transformers engine load: GGUF conversion / saved copy",
         f"{llm['transformers_load_cold_s']} s / {llm['transformers_load_cached_s']} s", "–"),
    ]
    for start in starts:
        target = (f"first answer ≤ 5 s {ok[start['first_answer_s'] <= 5]}" if start["engine"] == "auto" else "–")
        rows.append((f"cold start `govrag ui` ({start['engine']} engine), median of {start['runs']}: page served / "
                     "first answer's cited quotes / first answer finished",
                     f"{start['page_served_s']} s / {start['quotes_s']} s / {start['first_answer_s']} s", target))
    rows += concurrency_rows(users)
    rows += build_rows(builds)
    rows.append(("peak RSS of the bench process (100x index loaded)", f"{peak_mb:.0f} MB", "–"))
    print(f"command: make bench   (python bench/run.py; {os.cpu_count()} cores)\n")
    print("| measure | measured | target |\n|---|---|---|")
    for row in rows:
        print(f"| {' | '.join(row)} |")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"ingest": ingest_figures, "retrieval": retrieval, "scale_100x": scale, "llm": llm,
                                "cold_start": starts, "users_at_once": users, "llama_builds": builds,
                                "peak_rss_mb": round(peak_mb)}, indent=2),
                    encoding="utf-8")
    print(f"\nwritten: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
