"""The answer API: `Answerer.answer(question)` yields Sources, the cited Quotes (before the model writes),
Tokens, the verified Answer, then a Verdict.

The question's reading (rag/reading.py) and retrieval decide the sources and whether to decline; the model
writes a short synthesis; only sentences a source supports survive, each cited to that source; the part of each
relevant source that answers is quoted as evidence under it (rag/quotes.py)."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Literal

from ingest.config import IndexConfig
from ingest.library import IndexedDocument
from rag.bridge import Query
from rag.comparison import compare_documents
from rag.condense import FollowUp, read_follow_up, topic_of
from rag.config import RagConfig
from rag.draft_check import check_draft
from rag.filters import Filters
from rag.llm import ChatModel, load_chat_model
from rag.chinese_names import named_by_names, named_by_rendering, unindexed_titles
from rag.named import named_documents, names_in, resolve
from rag.prompt import build_messages
from rag.question import QuestionError, checked_question
from rag.quotes import with_quotes
from rag.reading import REFUSAL, Reading, asks_yes_no, declined, read_question
from rag.relevance import relevant_sources, worded_sources
from rag.retrieve import Retriever
from rag.wording import ENGLISH, Wording, wording
from rag.terms import STOPWORDS, content_terms
from rag.types import (AnswerEvent, AnswerResult, Citation, Event, Evidence, EvidenceGroup, QuotesEvent, Source,
                       SourcesEvent, TokenEvent, Turn, VerdictEvent)

#: How far an answer has firmed up (Answerer.stages): its cited quotes, or the verified whole.
Stage = Literal["quotes", "final"]

__all__ = ["Answerer", "Stage", "QuestionError", "REFUSAL", "MODEL_FAILED", "EVIDENCE_HEADING"]

log = logging.getLogger(__name__)

#: Shown with the quotes when the model backend fails: retrieval and citations do not need it.
MODEL_FAILED = ENGLISH.model_failed
#: Heads the list of quoted, cited source sentences in every non-refused answer.
EVIDENCE_HEADING = ENGLISH.evidence_heading
#: Heads the passages shown, uncited, under an answer that declines (not_indexed, not_stated).
RELATED_HEADING = ENGLISH.related_heading
#: The most documents a name may share and still stand for a position in a comparison ("Google's": 5, "China's":
#: a few dozen); a name on more is a word of the field, not a source.
MAX_ISSUER_DOCUMENTS = 40
#: Searched by Answerer.warm_up: an English question (its Chinese rendering loads the dictionary) and a Chinese one.
WARM_UP_QUESTIONS = ("What do the principles say about transparency?", "人工智能治理的原则是什么?")
#: Question readings an Answerer keeps (Answerer._read_question).
READINGS_KEPT = 256


def searched_as(query: Query, words: Wording) -> str:
    """How the question was searched in the index's other language, in the asker's words ("" when it was not)."""
    if not query.rendering:
        return ""
    listing = "; ".join(f"{asked} → {rendered}" for asked, rendered in query.rendering.pairs)
    return words.searched_as[query.rendering.language].format(words=listing)


def _named_in_sentence(titles: tuple[str, ...], language: str) -> str:
    """The document a follow-up is about as an answer's sentence names it: "The OECD …", "《…》"; "" for none."""
    if not titles:
        return ""
    if language == "zh":
        return "、".join(f"《{t}》" for t in titles)
    title = titles[0]
    return title if title.lower().startswith("the ") else f"The {title}"


def _evidence(sources: list[Source]) -> tuple[Evidence, ...]:
    return tuple(Evidence.of(s) for s in sources)


