"""Markdown for the chat and the sources panel. Corpus text is escaped: a document is data, never markup."""
from __future__ import annotations

import html
import re

from rag.types import AnswerResult, Source

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")


def escape(text: str) -> str:
    """Show corpus text literally: HTML and Markdown syntax in a document render as text."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _safe_url(url: str) -> str:
    return url if re.match(r"^https?://[^\s<>\"')]+$", url or "") else ""


def source_card(source: Source, cited: bool) -> str:
    meta = " · ".join(escape(x) for x in (source.issuer, source.date, source.country) if x)
    title = escape(source.title)
    link = _safe_url(source.url)
    head = f"**[{source.n}] {f'[{title}]({link})' if link else title}**" + (" ✓ cited" if cited else "")
    heading = f"*{escape(source.heading)}*  \n" if source.heading else ""
    quote = escape(source.quote or source.text)
    return f"{head}  \n{meta} · score {source.score:.2f}  \n{heading}> {quote}"


def sources_panel(sources: list[Source], cited: set[int] | None = None) -> str:
    if not sources:
        return "*No sources retrieved.*"
    cited = cited or set()
    return "### Sources\n\n" + "\n\n".join(source_card(s, s.n in cited) for s in sources)


VERDICTS = {"supported": "✅ Every sentence is supported by a cited source.",
            "partly_supported": "⚠️ Partly supported: {n} sentence(s) the model wrote were removed because no "
                                "source supports them.",
            "refused": "⛔ Not covered by the corpus."}


def answer_markdown(result: AnswerResult) -> str:
    """The verified answer and its verdict. Its text quotes corpus sentences, so it is escaped too; [n] marks
    stay readable."""
    badge = VERDICTS.get(result.verdict, "").format(n=len(result.unsupported))
    if result.refused:
        return f"**{badge}** {escape(result.answer)}"
    body = escape(result.answer).replace("\\[", "[").replace("\\]", "]")
    return f"{body}\n\n*{badge}*"


def draft_markdown(draft: str) -> str:
    return f"*Drafting — every sentence is checked against the sources before it is shown…*\n\n{escape(draft)}"
