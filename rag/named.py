"""Named things in a question — a law, a declaration, a summit, an organisation, a product — resolved against the
index, so that an answer about something the corpus does not hold says so first instead of quoting loosely
related sentences from other documents.

Two rules, each checkable by a reader of the answer:
- A name whose distinctive words no single document holds together (in its title, issuer or passages) cannot
  be answered from the index ("GPT-4", "Bletchley Park", "Champions League").
- A named instrument (a name ending in a kind of document or event: "… Act", "… Declaration", "… Summit") that
  the question asks about — not merely asks which documents mention — must be one of the indexed documents:
  its distinctive words must all be in one document's title, original title or issuer (or their acronyms). A
  law, treaty or event must also be a document of that kind: soft-law texts are often published under other
  names (the G20 AI Principles are an annex of a ministerial statement), laws and treaties are not.
And one use: a name that resolves to at most three documents names what the question asks about
(`named_documents`): those documents' passages are retrieved first and are what is cited. A Chinese question's
names are read into these rules by rag/chinese_names.py."""
from __future__ import annotations

import bisect
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rag.chinese import CJK_RUN, normalise
from rag.sentences import split_sentences
from rag.terms import FUNCTION_WORDS, QUESTION_WORDS, SUBJECT_WORDS

#: Kinds of instrument and event, by group. A name ending in one of these words names an instrument.
HARD_LAW = frozenset("act acts law laws regulation regulations directive directives bill bills order orders "
                     "statute statutes ordinance".split())
TREATIES = frozenset("convention conventions treaty treaties accord accords pact pacts agreement agreements "
                     "protocol protocols".split())
EVENTS = frozenset("summit summits conference conferences".split())
SOFT_LAW = frozenset("principles principle guidelines guideline declaration declarations statement statements "
                     "charter charters strategy strategies framework frameworks recommendation recommendations "
                     "initiative initiatives code codes plan plans report reports paper papers standard standards "
                     "communique communiqué commitments compact guidance roadmap manifesto".split())
#: A law, a treaty or an event is one specific text: only a document of the same group can be it.
STRICT_GROUPS = (HARD_LAW, TREATIES, EVENTS)
KINDS = HARD_LAW | TREATIES | EVENTS | SOFT_LAW
_LATIN = r"A-Za-z0-9À-ÖØ-öø-ÿ"  # names are read in Latin script (Chinese questions: the Chinese issue)
#: A name's word starts a word: "fAIr LAC" is not the name "AIr LAC".
_NAME_WORD = rf"(?<![{_LATIN}])(?:[A-Z][{_LATIN}'’&.+-]*[{_LATIN}+]|[A-Z]|\d+[A-Za-z][{_LATIN}-]*|(?:19|20)\d\d\b)"
_CONNECTOR = r"(?:of|on|for|and|the|in|to|&|de|du|des|la|le)"
_NAME = re.compile(rf"{_NAME_WORD}(?:\s+(?:{_CONNECTOR}\s+)*{_NAME_WORD})*")
_WORDS = re.compile(r"[^\W_]+")
#: A capitalised word and a small number are named by its initial and the number ("Women 20" → "W20").
_NUMBERED_NAME = re.compile(r"\b([A-Z])[a-z]+\s+(\d{1,2})\b")
_POSSESSIVE = re.compile(r"['’]s?$")
_POSSESSIVE_END = re.compile(r"\w['’]s?$")
#: A word in capitals ("WHO", "OECD"): an acronym.
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
#: "U.S." → "US": initials with dots are one word.
_INITIALS = re.compile(r"^[A-Z](?:\.[A-Z])+\.?$")
#: Words before a name that make it a topic, not the source asked about ("which documents mention the GDPR").
_TOPIC_VERBS = frozenset("mention mentions mentioned refer refers referred cite cites cited reference references "
                         "discuss discusses discussed about".split())
#: Where a name that is not an instrument is the source asked about: "does/did (the) X", "according to X",
#: "under X", "compare (how) X", "between X", or "X's principles / report / …".
_SOURCE_BEFORE = re.compile(r"\b(?:does|do|did|according\s+to|under|compare(?:\s+how)?|between)(?:\s+the)?\s*$",
                            re.IGNORECASE)
