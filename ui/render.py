"""Markdown for the chat and HTML for the sources panel, built from the answer API's results.

Corpus text is data, never markup: everything from a document is escaped, so a document containing HTML or
`<script>` shows as text. Only the citation marks govrag itself wrote become links ([n] → its source card)."""
from __future__ import annotations

import html
import re

from ingest.library import IndexedDocument
from rag.answer_text import document_label, page_label, quote_language, source_label
from rag.types import AnswerResult, EvidenceGroup, Source
from rag.wording import wording

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")



def escape(text: str) -> str:
    """Show corpus text literally in Markdown: HTML and Markdown syntax render as text."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def source_anchor(turn: int, n: int) -> str:
    return f"govrag-src-{turn}-{n}"


def _mark_link(n: int, turn: int) -> str:
    return f"[\\[{n}\\]](#{source_anchor(turn, n)})"


def _group_markdown(group: EvidenceGroup, sources: dict[int, Source], turn: int, language: str) -> str:
    if not group.items:
        return escape(f"{group.heading} {group.empty}".strip())
    lines = [f"- {_mark_link(e.source, turn)} "
             + (_page_prefix(sources[e.source]) if group.one_document
                else f"{escape(source_label(sources[e.source]))}: ")
             + f"“{escape(e.quote)}”" + escape(quote_language(sources[e.source], language)) for e in group.items]
    return "\n".join([escape(group.heading), *lines])


def _page_prefix(source: Source) -> str:
    return f"({escape(page_label(source))}) " if source.page else ""


def answer_markdown(result: AnswerResult, turn: int, final: bool = True) -> str:
    """The verified answer of chat turn `turn`, from its parts: what was searched for (a follow-up), the
    synthesis and the evidence with their [n] marks linked to the sources panel (corpus text escaped, so a
    mark inside a quote stays text), the verdict, the model sentences removed (struck through), any notice.
    final=False: the quotes shown while the model still writes, without a verdict yet."""
    words = wording(result.language)
    parts = [f"*{escape(words.read_as.format(question=result.question))}*"] if result.asked else []
    parts += [f"*{escape(words.within.format(titles='; '.join(result.within)))}*"] if result.within else []
    parts += [f"*{escape(result.searched_as)}*"] if result.searched_as else []
    badge = words.badges.get(result.verdict, "").format(n=len(result.unsupported)) if final else ""
    if result.refused:  # the decline first; related passages (not_indexed, not_stated) after it, uncited
        parts.append(f"**{badge}** {escape(result.lead)}")
    elif result.lead:
        parts.append(escape(result.lead))
    sources = {s.n: s for s in result.sources}
    if result.documents:
        parts.append(f"{escape(words.documents_lead)} " + "; ".join(
            f"{escape(document_label(sources[n]))} {_mark_link(n, turn)}" for n in result.documents) + ".")
    if result.synthesis:
        parts.append(" ".join(f"{escape(s.text.rstrip())} {_mark_link(s.source, turn)}" for s in result.synthesis))
    parts += [_group_markdown(group, sources, turn, result.language) for group in result.evidence]
    if badge and not result.refused:
        parts.append(f"*{badge}*")
    if result.unsupported:
        parts.append(f"{escape(words.removed)}\n" + "\n".join(f"- ✗ ~~{escape(s)}~~"
                                                                          for s in result.unsupported))
    if result.notice:
        parts.append(f"⚠ {escape(result.notice)}")
    if result.other_reading:
        parts.append(f"*{escape(words.other_reading.format(question=result.other_reading))}*")
    return "\n\n".join(parts)


def draft_markdown(draft: str) -> str:
    return f"*Drafting — every sentence is checked against the sources before it is shown…*\n\n{escape(draft)}"


def pending_markdown(quotes: AnswerResult, turn: int, draft: str) -> str:
    """The cited quotes as soon as they are found, the model's summary being written under them."""
    return f"{answer_markdown(quotes, turn, final=False)}\n\n---\n\n{draft_markdown(draft)}"


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _safe_url(url: str) -> str:
    return url if re.match(r"^https?://[^\s<>\"'`)]+$", url or "") else ""


