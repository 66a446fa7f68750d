"""The answer as plain text: what the CLI prints and the JSON carries as "answer". Rendered from the typed
parts (rag/types.AnswerResult); nothing reads this text back."""
from __future__ import annotations

from typing import TYPE_CHECKING

from rag.wording import ENGLISH, wording

if TYPE_CHECKING:
    from rag.types import AnswerResult, Source


def _label(source: Source, *meta: str) -> str:
    shown = ", ".join(x for x in meta if x)
    return source.title + (f" ({shown})" if shown else "")


def page_label(source: Source) -> str:
    """'p. 12' for a passage of a paged document (PDF); '' otherwise."""
    return f"p. {source.page}" if source.page else ""


def source_label(source: Source) -> str:
    """'Title (issuer, date, p. 12)': how a quote is attributed."""
    return _label(source, source.issuer, source.date, page_label(source))


#: Opens the list of the documents a question asked for (which documents …; who issued …, when).
DOCUMENTS_LEAD = ENGLISH.documents_lead


def quote_language(source: Source, language: str) -> str:
    """" (in Chinese)" after a quote whose passage is not in the asker's language; else ""."""
    if source.language in ("en", "zh") and source.language != language:
        return " " + wording(language).quote_language[source.language]
    return ""


def document_label(source: Source) -> str:
    """'Title (issuer, country, date)': a document as a which-documents or who-issued question wants it."""
    return _label(source, source.issuer, source.country, source.date)


def synthesis_text(result: AnswerResult) -> str:
    """The model's checked sentences, each followed by its [n] ("" when there are none)."""
    return " ".join(f"{s.text.rstrip()} [{s.source}]" for s in result.synthesis)


def answer_text(result: AnswerResult) -> str:
    """The answer itself (how the question was searched, `searched_as`, is shown beside it, not in it): lead,
    then the documents asked for (a which-documents question), then the synthesis sentences each
    followed by its [n], then each evidence group: its heading and
    one line per quote ("- [n] Title (issuer, date): “quote”"; the title is left out where the heading names
    the one document the group is about)."""
    by_n = {s.n: s for s in result.sources}
    words = wording(result.language)
    parts = [result.lead] if result.lead else []
    if result.documents:
        parts.append(f"{words.documents_lead} " + "; ".join(f"{document_label(by_n[n])} [{n}]" for n in result.documents)
                     + ".")
    if result.synthesis:
        parts.append(synthesis_text(result))
    for group in result.evidence:
        if not group.items:
            parts.append(f"{group.heading} {group.empty}".strip())
            continue
        lines = [f"- [{e.source}] " + (_page_prefix(by_n[e.source]) if group.one_document
                                       else f"{source_label(by_n[e.source])}: ")
                 + f"“{e.quote}”" + quote_language(by_n[e.source], result.language) for e in group.items]
        parts.append("\n".join([group.heading, *lines]))
    return "\n\n".join(parts)


def _page_prefix(source: Source) -> str:
    return f"({page_label(source)}) " if source.page else ""