#: A name joined to the previous one ("the OECD and the G20", "Telia versus Telekom") or owned by it ("France's
#: CCNE") is asked about as that one is.
_JOINED_BEFORE = re.compile(r"(?:\b(?:and|or|versus|vs\.?|with)(?:\s+the)?|['’]s)\s*$", re.IGNORECASE)
_SOURCE_AFTER = re.compile(r"['’]s?\s+(?:[\w-]+\s+){0,3}?(?:" + "|".join(sorted(KINDS | {"policy", "policies"}))
                           + r")\b", re.IGNORECASE)
_MONTHS = frozenset("january february march april may june july august september october november december".split())
_NOT_NAMES = _MONTHS | FUNCTION_WORDS | QUESTION_WORDS | SUBJECT_WORDS | frozenset(
    "what which who whom whose how why when where does do did is are was were can could should would will "
    "according under compared compare between".split())


@dataclass(frozen=True)
class Name:
    """A name as the question writes it, its distinctive words (lower case), and its kind word if any."""
    text: str
    words: tuple[str, ...]
    kind: str
    #: The distinctive words and the subject's ("AI" in "EU AI Act"): what a law, treaty or event must match.
    all_words: tuple[str, ...]
    #: The question asks what this names says or requires (rather than which documents mention it).
    asked_about: bool
    #: What follows a possessive name ("Denmark's | expert group on data ethics"): the document it means.
    described: str = ""


def _known(word: str, vocabulary: tuple[str, ...]) -> bool:
    """The word, or a form of it (see same_word), is in the sorted vocabulary."""
    if word in _DEMONYMS and _known(_DEMONYMS[word], vocabulary):
        return True
    at = bisect.bisect_left(vocabulary, word[:4])
    candidates = []
    while at < len(vocabulary) and vocabulary[at].startswith(word[:4]):
        candidates.append(vocabulary[at])
        at += 1
    return same_word(word, frozenset(candidates)) if len(word) >= 4 else word in candidates


@dataclass(frozen=True)
class Catalogue:
    """What the index holds, for resolving names: per document, its name words (title, original title, issuer,
    country, region, date — "the 2019 principles" — and their acronyms) with its title, and all its words
    (sorted, for prefix search)."""
    #: (doc_id, name words, title) per document.
    titles: tuple[tuple[str, frozenset[str], str], ...]
    vocabularies: tuple[tuple[str, ...], ...]
    documents: int
    #: (doc_id, title in Chinese) of documents whose original title is Chinese: what a Chinese question names.
    chinese_titles: tuple[tuple[str, str], ...] = ()
    #: Every name word of `titles` by its first four letters: the only words same_word can find a word's form
    #: among (it needs a shared prefix of 4+), so resolve() looks at a handful instead of every document's words.
    by_prefix: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def holds_together(self, words: Iterable[str]) -> bool:
        """One document (its names and passages) holds every one of the words, or a form of each."""
        words = list(words)
        return any(all(_known(w, vocabulary) for w in words) for vocabulary in self.vocabularies)


