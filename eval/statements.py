"""ALCE-style statement-level citation recall and precision (Gao et al. 2023), with the deterministic support
judge (rag/judge.judge) in place of ALCE's NLI model.

A statement is a sentence of the answer with the sources it cites, read from the answer's typed parts. Citation
recall: the share of statements whose cited sources, together, support them. Citation precision: the share of
citations that are needed — a citation is irrelevant when it does not support its statement alone and the
statement's other citations support it without it; citations of a statement they do not support are not needed
either (as in ALCE's code)."""
from __future__ import annotations

from dataclasses import dataclass

from rag.judge import supports_together
from rag.sentences import split_sentences, strip_citation_marks
from rag.types import AnswerResult


@dataclass(frozen=True)
class Statement:
    text: str
    cites: tuple[int, ...]


def statements(result: AnswerResult, implicit: bool = False) -> list[Statement]:
    """Each synthesis sentence, citing its source, and each quote, citing the source it is quoted from.
    `implicit`: a pipeline whose prose (its lead) marks no sentence and shows its sources beside it (the naive
    baseline): every sentence of the prose counts as citing all of them."""
    if implicit:
        every = tuple(sorted(s.n for s in result.sources))
        return [Statement(strip_citation_marks(s), every) for s in split_sentences(result.lead)]
    found = [Statement(s.text, (s.source,)) for s in result.synthesis]
    return found + [Statement(e.quote, (e.source,)) for group in result.evidence for e in group.items]


def citation_scores(result: AnswerResult, min_support: float, implicit: bool = False) -> dict[str, int]:
    """Counts for one answer: statements, supported statements, citations, needed citations."""
    sources = {s.n: s for s in result.sources}
    found = statements(result, implicit)
    counts = {"statements": len(found), "supported_statements": 0, "citations": 0, "needed_citations": 0}
    for st in found:
        cited = [sources[n] for n in st.cites]
        together = supports_together(st.text, cited, min_support)
        counts["supported_statements"] += together
        counts["citations"] += len(st.cites)
        for n in st.cites:
            others = [s for s in cited if s.n != n]
            alone = supports_together(st.text, [sources[n]], min_support)
            counts["needed_citations"] += together and (alone or not supports_together(st.text, others,
                                                                                        min_support))
    return counts
