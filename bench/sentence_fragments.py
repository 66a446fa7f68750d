"""Fragment quotes before and after the sentence segmenter change, on every passage of the index.

A fragment is a piece that cannot be a sentence on its own: it starts with a lower-case letter or a digit
(the previous cut fell inside a sentence: "e.g. | chatbots", "Art. | 5 of ..."), or it has fewer than three
words; a leading list marker ("(ii) ", "1) ", "b) ") is not its start. A passage that begins mid-sentence (a
chunk boundary) counts on both sides alike. "before" is the punctuation regex govrag used until issue 14 (copied here); "after" is
rag.sentences (pysbd). Run: .venv/bin/python bench/sentence_fragments.py"""
from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.offline import offline  # noqa: E402

offline()

_OLD_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[A-Z0-9a-z\u3400-\u9fff])|(?<=[。！？；])")


def old_spans(text: str) -> list[tuple[int, int]]:
    from rag.sentences import _BLOCK, _pieces

    return [span for a, b in _pieces(text, _BLOCK, 0) for span in _pieces(text[a:b], _OLD_END, a)]


_LIST_MARK = re.compile(r"^\s*(?:[-*•]\s*)?\(?(?:[ivx]+|\d+|[a-z])[.)]\s+")


def fragment(sentence: str) -> bool:
    first = _LIST_MARK.sub("", sentence).lstrip("\"'“([- ")[:1]
    return first.islower() or first.isdigit() or len(sentence.split()) < 3


def main() -> int:
    from ingest.store import open_collection, stored_records
    from rag.sentences import sentence_spans
    from rag.settings import load_settings

    texts = [text for _, text, _ in stored_records(open_collection(load_settings().index(), create=False))]
    print(f"# Sentence fragments on {len(texts)} indexed passages\n\ncommand: .venv/bin/python "
          "bench/sentence_fragments.py\n\n| segmenter | sentences | fragments | share | ms per passage (median) |\n"
          "|---|---|---|---|---|")
    for name, spans_of in (("regex (before)", old_spans), ("pysbd (rag.sentences)", sentence_spans)):
        sentences, times = [], []
        for text in texts:
            started = time.perf_counter()
            spans = spans_of(text)
            times.append((time.perf_counter() - started) * 1000)
            sentences += [text[a:b] for a, b in spans]
        bad = sum(map(fragment, sentences))
        print(f"| {name} | {len(sentences)} | {bad} | {bad / len(sentences):.3f} | {statistics.median(times):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
