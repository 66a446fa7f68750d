"""Read corpus files into DocumentRecords: JSON Lines, Markdown with front matter, plain text, and real
documents (PDF, DOCX, HTML: ingest/document_files.py).

A bad file or line becomes a RecordError naming the file and line; it never stops the other files.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ingest.config import ReaderLimits
from ingest.document_files import META_KEYS, document_record, file_title, load_document_file, text_blocks
from ingest.readers import DOCUMENT_SUFFIXES, Extracted, check_size, read_text
from ingest.records import DocumentRecord, RecordError, record_from_dict

SUFFIXES = {".jsonl": "jsonl", ".md": "markdown", ".markdown": "markdown", ".txt": "text", **DOCUMENT_SUFFIXES}
#: Files in a corpus folder that describe it rather than belong to it.
_SKIPPED_NAMES = re.compile(r"^(readme|license|licence|source|changelog)([._-].*)?$", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass
class LoadResult:
    records: list[DocumentRecord] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def failed_files(self) -> set[str]:
        return {e.source for e in self.errors}


def corpus_files(paths: list[Path]) -> list[Path]:
    """Every corpus file under the given files/folders, sorted; explicit files are always taken."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                            and not _SKIPPED_NAMES.match(p.name)
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder; pass a corpus file or folder to ingest")
    return found


def load_jsonl(path: Path, text: str, result: LoadResult, overrides: dict[str, str]) -> None:
    if overrides:
        raise RecordError(str(path), None, f"--{' --'.join(overrides)} cannot apply to a JSON Lines file: each of "
                          "its records states its own provenance; ingest it without these flags")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            result.errors.append(RecordError(str(path), number, f"invalid JSON ({exc.msg} at column {exc.colno})"))
            continue
        try:
            result.records.append(record_from_dict(data, str(path), number))
        except RecordError as exc:
            result.errors.append(exc)


def load_markdown(path: Path, text: str, result: LoadResult, overrides: dict[str, str]) -> None:
    """Front matter gives the provenance; each heading starts a principle."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise RecordError(str(path), 1, "Markdown documents need front matter between '---' lines "
                          "with at least 'title:' (see corpus/README.md)")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RecordError(str(path), (mark.line + 2) if mark else 1, f"invalid front matter: {exc}") from None
    if not isinstance(meta, dict):
        raise RecordError(str(path), 2, "front matter must be 'key: value' lines")
    meta = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in meta.items()}
    body = text[match.end():]
    principles, starts = [], list(_HEADING.finditer(body))
    lead = body[: starts[0].start()] if starts else body
    if lead.strip():
        principles.append({"heading": "", "text": lead.strip()})
    for i, heading in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        section = body[heading.end():end].strip()
        if section:
            principles.append({"heading": heading.group(2), "text": section})
    meta["principles"] = principles
    result.records.append(record_from_dict({**meta, **overrides}, str(path), 1))


def load_text(path: Path, text: str, result: LoadResult, overrides: dict[str, str]) -> None:
    """A plain .txt is one document titled by its file name, split where its text has headings."""
    if not text.strip():
        raise RecordError(str(path), None, "empty file")
    result.records.append(record_from_dict(document_record(path, Extracted(text_blocks(text)), overrides,
                                                           file_title(path)),
                                           str(path), None))


_LOADERS = {"jsonl": load_jsonl, "markdown": load_markdown, "text": load_text}


def load_corpus(paths: list[Path], limits: ReaderLimits | None = None,
                overrides: dict[str, str] | None = None) -> LoadResult:
    """Every record of the given files/folders. `overrides` (the flags of `govrag ingest`) set the provenance
    of the documents read from document files, Markdown and text (a JSON Lines file states its own)."""
    limits = limits or ReaderLimits()
    overrides = {k: v for k, v in (overrides or {}).items() if v}
    unknown = set(overrides) - set(META_KEYS)
    if unknown:
        raise ValueError(f"cannot override {', '.join(sorted(unknown))}; use {', '.join(META_KEYS)}")
    result = LoadResult()
    for path in corpus_files(paths):
        result.files.append(str(path))
        kind = SUFFIXES.get(path.suffix.lower())
        try:
            if kind is None:
                raise RecordError(str(path), None, f"unsupported file type '{path.suffix or path.name}'; "
                                  f"use one of {', '.join(sorted(SUFFIXES))}")
            check_size(path, limits)
            if kind in DOCUMENT_SUFFIXES.values():
                result.records.append(record_from_dict(load_document_file(path, kind, limits, overrides),
                                                       str(path), None))
            else:
                _LOADERS[kind](path, read_text(path), result, overrides)
        except RecordError as exc:
            result.errors.append(exc)
        except OSError as exc:
            result.errors.append(RecordError(str(path), None, f"cannot read: {exc.strerror or exc}"))
    _drop_duplicates(result)
    return result


def _drop_duplicates(result: LoadResult) -> None:
    """Keep the first of two records with one doc_id, or with one document file's content under two names."""
    seen: dict[str, DocumentRecord] = {}
    kept = []
    for record in result.records:
        same = seen.get(f"sha:{record.content_sha}") if record.content_sha else None
        if same is not None:
            result.errors.append(RecordError(record.source_file, None, f"same content as {same.source_file} "
                                             f"(“{same.title}”), read in this run; skipped"))
            continue
        first = seen.get(record.doc_id)
        if first is not None:
            where = f"{first.source_file}:{first.source_line}" if first.source_line else first.source_file
            result.errors.append(RecordError(record.source_file, record.source_line or None,
                                             f"doc_id '{record.doc_id}' already used by {where}; give this "
                                             "document its own 'doc_id' (or title)"))
            continue
        seen[record.doc_id] = record
        if record.content_sha:
            seen[f"sha:{record.content_sha}"] = record
        kept.append(record)
    result.records = kept
