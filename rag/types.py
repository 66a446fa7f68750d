"""What the answer API yields: typed events that the UI routes to panels, and the answer as a typed value.

The answer is data — a lead, verified synthesis sentences each with its source, evidence groups of verbatim
quotes each with its span in the passage, a verdict, notices — and every reader (CLI text, `--json`, the UI,
the Markdown export, the eval) renders or reads these parts directly: nothing parses a rendered answer back.
Everything here is frozen: a value handed to one reader cannot change under another (use dataclasses.replace)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Literal, get_args

Verdict = Literal["supported", "partly_supported", "quotes_only", "refused", "not_indexed", "not_stated",
                  "unchecked"]
#: supported: every sentence shown is a verbatim quote or a model sentence a cited source supports;
#: partly_supported: as supported, and some model sentences were removed (`unsupported`);
#: quotes_only: no model synthesis was attempted or it failed (see `notice`): the quotes alone;
#: refused: the corpus does not cover the question; not_indexed: the question asks about something (a law, a
#: summit, an organisation) that is not among the indexed documents; not_stated: it asks for a detail (an amount,
#: a count, a date) that no cited passage states — both say so first and may show related passages, uncited;
#: unchecked: a pipeline that verifies nothing (the baseline).
VERDICTS: tuple[str, ...] = get_args(Verdict)
#: The verdicts of an answer that declines the question as asked (`AnswerResult.refused`).
DECLINED: tuple[str, ...] = ("refused", "not_indexed", "not_stated")


@dataclass(frozen=True)
class Source:
    """One retrieved node, numbered as the prompt and the citations refer to it."""
    n: int
    node_id: str
    doc_id: str
    title: str
    issuer: str
    date: str
    url: str
    country: str
    language: str
    heading: str
    text: str
    score: float
    quote: str = ""
    #: Where `quote` sits in `text`, as (start, end) character offsets; None when the quote is not verbatim.
    quote_span: tuple[int, int] | None = None
    #: The quote's one sentence closest to the question: what the language model is given (rag/prompt.py).
    focus: str = ""
    #: The page the passage starts on, for documents read from paged files (PDF); 0 when there is none.
    page: int = 0

    def public(self) -> dict:
        keys = ("n", "node_id", "doc_id", "title", "issuer", "date", "url", "country", "language", "heading", "page",
                "quote", "focus", "text")
        return {**{k: getattr(self, k) for k in keys}, "score": round(self.score, 4),
                "quote_span": list(self.quote_span) if self.quote_span else None}

    @classmethod
    def from_json(cls, raw: dict) -> "Source":
        """The inverse of public() (a record written before quote spans existed reads with none)."""
        span = raw.get("quote_span")
        return cls(**{f.name: raw.get(f.name, "") for f in fields(cls)
                      if f.name not in ("n", "score", "quote_span", "page")},
                   n=raw["n"], score=raw.get("score", 0.0), quote_span=tuple(span) if span else None,
                   page=int(raw.get("page") or 0))


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    issuer: str
    date: str
    url: str
    quote: str
    score: float
    page: int = 0

    @classmethod
    def of(cls, source: Source) -> "Citation":
        return cls(source.n, source.doc_id, source.title, source.issuer, source.date, source.url, source.quote,
                   round(source.score, 4), source.page)


@dataclass(frozen=True)
class SynthesisSentence:
    """A sentence the model wrote that source `source` supports (its judge score: `support`)."""
    text: str
    source: int
    support: float


@dataclass(frozen=True)
class Evidence:
    """A verbatim quote of source `source`; `span`: its (start, end) in that source's passage text."""
    source: int
    quote: str
    span: tuple[int, int] | None = None

    @classmethod
    def of(cls, source: Source) -> "Evidence":
        """The source's quote, as evidence citing it."""
        return cls(source.n, source.quote, source.quote_span)


