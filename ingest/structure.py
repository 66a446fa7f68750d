"""Principle-aware splitting of a real document: its blocks (ingest/readers.py) become sections, one per article,
principle or numbered section, each under its heading chain ("Chapter II › Article 5 Transparency") and with the
pages it spans, so that a node never spans two principles and a citation can name its page.

Headings come from the format (DOCX heading styles, HTML h1-h6) and from the one family of textual heading forms
the document uses most — "Article N", "Principle N", 第N条, numbered sections — the idea of RAGFlow's
`bullets_category`/`tree_merge`, written anew with the guards its users asked for: a heading stays with its body
(a heading with no body of its own only heads the sections under it), a cross-reference that opens a line
("Article 5 of the Regulation …") is not a heading, and a numbered paragraph keeps its sentence as body.
Long sections are cut within themselves later, by the chunker (ingest/chunking.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.readers import Block

_CN_NUMBER = "[一二三四五六七八九十百千零〇两\\d]+"
_ROMAN = "[IVXLC]{1,7}"
#: Heading families: (pattern, level). A family's levels nest: Chapter (1) › Section (2) › Article (3).
FAMILIES: dict[str, list[tuple[re.Pattern[str], int]]] = {
    "article": [(re.compile(rf"^(chapter|part|title)\s+(\d+|{_ROMAN})\b", re.IGNORECASE), 1),
                (re.compile(rf"^section\s+(\d+|{_ROMAN})\b", re.IGNORECASE), 2),
                (re.compile(rf"^(article|art\.)\s*(\d+[a-z]?|{_ROMAN})\b", re.IGNORECASE), 3)],
    "principle": [(re.compile(rf"^(chapter|part)\s+(\d+|{_ROMAN})\b", re.IGNORECASE), 1),
                  (re.compile(rf"^principle\s+(\d+|{_ROMAN}|[A-Z])\b", re.IGNORECASE), 2)],
    "chinese": [(re.compile(f"^第{_CN_NUMBER}[编章]"), 1), (re.compile(f"^第{_CN_NUMBER}节"), 2),
                (re.compile(f"^第{_CN_NUMBER}条"), 3), (re.compile("^[一二三四五六七八九十]+、"), 3)],
    "numbered": [(re.compile(rf"^{_ROMAN}\.(?=\s)"), 1),
                 (re.compile(r"^\d{1,2}(\.\d{1,2}){0,3}[.)]?(?=\s)"), 2)],
}
#: After a marker, a heading goes on with a capital, a digit, punctuation or CJK; a lower-case word means the
#: line is a sentence that merely starts with a reference ("Article 5 of the Regulation applies …").
_HEADING_GOES_ON = re.compile(r"^($|[\s.:–—-]*[A-Z0-9(\"'“‘\u4e00-\u9fff])")
#: A heading's own title is short and is not a sentence.
MAX_TITLE_WORDS = 14
_SENTENCE_END = re.compile(r"[.;,。；，]$")
#: A Chinese heading's title is short in characters.
MAX_TITLE_CJK_CHARS = 24
_LIST_ITEM = re.compile(r"^([•●▪◦‣·*–-]|\(?[a-z]\)|\(?[ivx]{1,4}\)|\(\d{1,2}\))\s")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: Levels of detected headings sit under every heading the format marks (DOCX/HTML levels 1-6).
_DETECTED = 10


@dataclass(frozen=True)
class Section:
    heading: str  # the heading chain, outermost first, joined by " › "; "" for text before any heading
    text: str
    #: (offset in text, page) where each page of the section begins; () where the format has no pages.
    pages: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str
    body: str = ""  # what follows the marker when the line is a numbered paragraph, not a title


def heading_family(blocks: list[Block]) -> str | None:
    """The family whose forms start the most body lines (at least two), as RAGFlow picks its bullet category."""
    counts = {name: sum(1 for h in _detected(blocks, name) if h) for name in FAMILIES}
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] >= 2 else None


#: A line of a table of contents: dot leaders and a page number.
_CONTENTS_LINE = re.compile(r"(\.\s?|…|·\s?){4,}\s*\d{1,4}$")
#: A PDF line that ends like this ends its paragraph, so the next line may be a heading.
_PARAGRAPH_END = re.compile(r"[.:;!?。：；！？)\]\"”]$")


def _detected(blocks: list[Block], family: str | None) -> list[_Heading | None]:
    """Each block's detected heading of `family`, or None. Contents lines ("Article 1 Scope ..... 2") are not
    headings. A numbered PDF line (wrapped) is one only where the line before it ended a paragraph, was a
    heading or was on another page: a line that wraps a sentence may start "20 Member States …"."""
    found: list[_Heading | None] = []
    for i, block in enumerate(blocks):
        heading = None
        if family and not block.level and not _CONTENTS_LINE.search(block.text):
            previous = blocks[i - 1] if i else None
            free = (family != "numbered" or not block.wrapped or previous is None or previous.page != block.page
                    or previous.level > 0 or found[-1] is not None or _PARAGRAPH_END.search(previous.text))
            heading = _match(family, block.text) if free else None
        found.append(heading)
    return found


def _match(family: str, text: str) -> _Heading | None:
    for pattern, level in FAMILIES[family]:
        found = pattern.match(text)
        if not found:
            continue
        rest = text[found.end():]
        if not _HEADING_GOES_ON.match(rest):
            return None
        if family == "numbered":
            level = level + found.group(0).rstrip(".)").count(".")
        if not _is_title(rest.strip(" :–—-"), allow_empty=True):
            # a numbered paragraph: the marker heads it, its sentence is body
            return _Heading(_DETECTED + level, found.group(0).strip().rstrip(":"), rest.strip(" :–—-"))
        return _Heading(_DETECTED + level, text)
    return None


def split_sections(blocks: list[Block], max_heading_chars: int = 100) -> list[Section]:
    """Sections of body text under their heading chains, in document order."""
    family = heading_family(blocks)
    chain: list[tuple[int, str]] = []
    sections: list[Section] = []
    body: list[Block] = []

    def flush() -> None:
        if body:
            text, pages = _join(body)
            if text.strip():
                sections.append(Section(" › ".join(t for _, t in chain), text, pages))
            body.clear()

    pending_title = False  # a bare "Article 5" line: a short line right after it is its title
    for block, detected in zip(blocks, _detected(blocks, family)):
        heading = _Heading(block.level, block.text) if block.level > 0 else detected
        if heading is None:
            if pending_title and _is_title(block.text):
                level, text = chain[-1]
                chain[-1] = (level, f"{text} {block.text}"[:max_heading_chars])
                pending_title = False
                continue
            pending_title = False
            body.append(block)
            continue
        flush()
        while chain and chain[-1][0] >= heading.level:
            chain.pop()
        chain.append((heading.level, heading.text[:max_heading_chars]))
        pending_title = family == "article" and not heading.body and heading.text == _marker_only(heading.text)
        if heading.body:
            body.append(Block(heading.body, block.page, wrapped=block.wrapped))
    flush()
    return sections


def _marker_only(text: str) -> str:
    found = re.match(rf"^(article|art\.|chapter|part|title|section)\s*(\d+[a-z]?|{_ROMAN})\.?$", text, re.IGNORECASE)
    return found.group(0) if found else ""


def _is_title(text: str, allow_empty: bool = False) -> bool:
    """Short, and not a sentence: a heading's own words."""
    if not text:
        return allow_empty
    short = len(text.split()) <= MAX_TITLE_WORDS and len(_CJK.findall(text)) <= MAX_TITLE_CJK_CHARS
    return short and not _SENTENCE_END.search(text) and (text[0].isupper() or bool(_CJK.match(text)) or allow_empty)


def _join(blocks: list[Block]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Body blocks as one text: PDF lines rejoined into paragraphs (a hyphen that broke a word removed, Chinese
    lines joined without a space), list items and paragraphs on lines of their own; with where each page starts."""
    text = ""
    pages: list[tuple[int, int]] = []
    for block in blocks:
        part = block.text
        if text:
            if not block.wrapped or _LIST_ITEM.match(part):
                separator = "\n"
            elif re.search(r"[a-z]-$", text) and part[:1].islower():
                text, separator = text[:-1], ""
            elif _CJK.match(text[-1]) and _CJK.match(part[0]):
                separator = ""
            else:
                separator = " "
            text += separator
        if block.page and (not pages or pages[-1][1] != block.page):
            pages.append((len(text), block.page))
        text += part
    return text, tuple(pages)


def page_at(pages: tuple[tuple[int, int], ...] | list, offset: int) -> int:
    """The page holding character `offset` of a section (0 when the section has no pages)."""
    page = 0
    for start, number in pages:
        if start > offset:
            break
        page = number
    return page
