"""A real document file (PDF, DOCX, HTML, plain text) → one raw record: its principles from the structure of
the text, its provenance from the file's properties, overridden by a sidecar `FILE.meta.toml`, overridden by
the flags of `govrag ingest` (`--title --issuer --date --country --url --language`)."""
from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

from ingest.config import ReaderLimits
from ingest.readers import Block, Extracted, read_document
from ingest.records import RecordError
from ingest.structure import split_sections

#: Provenance a sidecar or a flag may set.
META_KEYS = ("doc_id", "title", "issuer", "date", "country", "region", "institution_type", "url", "language",
             "original_title", "abstract")
SIDECAR_SUFFIX = ".meta.toml"
_CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_TITLE_WORDS = 20


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, str]:
    """`decl.pdf.meta.toml` beside `decl.pdf`: provenance the file itself lacks or gets wrong."""
    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        return {}
    try:
        data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RecordError(str(sidecar), None, f"invalid TOML ({exc}); write key = \"value\" lines") from None
    unknown = sorted(set(data) - set(META_KEYS))
    if unknown:
        raise RecordError(str(sidecar), None, f"unknown key(s) {', '.join(unknown)}; use {', '.join(META_KEYS)}")
    return {k: v.isoformat() if hasattr(v, "isoformat") else str(v) for k, v in data.items()}


def text_blocks(text: str) -> list[Block]:
    """A plain-text file's paragraphs (blank-line separated; lines within one rejoined like a PDF's)."""
    return [Block(line.strip(), wrapped=i > 0) for paragraph in re.split(r"\n\s*\n", text)
            for i, line in enumerate(paragraph.strip().splitlines()) if line.strip()]


def document_record(path: Path, extracted: Extracted, overrides: dict[str, str], fallback_title: str) -> dict:
    """The raw record of one document file (validated by records.record_from_dict)."""
    sections = split_sections(extracted.blocks)
    if not sections:
        raise RecordError(str(path), None, "no text found in the document")
    meta = {**extracted.meta, **read_sidecar(path), **{k: v for k, v in overrides.items() if v}}
    body = " ".join(s.text for s in sections)
    language = meta.get("language") or ("zh" if len(_CJK.findall(body)) > 0.3 * len(body.replace(" ", "")) else "en")
    return {**meta, "title": meta.get("title") or fallback_title, "language": language,
            "content_sha": hashlib.sha256(body.encode()).hexdigest(),
            "principles": [{"heading": s.heading, "text": s.text, "pages": [list(p) for p in s.pages]}
                           for s in sections]}


def file_title(path: Path) -> str:
    """A title from a file's name ("open_letter-on-ai.txt" → "open letter on ai"), when nothing better is known."""
    return re.sub(r"[_-]+", " ", path.stem).strip()


def first_title(extracted: Extracted, path: Path) -> str:
    """The title a file without one in its properties shows: its first top heading or opening line when that
    is short and not a sentence, else its file name."""
    for block in extracted.blocks[:5]:
        if block.level == 1 or (block.page == 1 and block is extracted.blocks[0]):
            words = block.text.split()
            if 1 < len(words) <= MAX_TITLE_WORDS and not block.text.endswith((".", ";", ",")):
                return block.text
    return file_title(path)


def load_document_file(path: Path, kind: str, limits: ReaderLimits, overrides: dict[str, str]) -> dict:
    extracted = read_document(path, kind, limits)
    return document_record(path, extracted, overrides, first_title(extracted, path))
