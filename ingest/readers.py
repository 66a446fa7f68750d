"""Text out of real documents as blocks (a line or paragraph, its page, its heading level when the format marks
one) plus the file's own metadata: PDF through pypdf (BSD-3; the library LlamaIndex's PDFReader wraps), DOCX
through python-docx (MIT; reads heading styles, which docx2txt — LlamaIndex's DocxReader — drops), HTML through
BeautifulSoup (MIT; LlamaIndex's HTMLTagReader wraps it) with Python's own parser.

Every file that cannot be read raises RecordError saying what is wrong and what to do; nothing here executes or
keeps a script, and limits (ReaderLimits) are checked before a file is parsed.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ingest.config import ReaderLimits
from ingest.records import RecordError

#: Document file types read here (plain text and Markdown stay with ingest/loaders.py).
DOCUMENT_SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".docx": "docx"}
#: A PDF whose pages hold fewer extracted characters than this, on average, has no text layer to speak of.
MIN_CHARS_PER_PAGE = 20
#: Property values that name a tool or a template, not the document.
_JUNK_TITLE = re.compile(r"^(untitled|document\d*|microsoft word\b.*|.*\.(docx?|pdf|rtf|odt|html?))$", re.IGNORECASE)
#: Typographic ligatures a PDF's fonts turn "fi", "fl", … into (NFKC would also fold Chinese punctuation), and
#: the private-use code points Adobe's and Apple's standard encodings give fi and fl (seen from Chromium's PDFs).
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st", "\uf001": "fi", "\uf002": "fl"})
_PAGE_NUMBER = re.compile(r"^(page\s*)?[-–—(]?\s*\d{1,4}\s*[-–—)]?(\s*(of|/)\s*\d{1,4})?$", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    """A line (PDF) or paragraph (DOCX, HTML) of body text or a heading the format itself marks."""
    text: str
    page: int = 0  # 1-based page in a PDF; 0 where the format has no pages
    level: int = 0  # heading level from DOCX styles or HTML h1-h6; 0 for body text (or a heading left to detect)
    wrapped: bool = False  # a PDF line: it continues the previous line unless it starts something new


@dataclass
class Extracted:
    blocks: list[Block]
    #: title, issuer, language from the file's properties; date only where the file states a publication date
    #: (HTML meta), never a file's creation time
    meta: dict[str, str] = field(default_factory=dict)
    pages: int = 0


def check_size(path: Path, limits: ReaderLimits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_mb * 1e6:
        raise RecordError(str(path), None, f"is {size / 1e6:.0f} MB, over the {limits.max_file_mb:g} MB limit for one "
                          "file; split it, or raise the limit with GOVRAG_MAX_FILE_MB")


def read_document(path: Path, kind: str, limits: ReaderLimits) -> Extracted:
    return {"pdf": read_pdf, "docx": read_docx, "html": read_html}[kind](path, limits)


def _date(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    match = re.match(r"^\s*(\d{4})(-\d{2}(-\d{2})?)?", str(value or ""))
    return match.group(0).strip() if match else ""


def _clean_meta(meta: dict[str, object]) -> dict[str, str]:
    out = {k: (_date(v) if k == "date" else " ".join(str(v).split())) for k, v in meta.items() if v}
    if _JUNK_TITLE.match(out.get("title", "")):
        out.pop("title")
    if "language" in out:
        out["language"] = out["language"].split("-")[0].split("_")[0].lower()
    return {k: v for k, v in out.items() if v}


def read_text(path: Path) -> str:
    """A UTF-8 text file's text (corpus JSON Lines, Markdown, text, HTML); a binary or non-UTF-8 file is refused
    with what to do."""
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise RecordError(str(path), None, "looks like a binary file, not text; corpus files must be UTF-8 "
                          ".jsonl, .md or .txt")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordError(str(path), data[: exc.start].count(b"\n") + 1,
                          f"not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8, e.g. "
                          f"`iconv -f GBK -t UTF-8 {path.name}`") from None


# --- PDF ---------------------------------------------------------------------------------------------------

def read_pdf(path: Path, limits: ReaderLimits) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):  # an owner password only: opens with the empty one
            raise RecordError(str(path), None, "encrypted PDF: it needs a password to open; save a copy without "
                              "one (e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`) and ingest that")
        count = len(reader.pages)
    except RecordError:
        raise
    except DependencyError as exc:
        raise RecordError(str(path), None, f"encrypted PDF that cannot be opened here ({exc})") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise RecordError(str(path), None, f"not a readable PDF ({type(exc).__name__}: {str(exc)[:120]}); the "
                          "file is damaged or not a PDF: open it in a PDF viewer, or export it again") from None
    if count > limits.max_pages:
        raise RecordError(str(path), None, f"has {count} pages, over the {limits.max_pages} page limit; split it, "
                          "or raise the limit with GOVRAG_MAX_PAGES")
    pages: list[list[str]] = []
    for number, page in enumerate(reader.pages, 1):
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a damaged page stream
            raise RecordError(str(path), None, f"page {number} cannot be read ({type(exc).__name__}: "
                              f"{str(exc)[:120]}); the file is damaged: export it again") from None
        pages.append([" ".join(line.split()) for line in text.translate(_LIGATURES).splitlines()])
    if sum(len(line) for lines in pages for line in lines) < MIN_CHARS_PER_PAGE * max(count, 1):
        raise RecordError(str(path), None, f"no text layer ({count} pages, next to no text): a scan or images of "
                          "text; run OCR first (e.g. `ocrmypdf in.pdf out.pdf`) and ingest the result")
    info = reader.metadata or {}
    # No date from /CreationDate: that is when the file was made (printed, converted), not when the document
    # was issued; a wrong date on a citation is worse than none (--date or the sidecar gives it).
    meta = _clean_meta({"title": info.get("/Title"), "issuer": info.get("/Author"),
                        "language": _catalog_language(reader)})
    repeated = _running_lines(pages)
    blocks = [Block(line, page=number, wrapped=True)
              for number, lines in enumerate(pages, 1) for line in lines
              if line and line not in repeated and not _PAGE_NUMBER.match(line)]
    return Extracted(blocks, meta, count)


def _catalog_language(reader) -> str:  # noqa: ANN001
    try:
        return str(reader.trailer["/Root"].get("/Lang", "") or "")
    except Exception:  # noqa: BLE001 - an odd catalog only costs the language hint
        return ""


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Headers and footers: a line among the first or last two of a page that recurs on at least half of the
    pages (three or more), digits aside ("Page 3 of 9")."""
    if len(pages) < 3:
        return set()

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line)
    counts: dict[str, int] = {}
    for lines in pages:
        for edge in {key(line) for line in lines[:2] + lines[-2:] if line}:
            counts[edge] = counts.get(edge, 0) + 1
    running = {k for k, n in counts.items() if n >= max(3, len(pages) / 2)}
    return {line for lines in pages for line in lines[:2] + lines[-2:] if key(line) in running}