def highlighted_passage(source: Source) -> str:
    """The passage with its quote marked at the quote's span; the quote above the passage when it has none."""
    if not source.quote.strip():
        return _h(source.text)
    if source.quote_span is None:
        return f"<mark>{_h(source.quote)}</mark><br>{_h(source.text)}"
    start, end = source.quote_span
    text = source.text
    return f"{_h(text[:start])}<mark>{_h(text[start:end])}</mark>{_h(text[end:])}"


def source_card(source: Source, anchor: str, cited: bool) -> str:
    link = _safe_url(source.url)
    title = _h(source.title)
    title = f'<a href="{_h(link)}" target="_blank" rel="noopener noreferrer">{title}</a>' if link else title
    meta = " · ".join(_h(x) for x in (source.issuer, source.date, source.country, source.language,
                                       page_label(source)) if x)
    heading = f'<div class="govrag-heading">{_h(source.heading)}</div>' if source.heading else ""
    badge = '<span class="govrag-cited">✓ cited</span>' if cited else ""
    return (f'<article class="govrag-source{" cited" if cited else ""}" id="{anchor}" data-n="{source.n}">'
            f'<header><b>[{source.n}]</b> {title} {badge}</header>'
            f'<div class="govrag-meta">{meta} · score {source.score:.2f}</div>{heading}'
            f'<p class="govrag-passage">{highlighted_passage(source)}</p></article>')


def turn_section(turn: int, result_question: str, sources: list[Source], cited: set[int]) -> str:
    cards = "".join(source_card(s, source_anchor(turn, s.n), s.n in cited) for s in sources)
    return (f'<section class="govrag-turn" data-turn="{turn}"><h4>Sources for “{_h(result_question)}”</h4>'
            f'{cards or "<p><i>No sources retrieved.</i></p>"}</section>')


def sources_html(sections: list[str]) -> str:
    """Every turn's sources, newest shown; clicking an older answer's [n] shows that turn (ui/static)."""
    if not sections:
        return '<div class="govrag-sources"><p><i>Sources appear here, with the quoted words marked.</i></p></div>'
    shown = sections[-1].replace('class="govrag-turn"', 'class="govrag-turn current"', 1)
    return f'<div class="govrag-sources">{"".join(sections[:-1])}{shown}</div>'


def related_html(origin: Source, related: list[Source]) -> str:
    cards = "".join(source_card(s, f"govrag-related-{s.n}", False) for s in related)
    return (f'<div class="govrag-related"><h4>Principles related to “{_h(origin.heading or origin.title)}” '
            f'({_h(origin.title)})</h4>{cards or "<p><i>No related principles found.</i></p>"}</div>')


def document_html(document: IndexedDocument | None) -> str:
    """One indexed document for the Library tab: its provenance, then every principle in order with its page."""
    if document is None:
        return "<p><i>Pick a document in the table (or the list above it) to read its principles.</i></p>"
    facts = [("Issuer", document.issuer), ("Date", document.date), ("Country", document.country),
             ("Region", document.region), ("Institution", document.institution_type),
             ("Languages", ", ".join(document.languages)), ("Pages", str(document.pages or "")),
             ("File", document.source_file.replace("\\", "/").rsplit("/", 1)[-1])]
    link = _safe_url(document.url)
    title = f'<a href="{_h(link)}" target="_blank" rel="noopener noreferrer">{_h(document.title)}</a>' if link \
        else _h(document.title)
    principles = "".join(
        f'<section class="govrag-principle"><h5>{_h(p.heading or "(untitled)")}'
        f'{f" <span class=govrag-page>p. {p.page}</span>" if p.page else ""}</h5>'
        f'<p class="govrag-passage">{_h(p.text)}</p></section>' for p in document.passages)
    return (f'<article class="govrag-document" data-doc="{_h(document.doc_id)}"><h4>{title}</h4>'
            f'<div class="govrag-meta">{" · ".join(f"{k}: {_h(v)}" for k, v in facts if v)}</div>'
            f'{principles or "<p><i>No principles.</i></p>"}</article>')
