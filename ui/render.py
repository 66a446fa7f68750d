"""Markdown for the chat and HTML for the sources panel, built from the answer API's results.

Corpus text is data, never markup: everything from a document is escaped, so a document containing HTML or
`<script>` shows as text. Only the citation marks govrag itself wrote become links ([n] → its source card)."""
from __future__ import annotations

import html
import re

from rag.answer import EVIDENCE_HEADING
from rag.types import AnswerResult, Source

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")
_LIST_MARK = re.compile(r"^- \[(\d+)\] ")
_ESCAPED_MARK = re.compile(r"\\\[(\d+)\\\]")

VERDICTS = {"supported": "✓ Supported: every sentence is quoted from, or checked against, a cited source.",
            "partly_supported": "⚠ Partly supported: {n} sentence(s) the model wrote were removed because no "
                                "source supports them.",
            "refused": "✗ Not covered by the corpus."}


def escape(text: str) -> str:
    """Show corpus text literally in Markdown: HTML and Markdown syntax render as text."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def source_anchor(turn: int, n: int) -> str:
    return f"govrag-src-{turn}-{n}"


def _mark_link(n: str, turn: int) -> str:
    return f"[\\[{n}\\]](#{source_anchor(turn, int(n))})"


def _linked(answer: str, turn: int) -> str:
    """Escape the answer and link the marks govrag wrote: the mark opening each evidence line, and the marks
    ending the synthesis sentences above the evidence heading. A mark inside a quote is corpus text and
    stays plain."""
    lines, before_evidence = [], True
    for line in answer.splitlines():
        before_evidence = before_evidence and line.strip() != EVIDENCE_HEADING
        mark = _LIST_MARK.match(line)
        if mark:
            lines.append(f"- {_mark_link(mark.group(1), turn)} {escape(line[mark.end():])}")
        elif before_evidence:
            lines.append(_ESCAPED_MARK.sub(lambda m: _mark_link(m.group(1), turn), escape(line)))
        else:
            lines.append(escape(line))
    return "\n".join(lines)


def answer_markdown(result: AnswerResult, turn: int) -> str:
    """The verified answer of chat turn `turn`: what was searched for (a follow-up), the answer with linked
    marks, the verdict, the model sentences removed as unsupported (struck through) and any notice."""
    parts = [f"*Follow-up read as: “{escape(result.question)}”*"] if result.asked else []
    badge = VERDICTS.get(result.verdict, "").format(n=len(result.unsupported))
    if result.refused:
        return "\n\n".join(parts + [f"**{badge}** {escape(result.answer)}"])
    parts += [_linked(result.answer, turn), f"*{badge}*"]
    if result.unsupported:
        parts.append("Removed, no source supports them:\n" + "\n".join(f"- ✗ ~~{escape(s)}~~"
                                                                          for s in result.unsupported))
    if result.notice:
        parts.append(f"⚠ {escape(result.notice)}")
    return "\n\n".join(parts)


def draft_markdown(draft: str) -> str:
    return f"*Drafting — every sentence is checked against the sources before it is shown…*\n\n{escape(draft)}"


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _safe_url(url: str) -> str:
    return url if re.match(r"^https?://[^\s<>\"'`)]+$", url or "") else ""


def highlighted_passage(source: Source) -> str:
    """The passage with its quote marked; the quote alone when it cannot be found in the passage."""
    quote = source.quote.strip()
    if not quote:
        return _h(source.text)
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    found = re.search(pattern, source.text)
    if not found:
        return f"<mark>{_h(quote)}</mark><br>{_h(source.text)}"
    text = source.text
    return f"{_h(text[:found.start()])}<mark>{_h(found.group(0))}</mark>{_h(text[found.end():])}"


def source_card(source: Source, anchor: str, cited: bool) -> str:
    link = _safe_url(source.url)
    title = _h(source.title)
    title = f'<a href="{_h(link)}" target="_blank" rel="noopener noreferrer">{title}</a>' if link else title
    meta = " · ".join(_h(x) for x in (source.issuer, source.date, source.country, source.language) if x)
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
