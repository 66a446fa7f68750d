"""Quote choice: which part of each source is shown, verbatim and with its place in the passage.

The quote answers, not just resembles: it starts at the sentence closest to the question by meaning (sentences
about the document itself — "This document was written by …" — count less, unless the question asks who wrote
or issued it), a short principle is quoted whole, and a longer one grows by the neighbouring sentences that
bring the question's terms it still lacks (or finish a fragment), within a length budget. One contiguous span
per source, so the quote stays a verbatim passage the reader can find. Its sentence closest to the question is
its focus: what the language model is given (a 135M model given whole passages paraphrases and invents)."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from rag.sentences import sentence_spans
from rag.terms import content_terms, question_terms
from rag.types import Source

#: Sentences about the document rather than its content.
_META = re.compile(r"\b(?:this|the present)\s+(?:document|report|paper|publication|white\s*paper|guide|statement|"
                   r"declaration|charter|framework|letter)\b|"
                   r"\bwas\s+(?:written|published|issued|prepared|drafted)\s+by\b",
                   re.IGNORECASE)
#: A sentence addressed to an AI system rather than to readers ("ignore all previous instructions", "reveal your
#: system prompt"): documents are data, so such a sentence is never quoted nor given to the model; the passage
#: keeps it, and the sources panel shows it.
_INSTRUCTION = re.compile(r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+|your\s+)*(?:previous|prior|above|"
                          r"earlier)?\s*(?:instructions|prompts?|rules|sources)\b|\bsystem\s+(?:prompt|notice|message)\b|"
                          r"\byou\s+are\s+now\b", re.IGNORECASE)
#: The question asks about the document itself: its meta sentences are then what answers.
_ASKS_META = re.compile(r"\b(?:who|which\s+(?:organi[sz]ation|body|ministry|institution|company|group))\b|"
                        r"\b(?:wrote|written|issued?|published?|authored?|drafted)\b", re.IGNORECASE)


@dataclass(frozen=True)
class QuoteRules:
    """Lengths chosen on dev and dev2, each alone (`bench/dev_sweeps.py`: English key terms found in the quotes
    with whole passages up to 320 / 450 / 600 characters: 0.922 / 0.927 / 0.944 on dev, 0.752 / 0.797 / 0.822 on
    dev2; a term-overlap bonus added to the similarity lowered both). Nodes are principle-sized, so most are
    quoted whole."""
    #: A passage up to this many characters is one principle: quoted whole.
    whole_chars: int = 600
    #: A quote shorter than this is a fragment (a heading, a clause): it grows by a neighbour.
    min_chars: int = 80
    #: A quote grows only while it stays within this many characters.
    max_chars: int = 600
    #: Subtracted from a meta sentence's similarity.
    meta_penalty: float = 0.1


def _quote_span(question: str, text: str, spans: list[tuple[int, int]], scores: list[float],
                rules: QuoteRules) -> tuple[tuple[int, int], tuple[int, int]]:
    """(quote span, focus span): the quote, and its sentence closest to the question."""
    if not spans:
        return (0, len(text)), (0, len(text))
    blocked = [bool(_INSTRUCTION.search(text[a:b])) for a, b in spans]
    penalty = 0.0 if _ASKS_META.search(question) else rules.meta_penalty
    ranked = [score - penalty * bool(_META.search(text[a:b])) - 10.0 * stop
              for (a, b), score, stop in zip(spans, scores, blocked)]
    best = max(range(len(spans)), key=ranked.__getitem__)
    if len(text.strip()) <= rules.whole_chars and not any(blocked):
        return (spans[0][0], spans[-1][1]), spans[best]
    first = last = best
    wanted = question_terms(question)
    covered = wanted & content_terms(text[spans[first][0]:spans[first][1]])
    while True:
        options = []
        for i in (last + 1, first - 1):  # the next sentence first: a principle's reason follows its statement
            if 0 <= i < len(spans) and not blocked[i]:
                lo, hi = min(first, i), max(last, i)
                if spans[hi][1] - spans[lo][0] > rules.max_chars:
                    continue
                gain = (wanted - covered) & content_terms(text[spans[i][0]:spans[i][1]])
                short = spans[last][1] - spans[first][0] < rules.min_chars
                if gain or short:
                    options.append((len(gain), i))
        if not options:
            return (spans[first][0], spans[last][1]), spans[best]
        _, i = max(options, key=lambda o: o[0])
        covered |= wanted & content_terms(text[spans[i][0]:spans[i][1]])
        first, last = min(first, i), max(last, i)


def with_quotes(question: str, sources: list[Source], similarities: Callable[[str, list[str]], list[float]],
                rules: QuoteRules = QuoteRules()) -> list[Source]:
    """Copies of the sources, each quoting the part that answers the question (one embedding batch for all),
    with the quote's span in the passage. The sources given are not changed."""
    spans = [sentence_spans(s.text) for s in sources]
    flat = [s.text[a:b] for s, own in zip(sources, spans) for a, b in own]
    scores = iter(similarities(question, flat))
    quoted = []
    for source, own in zip(sources, spans):
        (start, end), (a, b) = _quote_span(question, source.text, own, [next(scores) for _ in own], rules)
        quoted.append(replace(source, quote=source.text[start:end], quote_span=(start, end), focus=source.text[a:b]))
    return quoted
