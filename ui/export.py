"""An answer as a Markdown document with its reference list: what an analyst pastes into a brief."""
from __future__ import annotations

import re
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

from rag.answer_text import answer_text
from rag.types import AnswerResult
from rag.wording import wording



def answer_to_markdown(result: AnswerResult, now: datetime | None = None) -> str:
    """Question, answer (its plain-text rendering), verdict and one reference per cited source (title, issuer,
    date, link, quote). The answer's [n] marks are the references' keys."""
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# govrag answer", "", f"**Question:** {result.asked or result.question}"]
    if result.asked:
        lines.append(f"**Read as:** {result.question}")
    if result.searched_as:
        lines.append(f"**{result.searched_as}**")
    verdict = wording(result.language).verdict_words.get(result.verdict, result.verdict)
    lines += ["", answer_text(result), "", f"**Verdict:** {verdict}"]
    if result.unsupported:
        lines += ["", "Removed as unsupported:"] + [f"- {s}" for s in result.unsupported]
    if result.notice:
        lines += ["", f"**Notice:** {result.notice}"]
    if result.citations:
        lines += ["", "## References", ""]
        for c in result.citations:
            details = ", ".join(x for x in (c.issuer, c.date, f"p. {c.page}" if c.page else "") if x)
            lines.append(f"[{c.n}] {c.title}" + (f". {details}" if details else "") + "."
                         + (f" <{c.url}>" if c.url else ""))
            lines.append(f"    Quote: “{c.quote}”")
    lines += ["", "---", f"Exported from govrag on {stamp}. Quotes are verbatim from the indexed documents."]
    return "\n".join(lines) + "\n"


def export_file(result: AnswerResult, folder: Path, turn: int) -> Path:
    """Write the answer's Markdown into `folder` under a name taken from its question."""
    slug = re.sub(r"[^a-z0-9]+", "-", (result.asked or result.question).lower()).strip("-")[:48] or "answer"
    path = folder / f"govrag-{turn:03d}-{slug}.md"
    path.write_text(answer_to_markdown(result), encoding="utf-8")
    return path


#: How long an export stays on disk: Gradio serves its own copy and deletes that after an hour too.
KEEP_EXPORTS_S = 3600


def prune_exports(folder: Path, keep_s: float = KEEP_EXPORTS_S) -> int:
    """Remove export folders older than `keep_s` (each export has its own folder); returns how many. Without
    this, a server that runs for weeks keeps every answer anyone exported."""
    cutoff = time.time() - keep_s
    removed = 0
    for entry in folder.iterdir():
        if entry.is_dir() and entry.stat().st_mtime < cutoff:
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed
