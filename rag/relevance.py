"""The relevance gate: which retrieved sources are good enough to cite, and when the corpus does not cover
the question at all (a refusal)."""
from __future__ import annotations

from collections.abc import Callable

from rag.config import RagConfig
from rag.judge import searchable
from rag.terms import coverage, question_terms, weighted_coverage
from rag.types import Source


def relevant_sources(question: str, sources: list[Source], config: RagConfig,
                     named: frozenset[str] = frozenset(), weight: Callable[[str], float] = lambda term: 1.0,
                     about_document: bool = False) -> list[Source]:
    """Sources good enough to cite, or [] when the corpus does not cover the question.

    Below min_score nothing is relevant. Cited: sources within cite_margin of the best similarity, and sources
    containing nearly all of the question's specific words (what BM25 found that the embedder ranks lower).
    When the question names documents (`named`, doc ids) and their passages pass min_score, those passages
    are what is cited: the question asked what they say; when it asks about the named document itself
    (`about_document`: who issued it, when), its metadata answers and its passages' words need not match.
    Up to confident_score the question's specific terms must also
    occur in the candidate sources: embedding similarity alone rates any AI-policy text as close to any
    AI-policy question. Terms count by `weight` (the index's IDF: a rare word missing matters more)."""
    if not sources:
        return []
    if named and about_document:  # resolved by its name: a stronger sign than any similarity
        if hits := [s for s in sources if s.doc_id in named]:
            return hits[: config.max_cited]
    best = max(s.score for s in sources)
    if best < config.min_score:
        return []
    terms = question_terms(question)
    close = [s for s in sources if s.doc_id in named and s.score >= config.min_score]
    close = close or [s for s in sources if s.score >= max(config.min_score, best - config.cite_margin)
                      or (s.score >= config.min_score and len(terms) >= 2
                          and coverage(terms, searchable(s)) >= config.lexical_cite_coverage)]
    if best < config.confident_score:
        found = weighted_coverage(terms, " ".join(searchable(s) for s in close), weight)
        if found < config.min_term_coverage:
            return []
    return close[: config.max_cited]
