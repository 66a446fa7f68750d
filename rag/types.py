"""What the answer API yields: typed events that the UI routes to panels and eval records."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
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

    def public(self) -> dict:
        keys = ("n", "node_id", "doc_id", "title", "issuer", "date", "url", "country", "language", "heading", "quote",
                "text")
        return {**{k: getattr(self, k) for k in keys}, "score": round(self.score, 4)}


@dataclass
class Citation:
    n: int
    doc_id: str
    title: str
    issuer: str
    date: str
    url: str
    quote: str
    score: float

    @classmethod
    def of(cls, source: Source) -> "Citation":
        return cls(source.n, source.doc_id, source.title, source.issuer, source.date, source.url, source.quote,
                   round(source.score, 4))


@dataclass
class AnswerResult:
    question: str
    answer: str
    citations: list[Citation]
    sources: list[Source]
    refused: bool
    timings_ms: dict[str, float] = field(default_factory=dict)
    #: The model's unverified text, kept for inspection (eval records it); never shown as the answer.
    draft: str = ""
    #: How many of the model's sentences passed the support check and appear in the answer.
    model_sentences: int = 0
    #: "supported" | "partly_supported" (some model sentences failed the check: `unsupported`) | "refused".
    verdict: str = "supported"
    unsupported: list[str] = field(default_factory=list)
    #: What the user typed, when `question` is its standalone rewrite (a follow-up); else "".
    asked: str = ""
    #: Something the reader must know about how this answer was made (e.g. the model failed: quotes only).
    notice: str = ""

    def to_json(self) -> dict:
        return {"question": self.question, "asked": self.asked or self.question, "answer": self.answer,
                "citations": [asdict(c) for c in self.citations],
                "sources": [s.public() for s in self.sources], "refused": self.refused,
                "verdict": self.verdict, "unsupported_sentences": self.unsupported,
                "model_sentences": self.model_sentences, "notice": self.notice,
                "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()}}


@dataclass
class SourcesEvent:
    sources: list[Source]
    #: The question retrieved for (a follow-up's standalone form).
    question: str = ""


@dataclass
class TokenEvent:
    text: str


@dataclass
class AnswerEvent:
    result: AnswerResult


@dataclass
class VerdictEvent:
    """How much of what the model wrote survived the citation check; ends every answer stream."""
    verdict: str
    unsupported: list[str]


Event = SourcesEvent | TokenEvent | AnswerEvent | VerdictEvent
