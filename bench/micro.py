"""The component measurements behind retrieval and chunking changes, side by side in one process:

    GOVRAG_DATA_DIR=<an ingested index> .venv/bin/python bench/micro.py

- Chroma query of the 20-passage pool: with documents + metadatas (what llama-index's retriever fetches to
  rebuild nodes) vs distances only (what rag/retrieve.py asks for);
- the query vector: llama-index's get_query_embedding vs ingest.embedder.query_encoder;
- chunking the default corpus: tokenizer.tokenize vs load_word_pieces, with and without the splitter skip.
Medians over the 106 eval questions (ms) or of 3 runs (s)."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def median_ms(function, inputs) -> float:  # noqa: ANN001
    """Median milliseconds of one call per input (the first three called once before, as a warm-up)."""
    for item in inputs[:3]:
        function(item)
    times = []
    for item in inputs:
        started = time.perf_counter()
        function(item)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def _median_s(function) -> float:  # noqa: ANN001
    times = []
    for _ in range(3):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 2)


def main() -> int:
    from eval.questions import load_questions
    from ingest.chunking import Chunker
    from ingest.config import EMBEDDER_MAX_TOKENS
    from ingest.embedder import load_embedder, load_tokenizer, load_word_pieces, query_encoder
    from ingest.loaders import load_corpus
    from ingest.store import open_collection
    from rag.settings import load_settings

    questions = [q.question for q in load_questions()]
    embedder = load_embedder(None)
    fast = query_encoder(embedder)
    rows = [("query vector: llama-index get_query_embedding",
             f"{median_ms(embedder.get_query_embedding, questions)} ms"),
            ("query vector: query_encoder (modules' forward pass)", f"{median_ms(fast, questions)} ms")]
    collection = open_collection(load_settings().index(), create=False)
    vectors = [fast(q) for q in questions]
    for include in (["documents", "metadatas", "distances"], ["distances"]):
        ms = median_ms(lambda v, i=include: collection.query(query_embeddings=[v], n_results=20, include=i),
                        vectors)
        rows.append((f"Chroma query, 20 results, include={include}", f"{ms} ms"))

    records = load_corpus([ROOT / "corpus"]).records
    tokenizer = load_tokenizer(None)

    def chunk(pieces, skip: bool) -> None:  # noqa: ANN001
        chunker = Chunker(pieces, EMBEDDER_MAX_TOKENS)
        if not skip:  # the splitter for every text, as before the fits-already path
            chunker._split = lambda title, heading, text, c=chunker: [
                x for x in c.splitter.split_text_metadata_aware(text, f"{title}. {heading}.\n" if heading
                                                                else f"{title}.\n") if x.strip()]
        for record in records:
            chunker.nodes(record)

    for name, pieces, skip in (("tokenizer.tokenize, splitter always", tokenizer.tokenize, False),
                               ("load_word_pieces, splitter always", load_word_pieces(None), False),
                               ("load_word_pieces, splitter only for texts that do not fit", load_word_pieces(None),
                                True)):
        rows.append((f"chunk the default corpus: {name}", f"{_median_s(lambda p=pieces, k=skip: chunk(p, k))} s"))
    print("command: GOVRAG_DATA_DIR=<index> python bench/micro.py\n\n| measure | median |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
