"""Names in a Chinese question resolved against the index's English titles: an organisation the dictionary
renders (经合组织 → "OECD"), a title written in 《》 (《新一代人工智能伦理规范》 → "The Ethical Norms for the New
Generation Artificial Intelligence, China"), and a law, treaty or event written in 《》 that no indexed document
is (《人工智能基本法》: said to be absent, as an English question's "EU AI Act" is). The English rules are
rag/named.py's; these only read a Chinese question's names into them."""
from __future__ import annotations

import re
from collections.abc import Iterable

from rag.bridge import WrittenTitle
from rag.chinese import CJK_RUN
from rag.named import (EVENTS, HARD_LAW, MAX_NAMED_DOCUMENTS, TREATIES, Catalogue, Missing, Name, names_in, resolve,
                       same_word)
from rag.terms import QUESTION_WORDS, STOPWORDS, content_terms

_WORDS_RE = re.compile(r"[^\W_]+")
#: The same groups' head words as Chinese titles end in them (《…法》, 《…条例》, 《…公约》, 《…峰会宣言》 is a
#: declaration): a law (and a government's 办法 "measures" / 规定 "provisions"), a treaty, an event.
CHINESE_KINDS = ((re.compile(r"(?:法|法案|法律|条例|办法|规定|指令)$"), HARD_LAW),
                 (re.compile(r"(?:公约|条约|协定|议定书)$"), TREATIES), (re.compile(r"(?:峰会|大会)$"), EVENTS))


def named_by_names(names: Iterable[tuple[str, ...]], catalogue: Catalogue) -> frozenset[str]:
    """The documents a Chinese question's organisations and Latin words name (per word, its English names to try
    in order, from rag/bridge.py): the first name that resolves as an English name does, to at least one and at
    most MAX_NAMED_DOCUMENTS documents. Not narrowed as English names are (_titled_in): tried with the rendering's
    senses, a bag of every sense, it gained dev2's Chinese questions 0.013 of cited precision and no key term,
    and the test split's Chinese total fell (2026-11-28 note)."""
    found: set[str] = set()
    for forms in names:
        for text in forms:  # in a sentence: a lone "Tencent" would be read as a sentence's opening word
            resolved = [resolve(name, catalogue) for name in names_in(f"What do {text} say?") if name.words]
            if resolved and all(0 < len(docs) <= MAX_NAMED_DOCUMENTS for docs in resolved):
                found |= frozenset().union(*resolved)
                break
    return frozenset(found)


#: How well a title written in Chinese must match an indexed English title to name it (see named_by_rendering).
RENDERED_TITLE_MATCH = 0.6


def named_by_rendering(titles: Iterable[WrittenTitle], catalogue: Catalogue) -> frozenset[str]:
    """The documents a Chinese question names by a title written in 《》 that is not the document's Chinese title.
    Per rendered title (per Chinese word, the English stems of its senses), each indexed English title scores the
    harmonic mean of the share of its distinctive words the rendering holds (in any form, same_word: "child"
    holds "children") and the share of the Chinese words one of its words renders; the best names the document
    when it reaches RENDERED_TITLE_MATCH and no other title ties it ("《新一代人工智能伦理规范》" → "The Ethical
    Norms for the New Generation Artificial Intelligence, China", not the shorter "The Ethics of AI")."""
    found: set[str] = set()
    for title in titles:
        groups = title.stems
        everything = frozenset().union(*groups)
        scored = []
        for doc, _, indexed in catalogue.titles:
            words = content_terms(CJK_RUN.sub(" ", indexed), STOPWORDS | QUESTION_WORDS)
            if words and groups:
                english = sum(same_word(w, everything) for w in words) / len(words)
                chinese = sum(any(same_word(w, g) for w in words) for g in groups) / len(groups)
                if english and chinese:
                    scored.append((2 * english * chinese / (english + chinese), doc))
        scored.sort(reverse=True)
        if scored and scored[0][0] >= RENDERED_TITLE_MATCH and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            found.add(scored[0][1])
    return frozenset(found)


def unindexed_titles(titles: Iterable[WrittenTitle], catalogue: Catalogue) -> list[Missing]:
    """The titles a Chinese question writes in 《》 that name a law, a treaty or an event (CHINESE_KINDS:
    《人工智能基本法》, 《…公约》) that no indexed document of that kind is
    (named_by_rendering): what it asks about is then said to be absent, as an English question's "EU AI Act" is.
    Other titles are not judged: a declaration or principles whose name the dictionary cannot render (阿西洛马,
    布莱切利) may be indexed under its English name, and a wrong "not indexed" is worse than an answer labelled
    by what it cites."""
    missing = []
    for title in titles:
        group = next((g for kind, g in CHINESE_KINDS if kind.search(title.text)), None)
        if group is None or any(title.text in chinese or chinese in title.text
                                for _, chinese in catalogue.chinese_titles):
            continue
        indexed = {doc: name for doc, _, name in catalogue.titles}
        if not any(set(_WORDS_RE.findall(indexed[doc].lower())) & group for doc in named_by_rendering([title], catalogue)):
            missing.append(Missing(Name(f"《{title.text}》", (), "title", (), True), "not_a_document"))
    return missing