@dataclass(frozen=True)
class EvidenceGroup:
    """Quotes shown under one heading: all cited sources, or one side of a comparison."""
    heading: str
    items: tuple[Evidence, ...]
    #: Said in place of the items when there are none (a compared document that does not cover the topic).
    empty: str = ""
    #: The group is about one document, named in its heading: its items need not repeat the title.
    one_document: bool = False


@dataclass(frozen=True)
class Turn:
    """One answered turn as a follow-up can refer to it: the standalone question searched, its topic, the
    documents it answered from (the main one first) with their titles, and its language. The UI keeps it in the
    session; an API or CLI client passes it back as `previous` (AnswerResult.to_json()["turn"])."""
    question: str
    topic: str = ""
    documents: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    language: str = "en"

    def to_json(self) -> dict:
        return {"question": self.question, "topic": self.topic, "documents": list(self.documents),
                "titles": list(self.titles), "language": self.language}

    @classmethod
    def from_json(cls, raw: object) -> "Turn":
        """A turn passed back by a client; a clear error naming the field when it is malformed."""
        if isinstance(raw, str):  # the previous question alone, as older clients sent it
            return cls(raw)
        if not isinstance(raw, dict) or not isinstance(raw.get("question"), str) or not raw["question"].strip():
            raise ValueError("the previous turn must be an answer's \"turn\" object (with a non-empty "
                             "\"question\") or the previous question as a string")
        documents, titles = raw.get("documents", []), raw.get("titles", [])
        for name, value in (("documents", documents), ("titles", titles)):
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                raise ValueError(f"the previous turn's \"{name}\" must be a list of strings")
        if len(titles) != len(documents):
            raise ValueError("the previous turn's \"titles\" must name each of its \"documents\"")
        return cls(raw["question"], str(raw.get("topic", "")), tuple(documents), tuple(titles),
                   "zh" if raw.get("language") == "zh" else "en")


