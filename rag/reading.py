"""How a question is read before it is answered — what it names, what it asks for — and when the answer must
decline: the corpus does not cover it (refused), it asks about something not indexed (not_indexed), or it asks
for a detail no cited passage states (not_stated). Each rule is stated in rag/named.py and rag/detail.py."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rag.detail import Detail, asked_detail, asks_about_document, states
from rag.named import (Catalogue, Missing, Name, asking_sentence, asks_for_documents, missing_names, named_documents,
                       names_in)
from rag.terms import content_terms, question_terms
from rag.types import Source, Verdict
from rag.wording import ENGLISH, Wording

REFUSAL = ENGLISH.refusal


@dataclass(frozen=True)
class Reading:
    """What the question names and asks for."""
    #: Doc ids of the documents it asks about by name ("What does the Montréal Declaration say …").
    named: frozenset[str]
    #: Names it uses that the index cannot answer for.
    missing: tuple[Missing, ...]
    #: The detail it asks for (an amount, a share, a count, a date), if any.
    detail: Detail | None
    #: It asks which documents … (they are listed first, one passage each, more of them cited).
    lists: bool
    #: It asks about a document itself: who issued it, from where, when (its metadata answers).
    about_document: bool
    #: Its topic words besides the names, as (stem, word as written).
    topic: tuple[tuple[str, str], ...] = ()


def topic_words(question: str, names: list[Name] | None = None) -> tuple[tuple[str, str], ...]:
    """The asking sentence's topic words that are not part of a name: (stem, word), first spelling kept."""
    sentence = asking_sentence(question)
    names = names_in(sentence) if names is None else names
    named = content_terms(" ".join(f"{n.text} {n.described}" for n in names))
    found: dict[str, str] = {}
    for word in re.findall(r"[A-Za-z](?:[^\W\u3400-\u9fff]|['’-])*", sentence):  # a word stops at Chinese
        for stem in question_terms(word) - named:
            found.setdefault(stem, word)
    return tuple(found.items())


def read_question(question: str, catalogue: Catalogue) -> Reading:
    sentence = asking_sentence(question)
    names = names_in(sentence)  # read once, used by the three below
    return Reading(named_documents(question, catalogue, names), tuple(missing_names(question, catalogue, names)),
                   asked_detail(question), asks_for_documents(sentence), asks_about_document(question),
                   topic_words(question, names))


def not_indexed_lead(missing: tuple[Missing, ...], documents: int, words: Wording = ENGLISH) -> str:
    """The first sentence of a not_indexed answer: what is missing, in a form the reader can check."""
    said = []
    for m in missing:
        template = (words.absent if m.reason == "absent" else words.not_a_document_kind if m.name.kind
                    else words.not_a_document)
        said.append(template.format(name=m.name.text, documents=documents))
    return " ".join(said + [words.cannot_say])


def not_stated_lead(detail: Detail, words: Wording = ENGLISH) -> str:
    return words.not_stated.format(detail=words.details[detail])


def unmentioned(reading: Reading, document_text: Callable[[str], str], fewest: int = 2) -> tuple[str, ...]:
    """The topic words of a question about named documents when not one of them (`fewest` or more: one word alone
    is too weak a sign for a question that names a document in passing) occurs anywhere in those documents
    ("What do the Asilomar AI Principles say about quantum computing?"); else ()."""
    if not reading.named or reading.about_document or len(reading.topic) < fewest:
        return ()
    held = content_terms(" ".join(document_text(doc) for doc in sorted(reading.named)), frozenset())
    return () if any(stem in held for stem, _ in reading.topic) else tuple(word for _, word in reading.topic)


#: A question asking whether a document says a thing: "Does it set out fines?", "Is there a deadline?".
_YES_NO = re.compile(r"^(?:does|do|did|is|are|was|were|has|have|will|would|can|could|should)\b|"
                     r"有没有|是否|是不是|有无|吗[?？]?$", re.IGNORECASE)


def asks_yes_no(question: str) -> bool:
    """Whether the question asks if a document says a thing ("Does it set out fines?", "它有没有规定罚款?")."""
    return bool(_YES_NO.search(question))


def _missing_specific(reading: Reading, document_text: Callable[[str], str],
                      weight: Callable[[str], float]) -> str:
    """The question's most specific topic word (rarest in the index) when the named documents lack it; else ""."""
    if not reading.topic or not reading.named:
        return ""
    stem, word = max(reading.topic, key=lambda pair: weight(pair[0]))
    held = content_terms(" ".join(document_text(doc) for doc in sorted(reading.named)), frozenset())
    return "" if stem in held else word


def declined(question: str, reading: Reading, relevant: list[Source], documents: int,
             document_text: Callable[[str], str], words: Wording = ENGLISH,
             within: str = "", sure: bool = False,
             weight: Callable[[str], float] | None = None) -> tuple[Verdict, str] | None:
    """(verdict, lead) when the answer must decline, checked in this order: a name not indexed, nothing
    relevant, a detail asked for that no relevant passage states (a date counts the document's own date when the
    question asks about a document it names), a question about named documents none of whose topic words they
    contain; None when it can answer. `within`: the document a follow-up is about, as a sentence names it — what
    it does not hold is then said of it ("The OECD Recommendation does not state the amount …"), not of the
    corpus; `sure`: a passage of it is close to the question by meaning (then its words need not be the
    question's), unless the question asks whether it says a thing ("Does it set out fines?"): then the
    thing's most specific word (by `weight`, the index's IDF) must be in it."""
    if reading.missing:
        return "not_indexed", not_indexed_lead(reading.missing, documents, words)
    if not relevant:
        return ("not_stated", words.not_in_document.format(document=within)) if within else ("refused",
                                                                                             words.refusal)
    own_dates = reading.named if reading.about_document else frozenset()
    if reading.detail and not any(states(reading.detail, s, question, own_dates) for s in relevant):
        if within:
            return "not_stated", words.not_stated_in_document.format(document=within,
                                                                     detail=words.details[reading.detail])
        return "not_stated", not_stated_lead(reading.detail, words)
    # A follow-up about the document under discussion asks it alone: one topic word it lacks says enough.
    if within and weight and asks_yes_no(question) and (word := _missing_specific(reading, document_text, weight)):
        return "not_stated", words.not_mentioned_in_document.format(document=within, words=f"“{word}”")
    if not (within and sure) and (topic := unmentioned(reading, document_text, 1 if within else 2)):
        listed = words.or_word.join(f"“{w}”" for w in topic)
        if within:
            return "not_stated", words.not_mentioned_in_document.format(document=within, words=listed)
        template = words.not_mentioned_many if len(reading.named) > 1 else words.not_mentioned_one
        return "not_stated", template.format(words=listed)
    return None
