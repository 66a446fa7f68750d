"""The bilingual bridge: a Chinese question read in English, an English question's words found in Chinese, by
dictionary (CC-CEDICT, rag/cedict.py) — offline, no model.

The bundled embedder reads English only, and all but one passage of the default corpus are English: a Chinese
question is searched as its English rendering (the embedder and BM25 both read it); an English question also
searches the index's Chinese passages with the Chinese words whose senses it uses. Which sense of a word: the one
the corpus uses most (its words' document frequency in the index), so 治理 reads "govern(ance)", not "to
control", and 倡议 "initiative", not "to suggest". Rules, not lists: no word here comes from a question."""
from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rag.cedict import Dictionary
from rag.chinese import NAME_TAGS, CJK_RUN, chinese_words, content_words, is_chinese, normalise, tagged_words
from rag.terms import DOCUMENT_KIND_WORDS, FUNCTION_WORDS, QUESTION_WORDS, content_terms, question_terms, stem

#: How many senses of a Chinese word BM25 and the relevance gate accept (the best by corpus use first); the
#: embedder reads the best. On dev + dev2 (`bench/dev_sweeps.py --chinese`): 1 drops Chinese recall@5 1.0 → 0.966
#: and key terms 0.741 → 0.672; 3 changes nothing.
LEXICAL_SENSES = 2
#: An English sense of a Chinese word in the index meets an English question when every content word of one of
#: the word's first SENSES_MATCHED senses is in the question ("developing country" → 发展中国家). Every sense (99)
#: lowered English recall@5 on dev + dev2 (0.983 → 0.980) and gained nothing.
SENSES_MATCHED = 3
#: A title as Chinese writes it: 《…》.
_TITLE = re.compile(r"《([^》]{2,60})》")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,9}")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_DROP_IN_SENSE = re.compile(r"\b(?:to|sb|sth|one's|etc|fig|lit)\b\.?|[\u3400-\u9fff|]+")


def sense_text(sense: str) -> str:
    """A dictionary sense as words a passage would use: "(fig.) gulf" → "gulf", "to treat (sb a certain way)"
    → "treat"; of a description after a comma, or in parentheses, only an acronym stays ("Beijing, capital of
    People's Republic of China" → "Beijing"; "Organization for Economic Cooperation and Development (OECD)" keeps
    "OECD")."""
    first, *rest = _PARENTHESES.sub(lambda m: m.group(0)[1:-1] if _ACRONYM.fullmatch(m.group(0)[1:-1]) else " ",
                                    sense).split(",")
    kept = [first] + [part for part in rest if _ACRONYM.fullmatch(part.strip())]
    return " ".join(_DROP_IN_SENSE.sub(" ", " ".join(kept)).split()).strip(" ,;.")


def _names_of(senses: list[str]) -> tuple[str, ...]:
    """How an organisation the dictionary renders may be named in English titles and issuers, to try in order:
    an acronym a sense gives ("OECD", "UNICEF"), the best sense whole ("United Nations Children's Fund"), its
    first word ("Tencent Holdings Limited" → "Tencent")."""
    acronyms = [a for sense in senses for a in _ACRONYM.findall(sense)]
    return tuple(dict.fromkeys(acronyms + [senses[0], senses[0].split()[0]]))


@dataclass(frozen=True)
class Rendering:
    """A question's words in the index's other language: (word as asked, its rendering) in question order, and
    for each the renderings BM25 and the relevance gate also accept (a word's other senses)."""
    language: str
    pairs: tuple[tuple[str, str], ...]
    alternatives: tuple[tuple[str, ...], ...] = ()

    @property
    def text(self) -> str:
        return " ".join(rendered for _, rendered in self.pairs)

    def senses(self) -> list[tuple[str, ...]]:
        """Per word: its rendering and then its alternatives."""
        return [(rendered, *more) for (_, rendered), more in
                zip(self.pairs, self.alternatives or [()] * len(self.pairs))]


@dataclass(frozen=True)
class WrittenTitle:
    """A title a Chinese question writes in 《》, and per word of it the English stems of the word's senses (which
    indexed document it names: rag/chinese_names.named_by_rendering)."""
    text: str
    stems: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Query:
    """How one question is searched: the embedder's text, BM25's words in each language, the gate's terms, and
    what a Chinese question's words say about what it asks (which documents; a title it names)."""
    question: str
    #: "zh" for a question asked in Chinese, else "en".
    language: str
    #: The question in the index's other language (None: no word of it has a rendering).
    rendering: Rendering | None
    #: A Chinese question asking which documents … (哪些文件): what rag/named.asks_for_documents is for English.
    lists: bool = False
    #: A Chinese question's topic words in Chinese: its content words less those whose usual sense is a question
    #: word (文件 "document", 主张 "to advocate": rules 3-5 of rag/terms.py).
    chinese_terms: frozenset[str] = frozenset()
    #: The titles a Chinese question writes in 《》.
    titles: tuple[WrittenTitle, ...] = ()
    #: The English names of a Chinese question's organisations and Latin words, per word the forms to try in order
    #: (经合组织 → "OECD", …; 腾讯 → …, "Tencent"): resolved as an English question's names are
    #: (rag/chinese_names.named_by_names).
    names: tuple[tuple[str, ...], ...] = ()

    @property
    def english(self) -> str:
        """What the English-only embedder and English passages are matched with."""
        return self.rendering.text if self.language == "zh" and self.rendering else self.question

    @property
    def english_words(self) -> str:
        """What BM25 matches English passages with: the English reading, a Chinese question's other senses too."""
        if self.language == "zh" and self.rendering:
            return " ".join(" ".join(senses) for senses in self.rendering.senses())
        return self.question

    @property
    def chinese_words(self) -> str:
        """What BM25 matches Chinese passages with: a Chinese question, or an English question's Chinese words."""
        if self.language == "zh":
            return self.question
        return " ".join(chinese for chinese, _ in self.glossary())

    @functools.cached_property
    def term_groups(self) -> list[frozenset[str]]:
        """The question's topic terms for the relevance gate, one group per word asked: an English word is its
        own stem; a Chinese word is the stems of its senses (any of them found counts), a word whose senses are
        all question words (文件 "document") none."""
        if self.language == "en" or not self.rendering:
            return [frozenset({t}) for t in sorted(question_terms(self.question))]
        groups = [frozenset(question_terms(" ".join(senses))) for senses in self.rendering.senses()]
        return list(dict.fromkeys(g for g in groups if g))

    def glossary(self) -> list[tuple[str, str]]:
        """(Chinese word, English sense) of each rendered word, whichever way the question was rendered."""
        pairs = self.rendering.pairs if self.rendering else ()
        return [pair if self.language == "zh" else (pair[1], pair[0]) for pair in pairs]


class Bridge:
    """Renders questions into the index's other language. `document_frequency(stem)`: in how many passages an
    English stem occurs (which sense the corpus uses); `chinese_words`: the Chinese words the index holds (only
    they are worth searching for)."""

    def __init__(self, dictionary: Callable[[], Dictionary], document_frequency: Callable[[str], int],
                 chinese_words: Iterable[str]):
        self._dictionary = dictionary  # loaded on first use: most questions never need it
        self._df = document_frequency
        self._chinese_words = frozenset(chinese_words)
        # An answer reads its question several times (the reading, the search, a named document's search).
        self.query = functools.lru_cache(maxsize=256)(self.query)  # type: ignore[method-assign]

    def query(self, question: str) -> Query:
        if is_chinese(question):
            return self._from_chinese(question)
        return Query(question, "en", self._to_chinese(question))

    def _senses(self, word: str) -> list[str]:
        """The word's senses as passage words, those the corpus uses most first (mean log document frequency
        of their content stems; ties keep the dictionary's order); senses with no content word are dropped."""
        scored = []
        for order, sense in enumerate(self._dictionary().senses(word)):
            text = sense_text(sense)
            stems = [stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in FUNCTION_WORDS]
            if stems:
                use = sum(math.log1p(self._df(s)) for s in stems) / len(stems)
                scored.append((-use, order, text))
        return [text for _, _, text in sorted(scored)]

    def _usual_sense(self, word: str) -> list[str]:
        """The words of the word's first (usual) dictionary sense, lower case."""
        senses = self._dictionary().senses(word)
        return re.findall(r"[a-z0-9]+", sense_text(senses[0]).lower()) if senses else []

    def _is_name(self, word: str, tag: str) -> bool:
        """A name that can be the source asked about: tagged so (rag/chinese.NAME_TAGS), or a word jieba mistags
        (微软 "Microsoft" as an adjective, 谷歌 "Google" as a person) that the dictionary writes as a proper noun —
        its usual sense capitalised — unless tagged a place (mostly a topic in a question)."""
        usual = self._dictionary().senses(word)[:1]
        return tag in NAME_TAGS or (tag != "ns" and bool(usual) and usual[0][:1].isupper())

    def _usual_sense_has_content(self, word: str) -> bool:
        return any(w not in FUNCTION_WORDS for w in self._usual_sense(word))

    def _topic_word(self, word: str) -> bool:
        """A Chinese content word that is about the topic: its usual sense is not only question words."""
        usual = self._usual_sense(word)
        return not usual or any(w not in FUNCTION_WORDS | QUESTION_WORDS for w in usual)

    def _asks_for_documents(self, question: str) -> bool:
        """哪些文件 / 哪份宣言 / 哪几项原则: a "which" interrogative (哪 …) followed, within two words, by a word whose
        usual sense as a noun (its first sense that is not a verb's "to …") is a kind of document (the English
        rule 4 words, rag/terms.py). 哪些建议 ("which suggestions": 建议 is first "proposal") is not."""
        words = [w for w in chinese_words(question) if w.strip()]
        for i, word in enumerate(words):
            if word.startswith("哪"):
                for after in words[i + 1:i + 3]:
                    nouns = [s for s in self._dictionary().senses(after) if not s.startswith("to ")]
                    if nouns and set(sense_text(nouns[0]).lower().split()) & DOCUMENT_KIND_WORDS:
                        return True
        return False

    def _parts(self, word: str) -> list[str]:
        """The word, or for a compound the dictionary lacks its longest headwords; a name it lacks (阿西洛马) is not
        glossed character by character."""
        if word in self._dictionary():
            return [word]
        return [part for part in self._dictionary().longest_words(word) if len(part) > 1]

    def _from_chinese(self, question: str) -> Query:
        pairs, alternatives, names = [], [], []
        for word, tag in tagged_words(question):
            if not CJK_RUN.search(word):
                pairs.append((word, word))  # a Latin name or acronym in the question, as written
                alternatives.append(())
                names.append((word,))
                continue
            if word in self._dictionary() and not self._usual_sense_has_content(word):
                continue  # 是 "is", 有 "to have": a function word in its usual sense
            rendered, more = [], []
            for part in self._parts(word):
                if senses := self._senses(part):
                    rendered.append(senses[0])
                    more += senses[1:LEXICAL_SENSES]
                    if part == word and self._is_name(word, tag):
                        names.append(_names_of(senses))
            if rendered:
                pairs.append((word, " ".join(rendered)))
                alternatives.append(tuple(more))
        rendering = Rendering("en", tuple(pairs), tuple(alternatives)) if pairs else None
        topic = frozenset(w for w in content_words(question) if CJK_RUN.fullmatch(w) and self._topic_word(w))
        titles = tuple(WrittenTitle(title, self._title_stems(title)) for title in _TITLE.findall(normalise(question)))
        return Query(normalise(question), "zh", rendering, self._asks_for_documents(question), topic, titles,
                     tuple(names))

    def _title_stems(self, title: str) -> tuple[frozenset[str], ...]:
        """Per word of a title, the English stems of every sense kept for it (《新一代人工智能伦理规范》 → {new,
        generat}, {ethic}, {standard, regul}); words with none (人工智能, the subject; 的) are left out."""
        groups = []
        for word in chinese_words(title):  # every word: a title has no question words, and 新一代 is tagged as time
            stems: set[str] = set()
            if not CJK_RUN.search(word):
                stems |= content_terms(word)
            else:
                for part in self._parts(word):
                    for sense in self._senses(part)[:LEXICAL_SENSES]:
                        stems |= content_terms(sense)
            if stems:
                groups.append(frozenset(stems))
        return tuple(groups)

    @functools.cached_property
    def _chinese_senses(self) -> list[tuple[frozenset[str], str, str]]:
        """(content stems of a sense, the sense, Chinese word) for the first senses of every Chinese word in the
        index."""
        out = []
        for word in sorted(self._chinese_words):
            for sense in self._dictionary().senses(word)[:SENSES_MATCHED]:
                if stems := frozenset(content_terms(sense_text(sense), FUNCTION_WORDS)):
                    out.append((stems, sense_text(sense), word))
        return out

    def _to_chinese(self, question: str) -> Rendering | None:
        """The index's Chinese words one of whose senses the English question uses in full, each shown with that
        sense; longer words first ("发展中国家" before the "国家" inside it)."""
        if not self._chinese_words:
            return None
        asked = content_terms(question, FUNCTION_WORDS)
        found: dict[str, str] = {}
        for stems, sense, word in self._chinese_senses:
            if stems <= asked:
                found.setdefault(word, sense)
        words = sorted(found, key=lambda w: (-len(w), w))
        return Rendering("zh", tuple((found[w], w) for w in words)) if words else None