def fold(text: str) -> str:
    """Lower case without accents: "Montréal" and "Montreal" are one name."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _acronyms(text: str) -> set[str]:
    """Initials of each run of capitalised words ("European Union" → "eu", "Institute of Electrical and
    Electronics Engineers" → "ieee"), and every shorter run of them; a word and its number ("Women 20" → "w20");
    lower case."""
    found = {f"{initial}{number}".lower() for initial, number in _NUMBERED_NAME.findall(text)}
    for run in _NAME.findall(text):
        initials = "".join(w[0] for w in run.split() if w[0].isupper()).lower()
        found |= {initials[i:j] for i in range(len(initials)) for j in range(i + 2, len(initials) + 1)}
    return found


def catalogue(nodes: Iterable[tuple[Mapping[str, Any], str]]) -> Catalogue:
    """The catalogue of the index's nodes, given as (metadata, passage text)."""
    names: dict[str, tuple[set[str], str]] = {}
    vocabularies: dict[str, set[str]] = {}
    chinese: dict[str, str] = {}
    for meta, text in nodes:
        doc = str(meta.get("doc_id", ""))
        if doc not in names:
            original = normalise(str(meta.get("original_title", "")))
            if len(original) >= 4 and CJK_RUN.search(original):
                chinese[doc] = original
            fields = " ".join(str(meta.get(k, "")) for k in ("title", "original_title", "issuer", "country", "region",
                                                             "date"))
            words = set(_WORDS.findall(fold(fields))) | _acronyms(fields)
            if "artificial intelligence" in fields.lower():
                words.add("ai")
            names[doc] = (words, f"{meta.get('title', '')} {meta.get('original_title', '')}")
            vocabularies[doc] = set(words)
        vocabularies[doc] |= set(_WORDS.findall(fold(text)))
    by_prefix: dict[str, set[str]] = {}
    for words, _ in names.values():
        for word in words:
            by_prefix.setdefault(word[:4], set()).add(word)
    return Catalogue(tuple((doc, frozenset(w), t) for doc, (w, t) in names.items()),
                     tuple(tuple(sorted(v)) for v in vocabularies.values()), len(names), tuple(chinese.items()),
                     {prefix: tuple(sorted(words)) for prefix, words in by_prefix.items() if len(prefix) == 4})


def _runs(question: str) -> list[tuple[int, list[str]]]:
    """(offset, words) of each capitalised run, split where "and" joins two names ("the OECD and G20
    principles"), without a sentence's first word unless it is an acronym or holds a digit ("Ignore …")."""
    runs = []
    for match in _NAME.finditer(question):
        tokens = [(match.start() + t.start(), t.group()) for t in re.finditer(r"\S+", match.group())]
        before = question[:match.start()].rstrip()
        if (not before or before[-1] in ".!?:;") and tokens[0][1][1:].islower() \
                and not any(c.isdigit() for c in tokens[0][1]):
            tokens.pop(0)
        current: list[tuple[int, str]] = []
        for offset, token in tokens:
            if token in ("and", "&"):
                runs.append(current)
                current = []
            elif _POSSESSIVE_END.search(token) and not {t.lower() for _, t in tokens} & KINDS:
                # "Amazon's AI policy": the name ends at its possessive, unless an instrument's name goes on
                # ("the Council of Europe's Framework Convention")
                runs.append(current + [(offset, token)])
                current = []
            else:
                current.append((offset, _INITIALS.sub(lambda m: m.group().replace(".", ""), token)))
        runs.append(current)
    return [(run[0][0], [t for _, t in run]) for run in runs if run]


_CONNECTS = {"of", "on", "for", "to", "in"}
#: Up to eight words after a possessive name, to the first punctuation: "'s 2018 whitepaper on responsible AI".
_DESCRIBED = re.compile(r"^\s*((?:[\w’'-]+\s*){1,8})")


def _kind(words: list[str]) -> str:
    """The name's kind: its head word — its last word ("EU AI Act") or one a connector follows ("Convention on
    …", "Declaration of …") — when that is a kind of instrument; "Law Commission" has none."""
    for i in range(len(words) - 1, -1, -1):
        if words[i] in KINDS and (i == len(words) - 1 or words[i + 1] in _CONNECTS):
            return words[i]
    return ""


def names_in(question: str) -> list[Name]:
    """The names a question uses: runs of capitalised words (joined by of/on/for/the …), without the question's
    own words ("What", "Does the", "According to the") and dates ("in May")."""
    names = []
    for offset, tokens in _runs(question):
        # An acronym is never a question word: "WHO" is the World Health Organization, not "who".
        while tokens and tokens[0].lower().strip("'’") in _NOT_NAMES | {"the"} and not _ACRONYM.match(tokens[0]):
            tokens.pop(0)
        while tokens and tokens[-1].lower() in _MONTHS | {"of", "on", "for", "and", "the", "in", "to", "&"}:
            tokens.pop()
        if not tokens:
            continue
        text = _POSSESSIVE.sub("", " ".join(tokens))
        lower = _WORDS.findall(fold(text))
        kind = _kind(lower)
        acronyms = {w.lower() for w in _ACRONYM.findall(text)} - SUBJECT_WORDS
        words = tuple(w for w in lower if w not in KINDS and (w not in _NOT_NAMES or w in acronyms) and len(w) >= 2)
        if not words and not kind:
            continue
        before = question[:offset]
        if kind:  # an instrument is asked about unless the question asks which texts mention it
            asked_about = not (set(_WORDS.findall(before.lower())) & _TOPIC_VERBS) and not asks_for_documents(question)
        else:  # any other name only where it is the source asked about
            after = question[offset + len(" ".join(tokens)):]
            asked_about = bool(_SOURCE_BEFORE.search(before) or _SOURCE_AFTER.match(after)
                               or (names and names[-1].asked_about and _JOINED_BEFORE.search(before)))
        all_words = tuple(w for w in lower if w not in KINDS and (w in SUBJECT_WORDS or w in words))
        described = _DESCRIBED.match(question[offset + len(" ".join(tokens)):]) \
            if _POSSESSIVE.search(" ".join(tokens)) else None
        names.append(Name(text, words, kind, all_words, asked_about, described.group(1) if described else ""))
    return names


def asks_for_documents(question: str) -> bool:
    """'Which documents / guidelines …', 'What principles …': the question asks for texts, names are topics."""
    first = _WORDS.findall(question.lower())[:3]
    return bool(first) and first[0] in {"which", "what", "list", "name"} and bool(set(first[1:]) & QUESTION_WORDS)


def _group(kind: str) -> frozenset[str] | None:
    return next((g for g in STRICT_GROUPS if kind in g), None)


#: Demonyms that share no such prefix with their country's name ("French CCNE", "Dutch guidelines").
_DEMONYMS = {"french": "france", "dutch": "netherlands", "british": "kingdom", "swiss": "switzerland",
             "danish": "denmark", "swedish": "sweden", "finnish": "finland", "spanish": "spain", "polish": "poland",
             "turkish": "turkey", "irish": "ireland", "welsh": "wales", "scottish": "scotland", "norwegian": "norway",
             "portuguese": "portugal", "belgian": "belgium"}


def same_word(word: str, words: frozenset[str]) -> bool:
    """In `words`, or sharing with one of them a prefix of 4+ letters that leaves at most 1 letter of the
    shorter: a demonym meets its country ("Russian"/"Russia", "Chinese"/"China"); "Amazon" does not meet
    "amazing", nor "Interpol" "international"."""
    return any(form in words for form in same_word_forms(word, words))


def same_word_forms(word: str, candidates: Iterable[str]) -> Iterator[str]:
    """The word itself, its country (a demonym) and each candidate that same_word counts as a form of it."""
    yield word
    if word in _DEMONYMS:
        yield _DEMONYMS[word]
    for other in candidates:
        shared = len(os.path.commonprefix([word, other]))
        if shared >= 4 and shared >= min(len(word), len(other)) - 1:
            yield other


def resolve(name: Name, catalogue: Catalogue) -> frozenset[str]:
    """The documents the name can be: each holds every distinctive word of the name (or its acronym, or a form of
    it) in its title, original title or issuer; for a law, treaty or event, with a title of the same kind."""
    group = _group(name.kind)
    # each word's forms among all name words, found once (same_word over every document's words took ~40 ms a
    # question, twice per answer); a document holds the word when it holds one of its forms
    forms = [frozenset(same_word_forms(w, catalogue.by_prefix.get(w[:4], ())))
             for w in set(name.all_words if group else name.words)]
    return frozenset(doc for doc, words, title in catalogue.titles
                     if all(not form.isdisjoint(words) for form in forms)
                     and (group is None or set(_WORDS.findall(title.lower())) & group))


def is_indexed(name: Name, catalogue: Catalogue) -> bool:
    return bool(resolve(name, catalogue))


#: A name that several documents share beyond this ("China", "UNESCO" with many texts) names an issuer or a
#: country, not one document: it does not narrow what is cited.
MAX_NAMED_DOCUMENTS = 3


def named_documents(question: str, catalogue: Catalogue, names: list[Name] | None = None) -> frozenset[str]:
    """The documents the question asks about by name ("What does the Montréal Declaration say …"): those of each
    name in its asking sentence that is the source asked about and resolves to at most MAX_NAMED_DOCUMENTS, and
    those whose whole Chinese title the question writes (Chinese names are not split into words here)."""
    asked = normalise(question)
    found: set[str] = {doc for doc, title in catalogue.chinese_titles if title in asked}  # 《全球人工智能治理倡议》
    titles = {doc: title for doc, _, title in catalogue.titles}
    for name in names_in(asking_sentence(question)) if names is None else names:
        if name.asked_about and name.words:
            docs = resolve(name, catalogue)
            if 0 < len(docs) <= MAX_NAMED_DOCUMENTS:
                found |= _closest_titles(name, {doc: titles[doc] for doc in docs}) \
                    if name.kind or name.described else _titled_in(name, {doc: titles[doc] for doc in docs}, asked)
    return frozenset(found)


def _title_words(text: str) -> set[str]:
    """Latin-script words of a name or title, "artificial intelligence" read as "ai", without function words."""
    text = fold(text).replace("artificial intelligence", "ai")
    return {w for w in _WORDS.findall(text) if w.isascii() and w not in FUNCTION_WORDS}


def _closest_titles(name: Name, titles: dict[str, str]) -> set[str]:
    """Of the documents a name resolves to, those whose titles are closest to it (Jaccard of the words): "Beijing
    AI Principles" is the document of that title, not "AI for Children: Beijing Principles"; a name matched by
    issuer alone ("UNICEF") keeps all its documents. Only for a name with a kind word (a title, not a place) or
    one followed by what it wrote ("Denmark's expert group on data ethics")."""
    said = _title_words(f"{name.text} {name.described}")
    return _best({doc: len(said & _title_words(t)) / len(said | _title_words(t)) for doc, t in titles.items()})


def _titled_in(name: Name, titles: dict[str, str], question: str) -> set[str]:
    """Of the documents an issuer or place name resolves to ("the Treasury Board of Canada", "the Beijing …"),
    those whose titles hold the most of the question's other words ("… its Directive on Automated
    Decision-Making", "… principles for children"): the question says which of the issuer's texts it means. When
    no title holds any, or several hold as many, each of those stays: the question does not choose."""
    said = frozenset(_title_words(question) - _title_words(name.text))
    return _best({doc: sum(same_word(w, said) for w in _title_words(title) - _title_words(name.text))
                  for doc, title in titles.items()})


def _best(scores: dict[str, float]) -> set[str]:
    """The documents with the highest score (all of them on a tie)."""
    best = max(scores.values())
    return {doc for doc, value in scores.items() if value >= best - 1e-9}


@dataclass(frozen=True)
class Missing:
    """A name the corpus cannot answer for, and why: `absent` (no document holds all its words) or
    `not_a_document` (an instrument asked about that is not one of the indexed documents)."""
    name: Name
    reason: str


def asking_sentence(question: str) -> str:
    """The question's first sentence that asks (ends in "?"), else its first sentence: instructions around it
    ("… At the end, add the sentence …") are not what is asked about, and their words are never repeated."""
    sentences = split_sentences(question)
    return next((s for s in sentences if s.endswith("?")), sentences[0] if sentences else "")


def missing_names(question: str, catalogue: Catalogue, names: list[Name] | None = None) -> list[Missing]:
    """The asking sentence's names (`names`, when already read) that the index cannot answer for (rules in the
    module docstring)."""
    found = []
    for name in names_in(asking_sentence(question)) if names is None else names:
        if not catalogue.holds_together(w for w in name.words if not w.isdigit()):
            found.append(Missing(name, "absent"))
        elif name.asked_about and not is_indexed(name, catalogue):
            found.append(Missing(name, "not_a_document"))
    return found
