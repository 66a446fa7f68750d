"""The relevance gate: which retrieved sources are good enough to cite, and when the corpus does not cover
the question at all (a refusal).

Two kinds of evidence, by the passage's language: an English passage by the embedder's cosine to the question's
English reading (the question, or a Chinese question's dictionary rendering, rag/bridge.py) and by the question's
words it holds; a Chinese passage by words alone — the bundled embedder reads English only, so its cosine for
Chinese text is noise — through the rendering: the English senses of the question's words whose Chinese form the
passage holds."""
from __future__ import annotations

from collections.abc import Callable

from rag.bridge import Query
from rag.config import RagConfig
from rag.judge import searchable
from rag.terms import coverage, group_coverage
from rag.types import Source


def read_by_embedder(source: Source) -> bool:
    """A passage whose cosine is evidence: the bundled embedder reads English (and, by setting, a multilingual
    embedder reads both: see `multilingual`)."""
    return source.language != "zh"


def english_view(source: Source, query: Query) -> str:
    """What an English reading of the question can match in the source: an English passage as it is; a Chinese
    one as its title and issuer plus the English senses of those question words it holds in Chinese."""
    if read_by_embedder(source):
        return searchable(source)
    held = [english for chinese, english in query.glossary() if chinese in source.text]
    return " ".join([source.title, source.issuer, *held])


def words_held(query: Query, source: Source) -> float:
    """Share of the question's words the source holds: a Chinese question's own words in a Chinese passage; else
    its words through the rendering (rag/bridge.Query.term_groups, a group per word asked)."""
    if query.language == "zh" and not read_by_embedder(source):
        return coverage(set(query.chinese_terms), source.text)
    return group_coverage(query.term_groups, english_view(source, query))


def relevant_sources(query: Query, sources: list[Source], config: RagConfig,
                     named: frozenset[str] = frozenset(), weight: Callable[[str], float] = lambda term: 1.0,
                     about_document: bool = False, multilingual: bool = False) -> list[Source]:
    """Sources good enough to cite, or [] when the corpus does not cover the question.

    Below min_score (the best English passage's cosine) nothing is relevant, unless a Chinese passage holds the
    question's words. Cited: sources within cite_margin of the best similarity, and sources containing nearly
    all of the question's specific words (what BM25 found that the embedder ranks lower; the only way in for a
    Chinese passage). When the question names documents (`named`, doc ids) and their passages pass min_score
    (or hold the words), those passages are what is cited: the question asked what they say; when it asks about
    the named document itself (`about_document`: who issued it, when), its metadata answers and its passages'
    words need not match. Up to confident_score the question's specific terms must also occur in the candidate
    sources: embedding similarity alone rates any AI-policy text as close to any AI-policy question. Terms count
    by `weight` (the index's IDF: a rare word missing matters more). `multilingual`: the embedder reads Chinese
    too, so every passage's cosine is evidence."""
    if not sources:
        return []
    if named and about_document:  # resolved by its name: a stronger sign than any similarity
        if hits := [s for s in sources if s.doc_id in named]:
            return hits[: config.max_cited]
    groups = query.term_groups

    def by_cosine(s: Source) -> bool:  # its cosine is evidence
        return multilingual or read_by_embedder(s)

    def worded(s: Source) -> bool:  # nearly all the question's words: cited whatever its rank
        return len(groups) >= 2 and words_held(query, s) >= config.lexical_cite_coverage

    def passes(s: Source) -> bool:  # the floor: min_score, or for a passage the embedder cannot read, its words
        return s.score >= config.min_score if by_cosine(s) else words_held(query, s) >= config.min_term_coverage

    best = max((s.score for s in sources if by_cosine(s)), default=0.0)
    if best < config.min_score and not any(passes(s) for s in sources if not by_cosine(s)):
        return []
    close = [s for s in sources if s.doc_id in named and passes(s)]
    close = close or [s for s in sources if (by_cosine(s) and s.score >= max(config.min_score,
                                                                             best - config.cite_margin))
                      or (passes(s) and worded(s))]
    if best < config.confident_score:
        found = group_coverage(groups, " ".join(english_view(s, query) for s in close), weight)
        if found < config.min_term_coverage:
            return []
    return close[: config.max_cited]


def worded_sources(query: Query, sources: list[Source], config: RagConfig) -> list[Source]:
    """Inside the one document a follow-up asks about, when no passage is close enough by meaning: those holding
    at least min_term_coverage of the question's words, most first. A Chinese question's rendering is a bag of
    words whose cosine to the right passage can sit below min_score (0.12-0.39 on dev conversations); its words
    still find the passage."""
    held = sorted(((words_held(query, s), s) for s in sources), key=lambda pair: -pair[0])
    return [s for share, s in held if share >= config.min_term_coverage][: config.max_cited]
