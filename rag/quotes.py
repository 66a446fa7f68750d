"""Quote choice: which sentence of each source is shown, verbatim and with its place in the passage."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rag.sentences import sentence_spans
from rag.types import Source


def with_quotes(question: str, sources: list[Source],
                similarities: Callable[[str, list[str]], list[float]]) -> list[Source]:
    """Copies of the sources, each quoting its sentence closest to the question (one embedding batch for all),
    with the quote's span in the passage. The sources given are not changed."""
    spans = [(i, span) for i, s in enumerate(sources) for span in sentence_spans(s.text)]
    scores = similarities(question, [sources[i].text[a:b] for i, (a, b) in spans])
    best: dict[int, tuple[float, tuple[int, int]]] = {}
    for (i, span), score in zip(spans, scores):
        if i not in best or score > best[i][0]:
            best[i] = (score, span)
    quoted = []
    for i, source in enumerate(sources):
        start, end = best[i][1] if i in best else (0, len(source.text))
        quoted.append(replace(source, quote=source.text[start:end], quote_span=(start, end)))
    return quoted
