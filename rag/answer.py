"""The answer API: `Answerer.answer(question)` yields Sources, Tokens, the verified Answer, then a Verdict.

Retrieval decides the sources and whether to refuse; the model writes a short synthesis; only sentences a
source supports survive, each cited to that source; the best-matching sentence of each relevant source is
quoted as evidence under it."""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from ingest.config import IndexConfig
from rag.citations import SupportedSentence, check_draft, choose_quotes, relevant_sources
from rag.condense import condense
from rag.config import RagConfig
from rag.filters import Filters
from rag.llm import ChatModel, load_chat_model
from rag.prompt import build_messages
from rag.retrieve import Retriever
from rag.text import clean_question
from rag.types import AnswerEvent, AnswerResult, Citation, Event, Source, SourcesEvent, TokenEvent, VerdictEvent

REFUSAL = ("The corpus does not cover this question: no document in the index is close enough to it to quote. "
           "Try other words, or add documents on the topic with `govrag ingest`.")


log = logging.getLogger(__name__)

#: Shown with the quotes when the model backend fails: retrieval and citations do not need it.
MODEL_FAILED = ("The language model failed ({error}), so this answer gives the cited quotes only. "
                "Check the model backend (see the server log).")

#: Heads the list of quoted, cited source sentences in every non-refused answer.
EVIDENCE_HEADING = "What the sources say:"


class QuestionError(ValueError):
    """A question that cannot be answered as asked (empty, too long)."""


def _citation_line(source: Source) -> str:
    meta = ", ".join(x for x in (source.issuer, source.date) if x)
    return f"[{source.n}] {source.title}" + (f" ({meta})" if meta else "") + f": “{source.quote}”"


def compose(synthesis: list[SupportedSentence], evidence: list[Source]) -> str:
    parts = []
    if synthesis:
        parts.append(" ".join(f"{s.text.rstrip()} [{s.source.n}]" for s in synthesis))
    parts.append(EVIDENCE_HEADING + "\n" + "\n".join(f"- {_citation_line(s)}" for s in evidence))
    return "\n\n".join(parts)


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
        question = clean_question(question)
        if not question:
            raise QuestionError("the question is empty: type a question about AI-governance principles")
        if len(question) > self.config.max_question_chars:
            raise QuestionError(f"the question is {len(question)} characters long; the limit is "
                                f"{self.config.max_question_chars}: shorten it")
        return question

    def retrieve(self, question: str, top_k: int | None, filters: Filters | None) -> list[Source]:
        return self.retriever.search(question, top_k or self.config.top_k, filters, hybrid=self.config.hybrid,
                                     per_doc_cap=self.config.per_doc_cap)

    def search(self, question: str, top_k: int | None = None, filters: Filters | None = None) -> list[Source]:
        question = self.check(question)
        sources = self.retrieve(question, top_k, filters)
        choose_quotes(question, sources, self.retriever.similarities)
        return sources

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
        sources = self.retrieve(question, top_k, filters)
        retrieved = time.perf_counter()
        relevant = relevant_sources(question, sources, self.config)
        choose_quotes(question, sources, self.retriever.similarities)
        yield SourcesEvent(sources, question)
        timings = {"retrieve": (retrieved - started) * 1000}
        if not relevant:
            timings |= {"generate": 0.0, "total": (time.perf_counter() - started) * 1000}
            yield AnswerEvent(AnswerResult(question, REFUSAL, [], sources, True, timings, verdict="refused",
                                           asked=asked))
            yield VerdictEvent("refused", [])
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
                draft, notice = "", MODEL_FAILED.format(error=f"{type(exc).__name__}: {exc}"[:600])
        timings["generate"] = (time.perf_counter() - generate_start) * 1000
        synthesis, unsupported = check_draft(draft, relevant, self.config.min_support)
        verdict = "partly_supported" if unsupported else "supported"
        cited = sorted({s.n: s for s in relevant + [x.source for x in synthesis]}.values(), key=lambda s: s.n)
        text = compose(synthesis, relevant)
        timings["total"] = (time.perf_counter() - started) * 1000
        yield AnswerEvent(AnswerResult(question, text, [Citation.of(s) for s in cited], sources, False, timings,
                                       draft=draft, model_sentences=len(synthesis), verdict=verdict,
                                       unsupported=unsupported, asked=asked, notice=notice))
        yield VerdictEvent(verdict, unsupported)

    def documents(self) -> list[tuple[str, str]]:
        """(doc_id, title) of every indexed document: what compare() accepts."""
        return self.retriever.documents()

    def related(self, node_id: str, k: int = 5) -> tuple[Source, list[Source]]:
        """A principle and the closest principles of other documents, each quoted where it is closest."""
        origin = self.retriever.node_source(node_id)
        related = self.retriever.related(node_id, k)
        choose_quotes(origin.text, related, self.retriever.similarities)
        return origin, related

    def compare(self, doc_a: str, doc_b: str, topic: str, per_side: int = 2) -> AnswerResult:
        """What each of two documents says on a topic: retrieved per document, quoted and cited per side.
        No model synthesis: a 135M model cannot be trusted to weigh two documents against each other."""
        started = time.perf_counter()
        topic = self.check(topic)
        sides: list[list[Source]] = []
        for doc in (doc_a, doc_b):
            found = self.retriever.search(topic, per_side, Filters(doc=doc), hybrid=self.config.hybrid,
                                          per_doc_cap=None)
            sides.append([s for s in found if s.score >= self.config.min_score])
        sources = [s for side in sides for s in side]
        for n, source in enumerate(sources, 1):
            source.n = n
        choose_quotes(topic, sources, self.retriever.similarities)
        parts = []
        titles = dict(self.documents())
        name_a, name_b = titles.get(doc_a, doc_a), titles.get(doc_b, doc_b)
        for wanted, side in zip((name_a, name_b), sides):
            if side:
                parts.append(f"{side[0].title} ({', '.join(x for x in (side[0].issuer, side[0].date) if x)}):\n"
                             + "\n".join(f"- [{s.n}] “{s.quote}”" for s in side))
            else:
                parts.append(f"{wanted}: nothing in this document is close enough to “{topic}” to quote.")
        question = f"Compare {name_a} and {name_b} on: {topic}"
        timings = {"retrieve": (time.perf_counter() - started) * 1000, "generate": 0.0}
        timings["total"] = timings["retrieve"]
        refused = not sources
        return AnswerResult(question, REFUSAL if refused else "\n\n".join(parts),
                            [Citation.of(s) for s in sources], sources, refused, timings,
                            verdict="refused" if refused else "supported")

    def ask(self, question: str, top_k: int | None = None, filters: Filters | None = None,
            previous: str | None = None) -> AnswerResult:
        for event in self.answer(question, top_k, filters, previous):
            if isinstance(event, AnswerEvent):
                return event.result
        raise RuntimeError("the answer stream ended without an answer")