@dataclass(frozen=True)
class AnswerResult:
    question: str
    sources: list[Source]
    verdict: Verdict
    #: The answer's opening words: the refusal, or the unverified prose of a pipeline that verifies nothing.
    lead: str = ""
    #: A question asking which documents (…) gets them first: one source number per cited document, in rank order.
    documents: tuple[int, ...] = ()
    synthesis: tuple[SynthesisSentence, ...] = ()
    evidence: tuple[EvidenceGroup, ...] = ()
    citations: list[Citation] = field(default_factory=list)
    #: Model sentences removed because no source supports them (verdict partly_supported).
    unsupported: tuple[str, ...] = ()
    #: Something the reader must know about how this answer was made (e.g. the model failed: quotes only).
    notice: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    #: The model's unverified text, kept for inspection (eval records it); never shown as the answer.
    draft: str = ""
    #: What the user typed, when `question` is its standalone rewrite (a follow-up); else "".
    asked: str = ""
    #: The asker's language ("en" or "zh"): the fixed words of the answer follow it (rag/wording.py).
    language: str = "en"
    #: How the question was searched in the index's other language ("Searched in English as: …"); else "".
    searched_as: str = ""
    #: A follow-up read as being about the previous turn's document(s): their titles, searched within.
    within: tuple[str, ...] = ()
    #: The other way an ambiguous follow-up could be read, as a question the user can ask in one click; else "".
    other_reading: str = ""
    #: This turn as the next follow-up refers to it.
    turn: Turn | None = None

    def __post_init__(self) -> None:
        """A part citing a source the answer does not carry cannot be built (a [7] of five sources is a bug)."""
        numbers = {s.n for s in self.sources}
        cited = [s.source for s in self.synthesis] + [e.source for g in self.evidence for e in g.items]
        cited += list(self.documents)
        cited += [c.n for c in self.citations]
        if dangling := sorted(set(cited) - numbers):
            raise ValueError(f"the answer cites source(s) {dangling} but carries only {sorted(numbers)}")
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; one of {', '.join(VERDICTS)}")

    @property
    def refused(self) -> bool:
        """The question as asked is not answered (refused, not_indexed, not_stated): what refusal metrics count."""
        return self.verdict in DECLINED

    @property
    def model_sentences(self) -> int:
        """How many of the model's sentences passed the support check and appear in the answer."""
        return len(self.synthesis)

    @property
    def answer(self) -> str:
        """The answer as plain text (the CLI's output, the JSON's "answer")."""
        from rag.answer_text import answer_text

        return answer_text(self)

    def to_json(self) -> dict:
        return {"question": self.question, "asked": self.asked or self.question, "answer": self.answer,
                "citations": [asdict(c) for c in self.citations],
                "sources": [s.public() for s in self.sources], "refused": self.refused,
                "verdict": self.verdict, "unsupported_sentences": list(self.unsupported),
                "model_sentences": self.model_sentences, "notice": self.notice,
                "parts": {"lead": self.lead, "documents": list(self.documents),
                          "synthesis": [asdict(s) for s in self.synthesis],
                          "evidence": [{"heading": g.heading, "empty": g.empty, "one_document": g.one_document,
                                        "items": [{"source": e.source, "quote": e.quote,
                                                   "span": list(e.span) if e.span else None} for e in g.items]}
                                       for g in self.evidence]},
                "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
                "language": self.language, "searched_as": self.searched_as, "within": list(self.within),
                "other_reading": self.other_reading, "turn": self.turn.to_json() if self.turn else None}

    @classmethod
    def from_json(cls, raw: dict) -> "AnswerResult":
        """The inverse of to_json(), for records written by `govrag ask --json` or the eval; reads without
        changing `raw`. The draft is not part of the JSON (the eval keeps it beside, as model_draft)."""
        parts = raw["parts"]
        return cls(
            question=raw["question"], sources=[Source.from_json(s) for s in raw["sources"]], verdict=raw["verdict"],
            lead=parts["lead"], documents=tuple(parts.get("documents", ())), synthesis=tuple(SynthesisSentence(**s) for s in parts["synthesis"]),
            evidence=tuple(EvidenceGroup(g["heading"], tuple(Evidence(e["source"], e["quote"],
                                                                      tuple(e["span"]) if e["span"] else None)
                                                             for e in g["items"]), g["empty"], g["one_document"])
                           for g in parts["evidence"]),
            citations=[Citation(**c) for c in raw["citations"]], unsupported=tuple(raw["unsupported_sentences"]),
            notice=raw["notice"], timings_ms=dict(raw["timings_ms"]),
            asked="" if raw["asked"] == raw["question"] else raw["asked"], language=raw.get("language", "en"),
            searched_as=raw.get("searched_as", ""), within=tuple(raw.get("within", ())),
            other_reading=raw.get("other_reading", ""),
            turn=Turn.from_json(raw["turn"]) if raw.get("turn") else None)


@dataclass(frozen=True)
class SourcesEvent:
    sources: list[Source]
    #: The question retrieved for (a follow-up's standalone form).
    question: str = ""


@dataclass(frozen=True)
class QuotesEvent:
    """The cited quotes, before the model writes a word: they need retrieval and the relevance gate only, so
    every reader shows them at once. `result` is a whole answer (verdict quotes_only); the AnswerEvent that
    follows replaces it, with the model's checked synthesis added, or dropped (its notice says why)."""
    result: AnswerResult


@dataclass(frozen=True)
class TokenEvent:
    text: str


@dataclass(frozen=True)
class AnswerEvent:
    result: AnswerResult


@dataclass(frozen=True)
class VerdictEvent:
    """How much of what the model wrote survived the citation check; ends every answer stream."""
    verdict: Verdict
    unsupported: tuple[str, ...]


Event = SourcesEvent | QuotesEvent | TokenEvent | AnswerEvent | VerdictEvent
