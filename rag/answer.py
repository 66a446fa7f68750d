"""The answer API: `Answerer.answer(question)` yields Sources, Tokens, the verified Answer, then a Verdict.

The question's reading (rag/reading.py) and retrieval decide the sources and whether to decline; the model
writes a short synthesis; only sentences a source supports survive, each cited to that source; the part of each
relevant source that answers is quoted as evidence under it (rag/quotes.py)."""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import replace

from ingest.config import IndexConfig
from rag.answer_text import source_label
from rag.bridge import Query
from rag.condense import condense
from rag.config import RagConfig
from rag.draft_check import check_draft
from rag.filters import Filters
from rag.llm import ChatModel, load_chat_model
from rag.named import named_by_names, named_by_rendering, unindexed_titles
from rag.prompt import build_messages
from rag.question import QuestionError, checked_question
from rag.quotes import with_quotes
from rag.reading import REFUSAL, Reading, declined, read_question
from rag.relevance import relevant_sources
from rag.retrieve import Retriever
from rag.wording import ENGLISH, Wording, wording
from rag.types import (AnswerEvent, AnswerResult, Citation, Event, Evidence, EvidenceGroup, Source, SourcesEvent,
                       TokenEvent, VerdictEvent)

__all__ = ["Answerer", "QuestionError", "REFUSAL", "MODEL_FAILED", "EVIDENCE_HEADING"]

log = logging.getLogger(__name__)

#: Shown with the quotes when the model backend fails: retrieval and citations do not need it.
MODEL_FAILED = ENGLISH.model_failed
#: Heads the list of quoted, cited source sentences in every non-refused answer.
EVIDENCE_HEADING = ENGLISH.evidence_heading
#: Heads the passages shown, uncited, under an answer that declines (not_indexed, not_stated).
RELATED_HEADING = ENGLISH.related_heading


def searched_as(query: Query, words: Wording) -> str:
    """How the question was searched in the index's other language, in the asker's words ("" when it was not)."""
    if not query.rendering:
        return ""
    listing = "; ".join(f"{asked} → {rendered}" for asked, rendered in query.rendering.pairs)
    return words.searched_as[query.rendering.language].format(words=listing)


def _evidence(sources: list[Source]) -> tuple[Evidence, ...]:
    return tuple(Evidence(s.n, s.quote, s.quote_span) for s in sources)


