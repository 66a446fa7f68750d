"""The answer as plain text: what the CLI prints and the JSON carries as "answer". Rendered from the typed
parts (rag/types.AnswerResult); nothing reads this text back."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rag.types import AnswerResult, Source


def _label(source: Source, *meta: str) -> str:
    shown = ", ".join(x for x in meta if x)
    return source.title + (f" ({shown})" if shown else "")


def source_label(source: Source) -> str:
    """'Title (issuer, date)': how a quote is attributed."""
    return _label(source, source.issuer, source.date)


#: Opens the list of the documents a question asked for (which documents …; who issued …, when).
DOCUMENTS_LEAD = "Documents (issuer, country, date):"


def document_label(source: Source) -> str:
    """'Title (issuer, country, date)': a document as a which-documents or who-issued question wants it."""
    return _label(source, source.issuer, source.country, source.date)


def answer_text(result: AnswerResult) -> str:
    """Lead, then the documents asked for (a which-documents question), then the synthesis sentences each
    followed by its [n], then each evidence group: its heading and
    one line per quote ("- [n] Title (issuer, date): “quote”"; the title is left out where the heading names
    the one document the group is about)."""
    by_n = {s.n: s for s in result.sources}
    parts = [result.lead] if result.lead else []
    if result.documents:
        parts.append(f"{DOCUMENTS_LEAD} " + "; ".join(f"{document_label(by_n[n])} [{n}]" for n in result.documents)
                     + ".")
    if result.synthesis:
        parts.append(" ".join(f"{s.text.rstrip()} [{s.source}]" for s in result.synthesis))
    for group in result.evidence:
        if not group.items:
            parts.append(f"{group.heading} {group.empty}".strip())
            continue
        lines = [f"- [{e.source}] " + ("" if group.one_document else f"{source_label(by_n[e.source])}: ")
                 + f"“{e.quote}”" for e in group.items]
        parts.append("\n".join([group.heading, *lines]))
    return "\n\n".join(parts)
