"""Two documents side by side on a topic (Answerer.compare; a follow-up "how does that compare with X?"):
each retrieved inside its document, quoted and cited on its own. No model synthesis: a 135M model cannot be
trusted to weigh two documents against each other."""
from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

from rag.answer_text import source_label
from rag.filters import Filters
from rag.quotes import with_quotes
from rag.relevance import worded_sources
from rag.types import AnswerResult, Citation, Evidence, EvidenceGroup
from rag.wording import wording

if TYPE_CHECKING:
    from rag.answer import Answerer


def compare_documents(answerer: "Answerer", doc_a: str, doc_b: str, topic: str, per_side: int = 2, asked: str = "",
                      other_reading: str = "", carried: str = "") -> AnswerResult:
    """The best `per_side` passages of each document on `topic` close enough to quote (or, for a short topic far
    from any passage by cosine, those holding its words), each side under its own heading."""
    retriever, config = answerer.retriever, answerer.config
    started = time.perf_counter()
    topic = answerer.check(topic)
    query = retriever.query(topic)
    words = wording(query.language)
    found = []
    for doc in (doc_a, doc_b):
        hits = retriever.search(topic, per_side, Filters(doc=doc), hybrid=config.hybrid, per_doc_cap=None,
                                query=query)
        close = [s for s in hits if s.score >= config.min_score
                 or (s.language == "zh" and not retriever.config.embed_multilingual)]
        # A short topic ("government surveillance") sits far from any passage by cosine: its words then choose.
        found.append(close or worded_sources(query, hits, config)[:per_side])
    numbered = [replace(s, n=n) for n, s in enumerate((s for side in found for s in side), 1)]
    sources = with_quotes(retriever.embedded_text(query), numbered, retriever.similarities)
    sides = [sources[:len(found[0])], sources[len(found[0]):]]
    titles = dict(answerer.documents())
    names = [titles.get(doc, doc) for doc in (doc_a, doc_b)]
    groups = tuple(EvidenceGroup(f"{source_label(side[0])}:", tuple(Evidence.of(s) for s in side), one_document=True)
                   if side else EvidenceGroup(f"{name}:", (), empty=f"nothing in this document is close enough to "
                                                                  f"“{topic}” to quote.")
                   for name, side in zip(names, sides))
    question = words.compare_heading.format(a=names[0], b=names[1], topic=topic)
    timings = {"retrieve": (time.perf_counter() - started) * 1000, "generate": 0.0}
    timings["total"] = timings["retrieve"]
    # "Searching within" says how a follow-up was read; a comparison asked for by name needs no such line.
    framed = {"asked": asked, "language": query.language, "within": tuple(names) if asked else (),
              "other_reading": other_reading,
              "turn": answerer.turn_for(topic, query.language, [doc_a, doc_b], carried or topic)}
    if not sources:
        return AnswerResult(question, sources, "refused", lead=words.refusal, timings_ms=timings, **framed)
    return AnswerResult(question, sources, "supported", evidence=groups,
                        citations=[Citation.of(s) for s in sources], timings_ms=timings, **framed)
