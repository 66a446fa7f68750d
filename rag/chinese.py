"""Chinese text as words: normalised (full-width forms to half-width), segmented by jieba (a kept segmenter,
MIT), and a question's content words found by jieba's part-of-speech tags.

Words rather than character bigrams: "发展中国家" (developing countries) is one word, where bigrams also make
"中国" (China) of it; the dictionary bridge (rag/bridge.py) looks words up, not bigrams."""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from rag.once import load_once

#: A run of CJK ideographs (the Unified block and Extension A).
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
#: jieba's part-of-speech tags (the ICTCLAS set) of words that carry a topic: nouns (n, nr, ns, nt, nz …),
#: verbs (v, vn, vd), adjectives (a, an, ad), distinguishing and status words (b: 隐私 "private", z), place
#: words (s), idioms and set phrases (i, l), abbreviations (j), Latin words (eng). Left out: time words (t), pronouns and interrogatives (r: 哪些 什么), prepositions (p: 对 在 根据), particles (u: 的 了),
#: conjunctions (c), adverbs (d), numerals and measure words (m, q), locatives (f), punctuation (x).
CONTENT_TAGS = ("n", "v", "a", "b", "z", "s", "i", "l", "j", "eng")
#: Tags of names that can be a source asked about: organisations (nt), other proper nouns (nz: 腾讯), Latin words
#: (eng: OECD, ARCC). Places (ns) and persons (nr) are left out: in a question they are mostly topics.
NAME_TAGS = frozenset({"nt", "nz", "eng"})


def is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def cjk_share(text: str) -> float:
    """Share of the non-space characters that are CJK ideographs."""
    chars = [c for c in text if not c.isspace()]
    return sum(map(is_cjk, chars)) / len(chars) if chars else 0.0


def is_chinese(text: str) -> bool:
    """A question asked in Chinese: most of its non-space characters are ideographs (a Chinese question
    naming "OECD" or "ARCC" still is one)."""
    return cjk_share(text) > 0.5


def normalise(text: str) -> str:
    """Full-width letters, digits and punctuation to their half-width forms (NFKC): "ＯＥＣＤ，" → "OECD,"."""
    return unicodedata.normalize("NFKC", text)


@load_once
def _tokenizer() -> Any:
    """jieba's tokenizer, its dictionary loaded once per process (~0.5 s, on the first Chinese text)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading at INFO
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@load_once
def _tagger() -> Any:
    import jieba.posseg

    return jieba.posseg.POSTokenizer(_tokenizer())


def index_words(run: str) -> list[str]:
    """A run of ideographs as jieba's search-mode words: each word, and the shorter dictionary words inside a long
    one ("发展中国家" → 发展, 中国, 国家, 发展中国家), so a question using either form meets the text."""
    return [w for w in _tokenizer().cut_for_search(run, HMM=True) if CJK_RUN.fullmatch(w)]


def chinese_words(text: str) -> list[str]:
    """The text as jieba's words (precise mode), in order."""
    return list(_tokenizer().cut(normalise(text)))


def tagged_words(text: str) -> list[tuple[str, str]]:
    """The words of a Chinese question that carry its topic, with their part-of-speech tags, in order
    (CONTENT_TAGS), repeats dropped; Latin words ("OECD", "ARCC") among them as written, tagged "eng"."""
    out: dict[str, str] = {}
    for pair in _tagger().cut(normalise(text)):
        if pair.flag.startswith(CONTENT_TAGS) and pair.word.strip():
            out.setdefault(pair.word, pair.flag)
    return list(out.items())


def content_words(text: str) -> list[str]:
    """The words of tagged_words, without their tags."""
    return [word for word, _ in tagged_words(text)]