class Answerer:
    def __init__(self, retriever: Retriever, llm: ChatModel | None, config: RagConfig):
        self.retriever, self.llm, self.config = retriever, llm, config

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

    @property
    def engine_notice(self) -> str:
        """Empty while the configured engine runs; else what failed, what answers instead, and the fix."""
        return getattr(self.llm, "notice", "")

    def check(self, question: str) -> str:
        return checked_question(question, self.config.max_question_chars)

    def read(self, question: str, query: Query | None = None) -> Reading:
        """What the question names and asks for; a Chinese question's which-documents reading from its words."""
        catalogue = self.retriever.catalogue()
        reading = read_question(question, catalogue)
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
        cap = 1 if reading.lists else self.config.per_doc_cap
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

    def standalone(self, question: str, previous: str | None) -> str:
        """A follow-up rewritten as a standalone question, given the conversation's previous question."""
        return condense(question, previous, self.retriever.names())

    def answer(self, question: str, top_k: int | None = None, filters: Filters | None = None,
               previous: str | None = None) -> Iterator[Event]:
        """`previous`: the last standalone question of this conversation, so that a follow-up
        ("and what does the G20 say about that?") is retrieved as the question it stands for."""
        started = time.perf_counter()
        asked = self.check(question)
        question = self.standalone(asked, previous)
        asked = "" if question == asked else asked
        query = self.retriever.query(question)
        reading = self.read(question, query)
        sources = self.retrieve(question, top_k, filters, reading, query)
        retrieved = time.perf_counter()
        sources = with_quotes(self.retriever.embedded_text(query), sources, self.retriever.similarities)
        gate = replace(self.config, cite_margin=self.config.list_cite_margin,
                       max_cited=self.config.list_max_cited) if reading.lists else self.config
        relevant = relevant_sources(query, sources, gate, reading.named, self.retriever.idf,
                                    reading.about_document, self.retriever.config.embed_multilingual)
        yield SourcesEvent(sources, question)
        words = wording(query.language)
        framed = {"asked": asked, "language": query.language, "searched_as": searched_as(query, words)}
        timings = {"retrieve": (retrieved - started) * 1000}
        if decline := declined(question, reading, relevant, self.retriever.catalogue().documents,
                               self.retriever.document_text, words):
            verdict, lead = decline
            related = (EvidenceGroup(words.related_heading, _evidence(relevant)),) if relevant else ()
            timings |= {"generate": 0.0, "total": (time.perf_counter() - started) * 1000}
            yield AnswerEvent(AnswerResult(question, sources, verdict, lead=lead, evidence=related,
                                           timings_ms=timings, **framed))
            yield VerdictEvent(verdict, ())
            return
        draft, notice = "", ""
        generate_start = time.perf_counter()
        if self.llm is not None:
            try:
                for token in self.llm.stream(build_messages(question, relevant), self.config.llm.max_new_tokens):
                    draft += token
                    yield TokenEvent(token)
            except Exception as exc:  # noqa: BLE001 - any backend fault: the cited quotes still stand
                log.exception("the language model failed")
                draft, notice = "", words.model_failed.format(error=f"{type(exc).__name__}: {exc}"[:600])
        timings["generate"] = (time.perf_counter() - generate_start) * 1000
        synthesis, unsupported = check_draft(draft, relevant, self.config.min_support)
        verdict = ("quotes_only" if self.llm is None or notice
                   else "partly_supported" if unsupported else "supported")
        cited = sorted({s.n for s in relevant} | {x.source for x in synthesis})
        by_n = {s.n: s for s in sources}
        first_of_each = {}
        for s in relevant:
            first_of_each.setdefault(s.doc_id, s.n)
        documents = tuple(first_of_each.values()) if reading.lists or reading.about_document else ()
        timings["total"] = (time.perf_counter() - started) * 1000
        yield AnswerEvent(AnswerResult(
            question, sources, verdict, documents=documents, synthesis=tuple(synthesis),
            evidence=(EvidenceGroup(words.evidence_heading, _evidence(relevant)),),
            citations=[Citation.of(by_n[n]) for n in cited], unsupported=tuple(unsupported), notice=notice,
            timings_ms=timings, draft=draft, **framed))
        yield VerdictEvent(verdict, tuple(unsupported))

    def documents(self) -> list[tuple[str, str]]:
        """(doc_id, title) of every indexed document: what compare() accepts."""
        return self.retriever.documents()

    def related(self, node_id: str, k: int = 5) -> tuple[Source, list[Source]]:
        """A principle and the closest principles of other documents, each quoted where it is closest."""
        origin = self.retriever.node_source(node_id)
        return origin, with_quotes(origin.text, self.retriever.related(node_id, k), self.retriever.similarities)

    def compare(self, doc_a: str, doc_b: str, topic: str, per_side: int = 2) -> AnswerResult:
        """What each of two documents says on a topic: retrieved per document, quoted and cited per side.
        No model synthesis: a 135M model cannot be trusted to weigh two documents against each other."""
        started = time.perf_counter()
        topic = self.check(topic)
        found = []
        for doc in (doc_a, doc_b):
            hits = self.retriever.search(topic, per_side, Filters(doc=doc), hybrid=self.config.hybrid,
                                         per_doc_cap=None)
            found.append([s for s in hits if s.score >= self.config.min_score])
        numbered = [replace(s, n=n) for n, s in enumerate((s for side in found for s in side), 1)]
        sources = with_quotes(self.retriever.embedded_text(self.retriever.query(topic)), numbered,
                              self.retriever.similarities)
        sides = [sources[:len(found[0])], sources[len(found[0]):]]
        titles = dict(self.documents())
        names = [titles.get(doc, doc) for doc in (doc_a, doc_b)]
        groups = tuple(EvidenceGroup(f"{source_label(side[0])}:", _evidence(side), one_document=True) if side
                       else EvidenceGroup(f"{name}:", (), empty=f"nothing in this document is close enough to "
                                                              f"“{topic}” to quote.")
                       for name, side in zip(names, sides))
        question = f"Compare {names[0]} and {names[1]} on: {topic}"
        timings = {"retrieve": (time.perf_counter() - started) * 1000, "generate": 0.0}
        timings["total"] = timings["retrieve"]
        if not sources:
            return AnswerResult(question, sources, "refused", lead=REFUSAL, timings_ms=timings)
        return AnswerResult(question, sources, "supported", evidence=groups,
                            citations=[Citation.of(s) for s in sources], timings_ms=timings)

    def ask(self, question: str, top_k: int | None = None, filters: Filters | None = None,
            previous: str | None = None) -> AnswerResult:
        for event in self.answer(question, top_k, filters, previous):
            if isinstance(event, AnswerEvent):
                return event.result
        raise RuntimeError("the answer stream ended without an answer")
