"""Deterministic citation: which sources are relevant, which sentence of each to quote, and which model
sentences a source really supports. The model's own [n] marks are never trusted."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rag.config import RagConfig
from rag.text import content_terms, coverage, question_terms, split_sentences, strip_citation_marks
from rag.types import Source

_TOKEN = re.compile(r"[A-Za-z][\w'’-]*|\d[\d.,:-]*\d|\d")
_POSSESSIVE = re.compile(r"['’]s$")
#: Words that turn a statement around; a sentence may use one only where its source does.
NEGATIONS = frozenset("not no never nor cannot neither without reject rejects rejected forbid forbids forbidden "
                      "ban bans banned prohibit prohibits prohibited oppose opposes".split())
#: A kept sentence this close (Jaccard of content terms) to the quote shown under it would only repeat it.
RESTATES = 0.9
#: Sentences about the prompt rather than the topic ("The document titled ... is cited in the answer").
_META_TALK = re.compile(r"\b(document titled|(is|are) cited|in the answer|the answer is|sources?'? own words|"
                        r"as stated in the (document|source)s?|the (source|quote)s? (say|says|provide|provides))\b",
                        re.IGNORECASE)
_ENDS = (".", "!", "?", "。", "！", "？")
#: "The G20 says …": a sentence naming who says something. Names only: "The X", an acronym or several
#: capitalised words — a lone capitalised word ("Governments call for …") is just the start of a sentence.
_ATTRIBUTION = re.compile(
    r"^(?P<the>[Tt]he\s+)?(?P<who>[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|of|for|on|and|in))*)\s+"
    r"(?:says?|states?|calls?|recommends?|requires?|asks?|urges?|emphasi[sz]es|emphasi[sz]e|notes?|stress(?:es)?|"
    r"commits?|encourages?|argues?|warns?|proposes?|supports?|demands?|declares?)\b")


@dataclass(frozen=True)
class SupportedSentence:
    text: str
    source: Source
    support: float


def _searchable(source: Source) -> str:
    return f"{source.title} {source.issuer} {source.heading} {source.text}"


def relevant_sources(question: str, sources: list[Source], config: RagConfig) -> list[Source]:
    """Sources good enough to cite, or [] when the corpus does not cover the question.

    Below min_score nothing is relevant. Cited: sources within cite_margin of the best similarity, and sources
    containing nearly all of the question's specific words (what BM25 found that the embedder ranks lower).
    Up to confident_score the question's specific terms must also
    occur in the candidate sources: embedding similarity alone rates any AI-policy text as close to any
    AI-policy question."""
    if not sources:
        return []
    best = max(s.score for s in sources)
    if best < config.min_score:
        return []
    terms = question_terms(question)
    close = [s for s in sources if s.score >= max(config.min_score, best - config.cite_margin)
             or (s.score >= config.min_score and len(terms) >= 2
                 and coverage(terms, _searchable(s)) >= config.lexical_cite_coverage)]
    if best < config.confident_score:
        found = coverage(terms, " ".join(_searchable(s) for s in close))
        if found < config.min_term_coverage:
            return []
    return close[: config.max_cited]


def choose_quotes(question: str, sources: list[Source],
                  similarities: Callable[[str, list[str]], list[float]]) -> None:
    """Set each source's quote to its sentence closest to the question (one embedding batch for all)."""
    sentences = [(s, sent) for s in sources for sent in split_sentences(s.text)]
    scores = similarities(question, [sent for _, sent in sentences])
    best: dict[int, tuple[float, str]] = {}
    for (source, sentence), score in zip(sentences, scores):
        if source.n not in best or score > best[source.n][0]:
            best[source.n] = (score, sentence)
    for source in sources:
        source.quote = best.get(source.n, (0.0, source.text))[1]


def _names_and_numbers(sentence: str) -> set[str]:
    """Numbers and capitalised words after the first: the details a small model most often invents."""
    words = [_POSSESSIVE.sub("", w) for w in _TOKEN.findall(sentence)]
    return {w.lower() for i, w in enumerate(words) if w[0].isdigit() or (i > 0 and w[0].isupper())}


def misattributed(sentence: str, source: Source) -> bool:
    """True when the sentence says who says it and that is neither the source's issuer nor the start of its
    title ("The G20 says …" cited to a think tank's paper whose title mentions the G20)."""
    found = _ATTRIBUTION.match(sentence.strip())
    if not found:
        return False
    who = found.group("who")
    if not (found.group("the") or " " in who or any(c.isupper() or c.isdigit() for c in who[1:])):
        return False
    who = who.lower()
    title = re.sub(r"^the\s+", "", source.title.lower())
    return who not in source.issuer.lower() and not title.startswith(who)


def judge(sentence: str, source: Source) -> float:
    """Deterministic support of one sentence by one source, 0..1: the share of the sentence's content words
    found in the source, and 0 when it names a number or proper name, or uses a negation, that the source
    does not contain, or attributes the words to someone other than the source's issuer. Agreement with
    hand labels: eval/judge_agreement.py (tests/eval/test_judge_agreement.py)."""
    if misattributed(sentence, source):
        return 0.0
    evidence = f"{_searchable(source)} {source.date}"
    words = {_POSSESSIVE.sub("", w).lower() for w in _TOKEN.findall(evidence)}
    if not _names_and_numbers(sentence) <= words:
        return 0.0
    said = {w.lower() for w in _TOKEN.findall(sentence)}
    if (said & NEGATIONS) - words:  # "should not cooperate" is not supported by "should cooperate"
        return 0.0
    return coverage(content_terms(sentence), evidence)


def check_draft(draft: str, sources: list[Source], min_support: float) -> tuple[list[SupportedSentence], list[str]]:
    """Keep each whole draft sentence that a source supports, citing the best-supporting source. Returns the
    kept sentences and the unsupported ones; fragments, repeats, talk about the prompt and restatements of a
    quote already shown are dropped without counting as unsupported."""
    kept: list[SupportedSentence] = []
    unsupported: list[str] = []
    seen: set[frozenset[str]] = set()
    for raw in split_sentences(draft):
        sentence = strip_citation_marks(raw).strip()
        terms = content_terms(sentence)
        if (len(terms) < 3 or frozenset(terms) in seen or _META_TALK.search(sentence)
                or not sentence.rstrip("\"'”’)] ").endswith(_ENDS)):
            continue
        seen.add(frozenset(terms))
        support, _, source = max(((judge(sentence, s), -s.n, s) for s in sources), key=lambda x: (x[0], x[1]))
        quote_terms = content_terms(source.quote)
        restates = len(terms & quote_terms) / len(terms | quote_terms) >= RESTATES
        if support < min_support:
            unsupported.append(sentence)
        elif not restates:
            kept.append(SupportedSentence(sentence, source, support))
    return kept, unsupported
