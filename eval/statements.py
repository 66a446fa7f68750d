"""ALCE-style statement-level citation recall and precision (Gao et al. 2023), with the deterministic support
judge (rag/citations.judge) in place of ALCE's NLI model.

A statement is a sentence of the answer with the sources it cites. Citation recall: the share of statements
whose cited sources, together, support them. Citation precision: the share of citations that are needed — a
citation is irrelevant when it does not support its statement alone and the statement's other citations
support it without it; citations of a statement they do not support are not needed either (as in ALCE's
code)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.answer import EVIDENCE_HEADING
from rag.citations import judge
from rag.text import split_sentences, strip_citation_marks
from rag.types import Source

_MARK = re.compile(r"\[(\d+)\]")
_QUOTE_LINE = re.compile(r"^- \[(\d+)\][^“]*“(?P<quote>.*)”\s*$")
#: Marks after a sentence's full stop ("… borders. [1][2]") belong to that sentence, not the next.
_TRAILING_MARKS = re.compile(r"([.!?。！？])((?:\s*\[\d+\])+)")


@dataclass(frozen=True)
class Statement:
    text: str
    cites: tuple[int, ...]


def source_from_json(raw: dict) -> Source:
    return Source(**{k: raw.get(k, "") for k in ("doc_id", "title", "issuer", "date", "url", "country", "language",
                                                 "heading", "text")}, n=raw["n"], node_id=raw.get("node_id", ""),
                  score=raw.get("score", 0.0))


def statements(answer: str, all_sources: tuple[int, ...] = ()) -> list[Statement]:
    """The answer's statements: each quote line ("- [n] Title: “quote”") states its quote, citing n; each
    other sentence cites the marks it carries. `all_sources`: for a pipeline that shows sources without marking
    sentences (the naive baseline), every unmarked sentence is taken to cite all of them."""
    found: list[Statement] = []
    for line in answer.splitlines():
        line = line.strip()
        quote = _QUOTE_LINE.match(line)
        if quote:
            found.append(Statement(quote.group("quote"), (int(quote.group(1)),)))
            continue
        if not line or line == EVIDENCE_HEADING or line.endswith(":"):
            continue  # headings ("What the sources say:", a compare side's "Title (issuer, date):")
        for sentence in split_sentences(_TRAILING_MARKS.sub(lambda m: m.group(2) + m.group(1), line)):
            cites = tuple(int(n) for n in _MARK.findall(sentence)) or all_sources
            found.append(Statement(strip_citation_marks(sentence), cites))
    return found


def _supports(statement: str, sources: list[Source], min_support: float) -> bool:
    if not sources:
        return False
    if len(sources) == 1:
        return judge(statement, sources[0]) >= min_support
    merged = Source(n=0, node_id="", doc_id="", title=" ".join(s.title for s in sources),
                    issuer=" ".join(s.issuer for s in sources), date=" ".join(s.date for s in sources), url="",
                    country="", language="", heading=" ".join(s.heading for s in sources),
                    text="\n".join(s.text for s in sources), score=0.0)
    return judge(statement, merged) >= min_support


def citation_scores(answer: str, sources: dict[int, Source], min_support: float,
                    implicit: bool = False) -> dict[str, int]:
    """Counts for one answer: statements, supported statements, citations, needed citations. A mark naming
    no retrieved source is a citation that supports nothing."""
    found = statements(answer, tuple(sorted(sources)) if implicit else ())
    counts = {"statements": len(found), "supported_statements": 0, "citations": 0, "needed_citations": 0}
    for st in found:
        cited = [sources[n] for n in st.cites if n in sources]
        together = _supports(st.text, cited, min_support)
        counts["supported_statements"] += together
        counts["citations"] += len(st.cites)
        for n in st.cites:
            if n not in sources:
                continue
            others = [s for s in cited if s.n != n]
            alone = _supports(st.text, [sources[n]], min_support)
            counts["needed_citations"] += together and (alone or not _supports(st.text, others, min_support))
    return counts
