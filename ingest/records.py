"""The document record every loader produces: one document with provenance and its principles."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

LANGUAGES = {"en", "zh", "fr", "de", "es", "pt", "ja", "ko", "it", "nl", "ru", "ar"}
_DATE = re.compile(r"^(\d{4})(-\d{2}(-\d{2})?)?$")


class RecordError(ValueError):
    """A record that cannot be ingested; carries where it came from so the user can fix it."""

    def __init__(self, source: str, line: int | None, message: str):
        self.source, self.line, self.message = source, line, message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Principle:
    heading: str
    text: str
    language: str
    #: (offset in text, page) where each of its pages begins, for documents read from paged files (PDF).
    pages: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class DocumentRecord:
    doc_id: str
    title: str
    issuer: str
    date: str  # ISO: YYYY, YYYY-MM or YYYY-MM-DD; "" when unknown
    language: str
    principles: tuple[Principle, ...]
    country: str = ""
    region: str = ""
    institution_type: str = ""
    url: str = ""
    abstract: str = ""
    original_title: str = ""
    source_file: str = ""
    source_line: int = 0
    #: Hash of a document file's text, to refuse the same content under a second name (ingest/pipeline.py).
    content_sha: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    def content_hash(self) -> str:
        """Hash of everything that ends up in the index (not where the record was read from)."""
        data = asdict(self)
        data.pop("source_line")
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return slug[:80] or hashlib.sha1(text.encode()).hexdigest()[:12]


def _text(data: dict[str, Any], key: str, source: str, line: int | None) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise RecordError(source, line, f"field '{key}' must be a string, got {type(value).__name__}")
    return value.strip()


def _pages(value: Any, source: str, line: int | None, number: int) -> tuple[tuple[int, int], ...]:
    if not value:
        return ()
    if not (isinstance(value, list) and all(isinstance(p, (list, tuple)) and len(p) == 2
                                            and all(isinstance(x, int) for x in p) for p in value)):
        raise RecordError(source, line, f"principle #{number}: 'pages' must be a list of [offset, page] pairs")
    return tuple((int(offset), int(page)) for offset, page in value)


def record_from_dict(data: Any, source: str, line: int | None = None) -> DocumentRecord:
    """Validate one raw record (from JSON, front matter, …); raise RecordError saying what to fix."""
    if not isinstance(data, dict):
        raise RecordError(source, line, f"expected a JSON object, got {type(data).__name__}")
    title = _text(data, "title", source, line)
    if not title:
        raise RecordError(source, line, "missing required field 'title'")
    date = _text(data, "date", source, line) or _text(data, "year", source, line)
    if date and not _DATE.match(date):
        raise RecordError(source, line, f"field 'date' must be YYYY, YYYY-MM or YYYY-MM-DD, got {date!r}")
    language = (_text(data, "language", source, line) or "en").lower()
    raw_principles = data.get("principles")
    if raw_principles is None and _text(data, "text", source, line):
        raw_principles = [{"heading": "", "text": data["text"]}]
    if not isinstance(raw_principles, list) or not raw_principles:
        raise RecordError(source, line, "field 'principles' must be a non-empty list of {heading, text} objects "
                          "(or give a single 'text' field)")
    principles = []
    for i, item in enumerate(raw_principles, 1):
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict):
            raise RecordError(source, line, f"principle #{i} must be an object with 'heading' and 'text'")
        text = _text(item, "text", source, line)
        if not text:
            raise RecordError(source, line, f"principle #{i} has no 'text'")
        principles.append(Principle(heading=_text(item, "heading", source, line), text=text,
                                    language=(_text(item, "language", source, line) or language).lower(),
                                    pages=_pages(item.get("pages"), source, line, i)))
    known = {"doc_id", "title", "issuer", "date", "year", "language", "principles", "text", "country", "region",
             "institution_type", "url", "abstract", "original_title", "content_sha"}
    extra = {k: str(v) for k, v in data.items() if k not in known and isinstance(v, (str, int, float))}
    return DocumentRecord(
        doc_id=_text(data, "doc_id", source, line) or slugify(title),
        title=title,
        issuer=_text(data, "issuer", source, line),
        date=date,
        language=language,
        principles=tuple(principles),
        country=_text(data, "country", source, line),
        region=_text(data, "region", source, line),
        institution_type=_text(data, "institution_type", source, line),
        url=_text(data, "url", source, line),
        abstract=_text(data, "abstract", source, line),
        original_title=_text(data, "original_title", source, line),
        source_file=source,
        source_line=line or 0,
        content_sha=_text(data, "content_sha", source, line),
        extra=extra,
    )
