"""Content terms: the one tokenizer shared by BM25, the relevance gate and the support judge (CJK-aware)."""
from __future__ import annotations

import functools
import re

import Stemmer

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[\u3400-\u9fff]+")
#: Function words plus words every document in this corpus uses: they say nothing about support or coverage.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other
our ours out over own same she should so some such than that the their theirs them then there these they this
those through to too under until up very was we were what when where which while who whom why will with would
you your yours may might must shall us etc e.g i.e via per within without upon well yes one two
ai artificial intelligence system systems principle principles document documents say says said according
""".split())
#: Words a question uses about documents rather than about the topic.
QUESTION_WORDS = frozenset("""
call calls called describe describes explain explains mention mentions recommend recommends state states stated
list give tell guideline guidelines governance ethic ethics ethical statement initiative framework regard
regarding concern concerning related relate topic issue issues
""".split())
#: Chinese question words, and characters that only ask or join: bigrams with them are not about the topic.
CJK_QUESTION_WORDS = frozenset("哪些 什么 如何 怎么 怎样 提出 主张 看待 要求 有何 是否 哪个 关于 对于 应该 可以 根据 有哪".split())
_CJK_ASKING = frozenset("哪些么吗呢何怎样的了吧啊")


def cjk_share(text: str) -> float:
    """Share of the non-space characters that are CJK ideographs."""
    chars = [c for c in text if not c.isspace()]
    return sum("\u3400" <= c <= "\u9fff" for c in chars) / len(chars) if chars else 0.0


@functools.cache
def _snowball() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    """The Snowball (Porter 2) English stem: "principles" and "principle" meet, "international" and "internal"
    stay apart (a 7-letter cut merged them)."""
    return _snowball().stemWord(word)


def terms_in_order(text: str, drop: frozenset[str] = STOPWORDS, min_length: int = 3,
                   words: re.Pattern[str] = _WORD) -> list[str]:
    """Stemmed content words in order, repeats kept; Chinese runs become character bigrams (no word
    boundaries to rely on), a one-character run stays itself. Shared by the citation check and BM25."""
    out: list[str] = []
    for token in words.findall(text.lower()):
        if "\u3400" <= token[0] <= "\u9fff":
            out += [token[i:i + 2] for i in range(len(token) - 1)] or [token]
        elif len(token) >= min_length and token not in drop:
            out.append(stem(token))
    return out


def content_terms(text: str, drop: frozenset[str] = STOPWORDS) -> set[str]:
    return set(terms_in_order(text, drop))


def question_terms(question: str) -> set[str]:
    """The question's topic terms: content words, without question words (English or Chinese)."""
    return {t for t in content_terms(question, STOPWORDS | QUESTION_WORDS)
            if t not in CJK_QUESTION_WORDS and not (set(t) & _CJK_ASKING)}


def coverage(terms: set[str], text: str) -> float:
    """Share of `terms` found in `text` (1.0 when there are no terms to find)."""
    if not terms:
        return 1.0
    return len(terms & content_terms(text, frozenset())) / len(terms)