class Answerer:
    def __init__(self, retriever: Retriever, llm: ChatModel | None, config: RagConfig):
        self.retriever, self.llm, self.config = retriever, llm, config
        #: Answers the model may write at once (LLMConfig.parallel); the others wait up to LLMConfig.wait_s,
        #: after their quotes have been yielded.
        self._writers = threading.BoundedSemaphore(config.llm.parallel)
        #: The last questions' readings, with the catalogue each was read against: an answer reads its question
        #: twice (as a follow-up, then as itself), ~40 ms each.
        self._readings: dict[str, tuple[object, Reading]] = {}

    @classmethod
    def load(cls, index: IndexConfig, config: RagConfig, with_llm: bool = True) -> "Answerer":
        """Open the index and load the models once; reuse the Answerer for every question. The model's worker
        starts first and loads while the index does; its start check is waited for at the end."""
        llm = load_chat_model(config.llm) if with_llm else None
        retriever = Retriever(index)
        ready = getattr(llm, "ready", None)
        if ready:
            ready()
        return cls(retriever, llm, config)

    def warm_up(self) -> None:
        """Load what the first questions would otherwise wait for — the bilingual dictionary (~1.2 s), the
        Chinese word segmenter (~0.6 s) — by searching one English and one Chinese question. For a background
        thread at start: a serving process is ready to answer sooner."""
        for question in WARM_UP_QUESTIONS:
            self.search(question, 1)

    @property
    def engine_notice(self) -> str:
        """Empty while the configured engine runs; else what failed, what answers instead, and the fix."""
        return getattr(self.llm, "notice", "")

    def check(self, question: str) -> str:
        return checked_question(question, self.config.max_question_chars)

    def _read_question(self, question: str) -> Reading:
        catalogue = self.retriever.catalogue()
        known = self._readings.get(question)
        if known and known[0] is catalogue:
            return known[1]
        if len(self._readings) >= READINGS_KEPT:
            self._readings.clear()
        reading = self._readings[question] = (catalogue, read_question(question, catalogue))
        return reading[1]

    def read(self, question: str, query: Query | None = None) -> Reading:
        """What the question names and asks for; a Chinese question's which-documents reading from its words."""
        catalogue = self.retriever.catalogue()
        reading = self._read_question(question)
        query = query or self.retriever.query(question)
        lists = reading.lists or query.lists
        named = named_by_rendering(query.titles, catalogue)
        if not lists:  # "which documents mention the OECD": a topic, not the source asked about
            named |= named_by_names(query.names, catalogue)
        missing = reading.missing + tuple(unindexed_titles(query.titles, catalogue))
        return replace(reading, named=reading.named | named, lists=lists, missing=missing)

    def retrieve(self, question: str, top_k: int | None, filters: Filters | None,
                 reading: Reading | None = None, query: Query | None = None) -> list[Source]:
        """The top-k passages; when the question names documents ("What does the Montréal Declaration say …"),
        the best passages of each named document come first, retrieved inside it if the search missed it."""
        top_k = top_k or self.config.top_k
        reading = reading or self.read(question)
        query = query or self.retriever.query(question)
        # A question asking which documents … is answered by documents: one passage each makes room for more.
        cap = 1 if reading.lists else None if filters and filters.doc else self.config.per_doc_cap
        found = self.retriever.search(question, top_k, filters, hybrid=self.config.hybrid, per_doc_cap=cap,
                                      query=query)
        named = reading.named
        if not named or (filters and filters.active()):
            return found
        first = [s for s in found if s.doc_id in named]
        for doc in sorted(named - {s.doc_id for s in first}):
            first += self.retriever.search(question, 1, Filters(doc=doc), hybrid=self.config.hybrid, per_doc_cap=None,
                                           query=query)
        first.sort(key=lambda s: -s.score)
        # A named document's Chinese passage, which an English-only embedder cannot rank against its English ones:
        # its best one is shown too, and the relevance gate judges it by its words.
        for doc in sorted(named):
            if (not self.retriever.config.embed_multilingual and "zh" in self.retriever.languages(doc)
                    and not any(s.doc_id == doc and s.language == "zh" for s in first)):
                first += self.retriever.search(question, 1, Filters(doc=doc, language="zh"), hybrid=self.config.hybrid,
                                               per_doc_cap=None, query=query)
        rest = [s for s in found if s.doc_id not in named]
        return [replace(s, n=n) for n, s in enumerate((first + rest)[:top_k], 1)]

    def search(self, question: str, top_k: int | None = None, filters: Filters | None = None) -> list[Source]:
        question = self.check(question)
        query = self.retriever.query(question)
        return with_quotes(self.retriever.embedded_text(query), self.retrieve(question, top_k, filters, query=query),
                           self.retriever.similarities)

    def named_in(self, text: str) -> tuple[str, ...]:
        """The doc ids a text names (a follow-up's "X" in "how does that compare with X"), best first: each name
        in it, whatever its place in the sentence, resolved as a question's names are."""
        catalogue = self.retriever.catalogue()
        query = self.retriever.query(text)
        # In a sentence: a fragment's first word ("Samsung's principles") would be read as a sentence's opening.
        sentence = text if query.language == "zh" else f"What do {text} say?"
        named = named_documents(sentence, catalogue, [replace(n, asked_about=True) for n in names_in(sentence)])
        named |= named_by_rendering(query.titles, catalogue) | named_by_names(query.names, catalogue)
        if len(named) <= 1:
            return tuple(named)
        ranked = [s.doc_id for s in self.retriever.search(text, 10, per_doc_cap=1, query=query) if s.doc_id in named]
        return tuple(dict.fromkeys(ranked + sorted(named)))

    def issuer_documents(self, text: str, topic: str) -> tuple[str, ...]:
        """The documents of the issuer or country a text names when it names none of them ("Google's principles":
        Google issued five; 微软; "China's position"): those whose titles hold the text's other words first, then
        by their best passage's closeness to `topic`. A name shared by more than MAX_ISSUER_DOCUMENTS documents is
        no one's position: ()."""
        catalogue = self.retriever.catalogue()
        query = self.retriever.query(text)
        # In a sentence: a fragment's first word would be read as a sentence's opening (see named_in).
        if query.language == "zh":  # per name, its first English form that resolves (微软 → "Microsoft")
            forms = [next((n for form in names for n in names_in(f"What do {form} say?")
                           if n.words and resolve(n, catalogue)), None) for names in query.names]
            names = [n for n in forms if n]
        else:
            names = [n for n in names_in(f"What do {text} say?") if n.words]
        docs = frozenset().union(*(resolve(n, catalogue) for n in names))
        if not docs or len(docs) > MAX_ISSUER_DOCUMENTS:
            return ()
        # One search, one passage per document, deep enough to rank every one of them that is near the topic.
        about = self.retriever.query(topic or text)
        found = self.retriever.search(topic or text, min(4 * len(docs) + 20, 100), hybrid=self.config.hybrid,
                                      per_doc_cap=1, query=about)
        rank = {s.doc_id: i for i, s in reversed(list(enumerate(found))) if s.doc_id in docs}
        # "Google's AI principles" (谷歌的人工智能原则): a title holding the text's other words first.
        titles = {doc: title for doc, _, title in catalogue.titles if doc in docs}
        said = content_terms(query.english if query.language == "zh" else text, STOPWORDS) \
            - content_terms(" ".join(n.text for n in names), STOPWORDS)  # not the issuer's own name
        held = {doc: len(said & content_terms(titles[doc], STOPWORDS)) for doc in docs}
        return tuple(sorted(docs, key=lambda doc: (-held[doc], rank.get(doc, len(found)), doc)))

    def follow_up(self, question: str, previous: Turn | str | None) -> FollowUp:
        """How a question reads after the conversation's previous turn (rag/condense.py)."""
        if isinstance(previous, str):
            previous = Turn(previous)
        query = self.retriever.query(question)
        lists = bool(self._read_question(question).lists or query.lists)
        return read_follow_up(question, previous, self.retriever.names(), self.named_in, lists,
                              dict(self.retriever.catalogue().chinese_titles), self.issuer_documents)

    def standalone(self, question: str, previous: Turn | str | None) -> str:
        """A follow-up rewritten as a standalone question, given the conversation's previous turn."""
        return self.follow_up(question, previous).question

    def _titles(self, docs: tuple[str, ...], language: str) -> tuple[str, ...]:
        """The documents' titles as an answer in `language` names them (a Chinese title where one is indexed)."""
        titles = dict(self.documents()) | (dict(self.retriever.catalogue().chinese_titles) if language == "zh" else {})
        return tuple(titles[d] for d in docs if d in titles)

    def turn_for(self, question: str, language: str, documents: list[str], topic: str = "") -> Turn:
        """The turn a follow-up to this answer refers to: its question, topic, and the indexed ones of
        `documents` (the main one first) with their titles."""
        titles = dict(self.documents())
        documents = list(dict.fromkeys(d for d in documents if d in titles))
        return Turn(question, topic or topic_of(question)[1], tuple(documents), tuple(titles[d] for d in documents),
                    language)

    def answer(self, question: str, top_k: int | None = None, filters: Filters | None = None,
               previous: Turn | str | None = None) -> Iterator[Event]:
        """`previous`: the conversation's previous turn (AnswerResult.turn; or its standalone question), so that
        a follow-up ("what does it say about fines?", "how does that compare with UNESCO?") is answered as the
        question it stands for: inside the document under discussion, or as a comparison."""
        started = time.perf_counter()
        asked = self.check(question)
        follow = self.follow_up(asked, previous)
        if follow.compare:
            result = self.compare(*follow.compare, follow.search, asked=asked, other_reading=follow.other,
                                  carried=follow.topic)
            yield SourcesEvent(result.sources, result.question)
            yield AnswerEvent(result)
            yield VerdictEvent(result.verdict, ())
            return
        question = follow.question
        asked = "" if question == asked else asked
        within = self._titles(follow.within, self.retriever.query(asked).language)
        if follow.within:
            filters = replace(filters or Filters(), doc=follow.within[0])
        query = self.retriever.query(question)
        reading = self.read(question, query)
        if follow.within:  # asked about that document: its passages answer, and what it lacks is said of it
            reading = replace(reading, named=frozenset(follow.within))
            if query.language == "zh" and asks_yes_no(question):  # the thing asked of it, in English (罚款 → fine)
                reading = replace(reading, topic=tuple(
                    (stem, chinese) for chinese, english in query.glossary() if chinese in query.chinese_terms
                    for stem in sorted(content_terms(english))[:1]))
        sources = self.retrieve(question, top_k, filters, reading, query)
        retrieved = time.perf_counter()
        gate = replace(self.config, cite_margin=self.config.list_cite_margin,
                       max_cited=self.config.list_max_cited) if reading.lists else self.config
        if follow.within:  # the document is already known to be the one asked about: its words need not be found
            gate = replace(gate, confident_score=gate.min_score)
        relevant = relevant_sources(query, sources, gate, reading.named, self.retriever.idf,
                                    reading.about_document, self.retriever.config.embed_multilingual)
        if follow.within and not relevant:
            relevant = worded_sources(query, sources, gate)
        # Inside a document, a passage this close answers whatever words it uses ("prejudiced against AI" when it
        # says "biased"): "it does not mention …" is only said when none is.
        sure = any(s.score >= self.config.confident_score for s in relevant if s.language != "zh")
        yield SourcesEvent(sources, question)
        words = wording(query.language)
        framed = {"asked": asked, "language": query.language, "searched_as": searched_as(query, words),
                  "within": within, "other_reading": follow.other}
        timings = {"retrieve": (retrieved - started) * 1000}
        named_first = [s.doc_id for s in sources if s.doc_id in reading.named]
        if decline := declined(question, reading, relevant, self.retriever.catalogue().documents,
                               self.retriever.document_text, words, _named_in_sentence(within, query.language),
                               sure, self.retriever.idf):
            verdict, lead = decline
            shown = relevant or (sources[:1] if within else [])  # the document's nearest passage, uncited
            sources, shown = self._quoted(query, sources, shown)
            related = (EvidenceGroup(words.related_heading, _evidence(shown)),) if shown else ()
            timings |= {"generate": 0.0, "total": (time.perf_counter() - started) * 1000}
            turn = self.turn_for(question, query.language, list(follow.within) + named_first, follow.topic)
            yield AnswerEvent(AnswerResult(question, sources, verdict, lead=lead, evidence=related,
                                           timings_ms=timings, turn=turn, **framed))
            yield VerdictEvent(verdict, ())
            return
        sources, relevant = self._quoted(query, sources, relevant)
        first_of_each: dict[str, int] = {}
        for s in relevant:
            first_of_each.setdefault(s.doc_id, s.n)
        documents = tuple(first_of_each.values()) if reading.lists or reading.about_document else ()
        by_n = {s.n: s for s in sources}
        cited = sorted(s.n for s in relevant)
        timings["quotes"] = (time.perf_counter() - started) * 1000
        # Everything cited is known before the model writes: its sentences are kept only where a relevant
        # source supports them (check_draft), so the quotes, citations and turn are final now.
        quotes = AnswerResult(
            question, sources, "quotes_only", documents=documents,
            evidence=(EvidenceGroup(words.evidence_heading, _evidence(relevant)),),
            citations=[Citation.of(by_n[n]) for n in cited], timings_ms=dict(timings),
            turn=self.turn_for(question, query.language, list(follow.within) + named_first
                            + [by_n[n].doc_id for n in cited], follow.topic), **framed)
        yield QuotesEvent(quotes)
        draft, notice = "", ""
        generate_start = time.perf_counter()
        if self.llm is not None:
            if not self._writers.acquire(timeout=self.config.llm.wait_s):
                notice = words.model_busy.format(seconds=self.config.llm.wait_s)
            else:
                try:
                    for token in self.llm.stream(build_messages(question, relevant), self.config.llm.max_new_tokens):
                        draft += token
                        yield TokenEvent(token)
                except Exception as exc:  # noqa: BLE001 - any backend fault: the cited quotes still stand
                    log.exception("the language model failed")
                    draft, notice = "", words.model_failed.format(error=f"{type(exc).__name__}: {exc}"[:600])
                finally:
                    self._writers.release()
        timings["generate"] = (time.perf_counter() - generate_start) * 1000
        synthesis, unsupported = check_draft(draft, relevant, self.config.min_support)
        verdict = ("quotes_only" if self.llm is None or notice
                   else "partly_supported" if unsupported else "supported")
        timings["total"] = (time.perf_counter() - started) * 1000
        yield AnswerEvent(replace(quotes, verdict=verdict, synthesis=tuple(synthesis), unsupported=tuple(unsupported),
                                  notice=notice, timings_ms=timings, draft=draft))
        yield VerdictEvent(verdict, tuple(unsupported))

    def _quoted(self, query: Query, sources: list[Source], shown: list[Source]) -> tuple[list[Source], list[Source]]:
        """`shown` quoted where each answers the question, and `sources` with those copies in their place. Only
        what an answer shows as evidence is quoted: choosing a quote embeds each sentence of the passage, the
        largest part of an answer's work before its quotes; the other sources keep their passage unmarked."""
        quoted = with_quotes(self.retriever.embedded_text(query), shown, self.retriever.similarities)
        by_n = {s.n: s for s in quoted}
        return [by_n.get(s.n, s) for s in sources], quoted

    def documents(self) -> list[tuple[str, str]]:
        """(doc_id, title) of every indexed document: what compare() accepts."""
        return self.retriever.documents()

    def library(self, reload: bool = False) -> list[IndexedDocument]:
        """Every indexed document with its passages, for browsing; reload=True: first read what another
        process (or this one, uploading) wrote to the index since."""
        self.retriever.reload_if_changed(now_please=reload)
        return self.retriever.library()

    def related(self, node_id: str, k: int = 5) -> tuple[Source, list[Source]]:
        """A principle and the closest principles of other documents, each quoted where it is closest."""
        origin = self.retriever.node_source(node_id)
        return origin, with_quotes(origin.text, self.retriever.related(node_id, k), self.retriever.similarities)

    def compare(self, doc_a: str, doc_b: str, topic: str, per_side: int = 2, asked: str = "",
                other_reading: str = "", carried: str = "") -> AnswerResult:
        """What each of two documents says on a topic, quoted and cited per side (rag/comparison.py). `asked`:
        the follow-up this comparison answers ("how does that compare with UNESCO?"), `carried` the topic it
        carries on."""
        return compare_documents(self, doc_a, doc_b, topic, per_side, asked, other_reading, carried)

    def stages(self, question: str, top_k: int | None = None, filters: Filters | None = None,
               previous: Turn | str | None = None) -> Iterator[tuple[Stage, AnswerResult]]:
        """The answer as it firms up, for readers of whole answers rather than tokens (the JSON API, the CLI):
        ("quotes", the cited quotes, before the model writes) unless the question is declined or compared,
        then ("final", the verified answer)."""
        for event in self.answer(question, top_k, filters, previous):
            if isinstance(event, QuotesEvent):
                yield "quotes", event.result
            elif isinstance(event, AnswerEvent):
                yield "final", event.result
                return
        raise RuntimeError("the answer stream ended without an answer")

    def ask(self, question: str, top_k: int | None = None, filters: Filters | None = None,
            previous: Turn | str | None = None) -> AnswerResult:
        for stage, result in self.stages(question, top_k, filters, previous):
            if stage == "final":
                return result
        raise RuntimeError("the answer stream ended without an answer")
