"""Content terms: the one tokenizer shared by BM25, the relevance gate and the support judge (CJK-aware)."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable

import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from rag.chinese import CJK_RUN, content_words, index_words, is_cjk

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[\u3400-\u9fff]+")

# Every list below follows a rule stated above it; none holds a word taken from an eval question or a document
# title (tests/rag/test_terms.py checks the rules that can be checked).
#: Rule 1, function words: NLTK's English list as bm25s ships it, plus the modal verbs, prepositions, indefinite
#: pronouns and Latin abbreviations it lacks.
FUNCTION_WORDS = frozenset(STOPWORDS_EN_PLUS) | frozenset(
    "may might must shall would could also per via upon within without etc e.g i.e anything something everything "
    "nothing anyone someone everyone nobody".split())
#: Rule 2, the corpus's own subject, which nearly every question and passage names: "AI" or "artificial
#: intelligence", and "(AI) system(s)".
SUBJECT_WORDS = frozenset("ai artificial intelligence system systems".split())
#: Words that say nothing about a topic: BM25, the relevance gate and the support judge ignore them.
STOPWORDS = FUNCTION_WORDS | SUBJECT_WORDS
#: Verbs of saying: "X says …" or "according to X, …" attributes a claim (the judge checks who says it apart).
SAYING_WORDS = frozenset("say says said according".split())
#: Rule 3, reporting verbs: how a question asks what a text says ("what does X say / state / recommend").
REPORTING_WORDS = SAYING_WORDS | frozenset("""call calls called describe describes explain explains mention
mentions recommend recommends state states stated list lists give gives tell tells propose proposes ask asks urge
urges suggest suggests advise advises advocate advocates""".split())
#: Rule 4, kinds of document: how a question points at texts ("which guidelines …", "the declaration").
DOCUMENT_KIND_WORDS = frozenset("""document documents principle principles guideline guidelines statement statements
initiative initiatives framework frameworks declaration declarations recommendation recommendations charter
charters report reports paper papers strategy strategies""".split())
#: Rule 5, linking words: how a question joins its subject to its topic ("regarding", "related to", "on the issue").
LINKING_WORDS = frozenset("regard regarding concern concerning related relate topic topics issue issues".split())
#: Words a question uses about documents rather than about the topic (rules 3-5).
QUESTION_WORDS = REPORTING_WORDS | DOCUMENT_KIND_WORDS | LINKING_WORDS
#: Chinese has no such lists: a Chinese question's topic words are found by part of speech (rag/chinese.py).
#: How a run of Chinese characters becomes tokens: "words" (jieba's search-mode words and sub-words), "bigrams"
#: (every two adjacent characters), or "both". Chosen on dev + dev2's 29 answerable Chinese questions
#: (`bench/dev_sweeps.py --chinese`): words 0.879 cited-document recall / 0.741 key terms, bigrams 0.828 / 0.672,
#: recall@5 1.0 both.
CJK_TOKENS = "words"


@functools.cache
def _snowball() -> Stemmer.Stemmer:
    # One shared by every thread: PyStemmer never releases the GIL inside stemWord, so calls cannot interleave
    # (a second one made by a concurrent first call is harmless: it is cheap and stateless for us).
    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    """The Snowball (Porter 2) English stem: "principles" and "principle" meet, "international" and "internal"
    stay apart (a 7-letter cut merged them)."""
    return _snowball().stemWord(word)


def truncation_stem(word: str) -> str:
    """The support judge's word matching: long words cut to 7 letters, a plural s dropped. Kept for the judge
    alone: its agreement with blind labels was measured with it, and Snowball stems let one more unsupported
    held-out sentence through (4 of 55 vs 3; "building" meets "build"). Its threshold may only be re-chosen on
    the fitted labels, which do not ask for a change (eval/judge_agreement.py)."""
    return word[:7] if len(word) > 7 else (word[:-1] if len(word) > 4 and word.endswith("s") else word)


def terms_in_order(text: str, drop: frozenset[str] = STOPWORDS, min_length: int = 3,
                   words: re.Pattern[str] = _WORD, stemmer: Callable[[str], str] = stem) -> list[str]:
    """Stemmed content words in order, repeats kept; Chinese runs become words or bigrams (CJK_TOKENS).
    Shared by the citation check and BM25."""
    out: list[str] = []
    for token in words.findall(text.lower()):
        if is_cjk(token[0]):
            out += cjk_tokens(token)
        elif len(token) >= min_length and token not in drop:
            out.append(stemmer(token))
    return out


def content_terms(text: str, drop: frozenset[str] = STOPWORDS, stemmer: Callable[[str], str] = stem) -> set[str]:
    return set(terms_in_order(text, drop, stemmer=stemmer))


def cjk_tokens(run: str, kind: str | None = None) -> list[str]:
    """A run of Chinese characters as tokens (`kind`, default CJK_TOKENS); a one-character run stays itself."""
    kind = kind or CJK_TOKENS
    bigrams = [run[i:i + 2] for i in range(len(run) - 1)] or [run]
    if kind == "bigrams":
        return bigrams
    words = index_words(run) or [run]
    return words + [b for b in bigrams if b not in words] if kind == "both" else words


def question_terms(question: str) -> set[str]:
    """The question's topic terms: English content words without question words (rules 1-5), and the Chinese
    words whose part of speech carries a topic (rag/chinese.content_words: no interrogatives, particles,
    prepositions)."""
    english = {t for t in content_terms(question, STOPWORDS | QUESTION_WORDS) if not is_cjk(t[0])}
    if not CJK_RUN.search(question):
        return english
    return english | {w for w in content_words(question) if CJK_RUN.fullmatch(w)}


def group_coverage(groups: list[frozenset[str]], text: str, weight: Callable[[str], float] = lambda t: 1.0) -> float:
    """Share of the groups' total weight found in `text` (1.0 when there are none): a group is one word asked
    (an English stem, or the stems of a Chinese word's senses) and is found when any of its stems is; it weighs
    the mean `weight` of its stems. With IDF weights a missing rare word ("kill switch") counts for more than a
    missing common one ("people")."""
    if not groups:
        return 1.0
    held = content_terms(text, frozenset())
    weights = [sum(map(weight, g)) / len(g) for g in groups]
    return sum(w for g, w in zip(groups, weights) if g & held) / sum(weights)


def coverage(terms: set[str], text: str, stemmer: Callable[[str], str] = stem) -> float:
    """Share of `terms` found in `text` (1.0 when there are no terms to find); `terms` made with `stemmer`."""
    if not terms:
        return 1.0
    return len(terms & content_terms(text, frozenset(), stemmer)) / len(terms)
