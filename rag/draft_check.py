"""The draft check: which sentences of the model's draft survive, each cited to the source that supports it."""
from __future__ import annotations

import re

from rag.judge import judge
from rag.sentences import split_sentences, strip_citation_marks
from rag.terms import content_terms
from rag.types import Source, SynthesisSentence

#: A kept sentence this close (Jaccard of content terms) to the quote shown under it would only repeat it.
RESTATES = 0.9
#: Sentences about the prompt rather than the topic ("The document titled ... is cited in the answer").
_META_TALK = re.compile(r"\b(document titled|(is|are) cited|in the answer|the answer is|sources?'? own words|"
                        r"as stated in the (document|source)s?|the (source|quote)s? (say|says|provide|provides))\b",
                        re.IGNORECASE)
_ENDS = (".", "!", "?", "。", "！", "？")


def reviewable_sentences(draft: str) -> list[str]:
    """The draft's whole sentences that say something: fragments, repeats and talk about the prompt dropped,
    citation marks removed (the model's own marks are never trusted)."""
    found: list[str] = []
    seen: set[frozenset[str]] = set()
    for raw in split_sentences(draft):
        sentence = strip_citation_marks(raw).strip()
        terms = frozenset(content_terms(sentence))
        if (len(terms) < 3 or terms in seen or _META_TALK.search(sentence)
                or not sentence.rstrip("\"'”’)] ").endswith(_ENDS)):
            continue
        seen.add(terms)
        found.append(sentence)
    return found


def check_draft(draft: str, sources: list[Source],
                min_support: float) -> tuple[list[SynthesisSentence], list[str]]:
    """Keep each reviewable draft sentence that a source supports, citing the best-supporting source. Returns
    the kept sentences and the unsupported ones; restatements of a quote already shown are dropped without
    counting as unsupported."""
    kept: list[SynthesisSentence] = []
    unsupported: list[str] = []
    for sentence in reviewable_sentences(draft):
        terms = content_terms(sentence)
        support, _, source = max(((judge(sentence, s), -s.n, s) for s in sources), key=lambda x: (x[0], x[1]))
        quote_terms = content_terms(source.quote)
        restates = len(terms & quote_terms) / len(terms | quote_terms) >= RESTATES
        if support < min_support:
            unsupported.append(sentence)
        elif not restates:
            kept.append(SynthesisSentence(sentence, source.n, support))
    return kept, unsupported
