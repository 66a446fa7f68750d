"""The support judge: does a source support a sentence? Deterministic, so the same answer is always checked
the same way; the model's own [n] marks are never trusted. Agreement with people: eval/judge_agreement.py."""
from __future__ import annotations

import re

from rag.terms import SAYING_WORDS, STOPWORDS, content_terms, coverage, truncation_stem
from rag.types import Source

_TOKEN = re.compile(r"[A-Za-z][\w'’-]*|\d[\d.,:-]*\d|\d")
_POSSESSIVE = re.compile(r"['’]s$")
#: Words that turn a statement around; a sentence may use one only where its source does.
NEGATIONS = frozenset("not no never nor cannot neither without reject rejects rejected forbid forbids forbidden "
                      "ban bans banned prohibit prohibits prohibited oppose opposes".split())
#: "The G20 says …": a sentence naming who says something. Names only: "The X", an acronym or several
#: capitalised words — a lone capitalised word ("Governments call for …") is just the start of a sentence.
_ATTRIBUTION = re.compile(
    r"^(?P<the>[Tt]he\s+)?(?P<who>[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|of|for|on|and|in))*)\s+"
    r"(?:says?|states?|calls?|recommends?|requires?|asks?|urges?|emphasi[sz]es|emphasi[sz]e|notes?|stress(?:es)?|"
    r"commits?|encourages?|argues?|warns?|proposes?|supports?|demands?|declares?)\b")


def searchable(source: Source) -> str:
    """What a source can be matched on: its title, issuer, heading and passage."""
    return f"{source.title} {source.issuer} {source.heading} {source.text}"


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
    evidence = f"{searchable(source)} {source.date}"
    words = {_POSSESSIVE.sub("", w).lower() for w in _TOKEN.findall(evidence)}
    if not _names_and_numbers(sentence) <= words:
        return 0.0
    said = {w.lower() for w in _TOKEN.findall(sentence)}
    if (said & NEGATIONS) - words:  # "should not cooperate" is not supported by "should cooperate"
        return 0.0
    # The judge's vocabulary is the one its agreement with people was measured with (eval/judge_agreement.py):
    # function words, the corpus subject and the verbs of saying dropped; words cut by truncation_stem.
    return coverage(content_terms(sentence, STOPWORDS | SAYING_WORDS, truncation_stem), evidence, truncation_stem)


def supports_together(sentence: str, sources: list[Source], min_support: float) -> bool:
    """Whether these sources, read as one text, support the sentence (none: never)."""
    if not sources:
        return False
    if len(sources) == 1:
        return judge(sentence, sources[0]) >= min_support
    merged = Source(n=0, node_id="", doc_id="", title=" ".join(s.title for s in sources),
                    issuer=" ".join(s.issuer for s in sources), date=" ".join(s.date for s in sources), url="",
                    country="", language="", heading=" ".join(s.heading for s in sources),
                    text="\n".join(s.text for s in sources), score=0.0)
    return judge(sentence, merged) >= min_support