# --- DOCX --------------------------------------------------------------------------------------------------

def read_docx(path: Path, limits: ReaderLimits) -> Extracted:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError) as exc:
        raise RecordError(str(path), None, f"not a readable DOCX ({exc}); the file is damaged or another format: "
                          "open it in a word processor and save it as .docx again") from None
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_mb * 1e6:  # read the zip's directory, never the bomb itself
        raise RecordError(str(path), None, f"unpacks to {unpacked / 1e6:.0f} MB, over the "
                          f"{limits.max_unpacked_mb:g} MB limit (a zip bomb, or a document of mostly images); "
                          "not read. Raise GOVRAG_MAX_UNPACKED_MB if the file is genuine")
    if "word/document.xml" not in names:
        raise RecordError(str(path), None, "a zip archive but not a Word document (no word/document.xml); "
                          "save it from a word processor as .docx")
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx and lxml raise many kinds on damaged XML
        raise RecordError(str(path), None, f"not a readable DOCX ({type(exc).__name__}: {str(exc)[:120]}); "
                          "save it from a word processor as .docx again") from None
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = " ".join(item.text.split())
            if text:
                blocks.append(Block(text, level=_style_level(item.style.name if item.style else "")))
        elif isinstance(item, Table):
            for row in item.rows:
                cells = [" ".join(cell.text.split()) for cell in row.cells]
                text = " | ".join(dict.fromkeys(c for c in cells if c))  # merged cells repeat their text
                if text:
                    blocks.append(Block(text))
    core = document.core_properties
    meta = {"title": core.title, "issuer": core.author, "language": core.language}  # no date: see read_pdf
    title = next((b.text for b in blocks if b.level == -1), "")
    blocks = [b for b in blocks if b.level != -1]
    return Extracted(blocks, _clean_meta({**meta, "title": meta["title"] or title}))


def _style_level(style: str) -> int:
    """'Heading 2' → 2; 'Title' → -1 (the document's title, not a section)."""
    if style == "Title":
        return -1
    match = re.match(r"^Heading (\d)$", style)
    return int(match.group(1)) if match else 0


# --- HTML --------------------------------------------------------------------------------------------------

#: Elements whose content is never text of the document (scripts and styles are dropped, never run).
_NOT_TEXT = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head",
             "nav", "footer", "form", "button"]
_BLOCK_TAGS = ["p", "div", "li", "ul", "ol", "br", "tr", "table", "section", "article", "blockquote", "pre", "dt",
               "dd", "main", "header", "aside", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6"]
_HEADING_MARK = "\x01"


def read_html(path: Path, limits: ReaderLimits) -> Extracted:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(read_text(path), "html.parser")
    meta = {"title": _meta(soup, "og:title", "dc.title", "citation_title")
            or (soup.title.get_text(" ", strip=True) if soup.title else ""),
            "issuer": _meta(soup, "author", "dc.creator", "citation_author", "og:site_name"),
            "date": _meta(soup, "dc.date", "date", "citation_publication_date", "article:published_time"),
            "language": soup.html.get("lang", "") if soup.html else ""}
    for tag in soup(_NOT_TEXT):
        tag.decompose()
    for tag in soup(_BLOCK_TAGS):
        level = int(tag.name[1]) if re.fullmatch(r"h\d", tag.name) else 0
        tag.insert_before(f"\n{_HEADING_MARK}{level}" if level else "\n")
        tag.insert_after("\n")
    blocks = []
    for line in soup.get_text().split("\n"):
        level = 0
        if line.startswith(_HEADING_MARK) and line[1:2].isdigit():
            level, line = int(line[1]), line[2:]
        text = " ".join(line.split())
        if text:
            blocks.append(Block(text, level=level))
    if not blocks:
        raise RecordError(str(path), None, "no text in this HTML page (only scripts, styles or markup); save the "
                          "page's text, or the rendered page as PDF, and ingest that")
    return Extracted(blocks, _clean_meta(meta))


def _meta(soup, *names: str) -> str:  # noqa: ANN001
    for name in names:
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        if tag and tag.get("content"):
            return str(tag["content"])
    return ""
