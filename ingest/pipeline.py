"""`govrag ingest`: bring the index in line with the corpus, writing only what changed."""
from __future__ import annotations

import errno
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunking import Chunker, embedding_text
from ingest.config import IndexConfig, ReaderLimits
from ingest.embedder import load_embedder, load_word_pieces
from ingest.loaders import load_corpus
from ingest.lock import ingest_lock
from ingest.records import DocumentRecord, RecordError
from ingest.store import (IngestWriteError, add_nodes, delete_ids, mark_updated, open_collection, resolved,
                          stored_nodes)


@dataclass
class IngestReport:
    documents: int = 0
    nodes: int = 0
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    nodes_written: int = 0
    nodes_deleted: int = 0
    seconds: float = 0.0
    errors: list[RecordError] = field(default_factory=list)
    #: Documents read from document files that this run added or changed: shown with their provenance.
    files_read: list[DocumentRecord] = field(default_factory=list)

    @property
    def writes(self) -> int:
        return self.nodes_written + self.nodes_deleted

    def summary(self) -> str:
        lines = [f"{self.documents} documents, {self.nodes} nodes: added {self.added}, updated {self.updated}, "
                 f"deleted {self.deleted}, unchanged {self.unchanged} "
                 f"({self.nodes_written} nodes written, {self.nodes_deleted} removed) in {self.seconds:.1f} s"]
        if self.writes == 0:
            lines.append("Index already up to date: nothing written.")
        for record in self.files_read:
            pages = max((page for p in record.principles for _, page in p.pages), default=0)
            facts = [f"issuer: {record.issuer or 'none (pass --issuer)'}",
                     f"date: {record.date or 'none (pass --date)'}", f"{len(record.principles)} sections"]
            lines.append(f"  {record.doc_id}: “{record.title}” ({', '.join(facts)}"
                         + (f", {pages} pages" if pages else "") + ")")
        for error in self.errors:
            lines.append(f"error: {error} (skipped; the rest was ingested)")
        return "\n".join(lines)


def _in_scope(source_file: str, roots: list[Path]) -> bool:
    path = resolved(source_file) if source_file else None
    return path is not None and any(path == root or root in path.parents for root in roots)


def ingest(paths: Iterable[Path], config: IndexConfig, progress: bool = True, limits: ReaderLimits | None = None,
           overrides: dict[str, str] | None = None) -> IngestReport:
    """Load, chunk, diff against Chroma by content-hash ids, embed and add what is new, delete what is gone.

    New nodes are added before stale ones are deleted, so an interrupted run leaves at worst extra nodes,
    which the next run removes. Documents from files that failed to load are never deleted. One run per index
    at a time (ingest/lock.py): a second one stops at once with IngestBusyError naming the first.
    `overrides`: provenance flags (`--title`, `--issuer`, …) for the documents read from these files."""
    with ingest_lock(config):
        return _ingest(paths, config, progress, limits, overrides or {})


def _ingest(paths: Iterable[Path], config: IndexConfig, progress: bool, limits: ReaderLimits | None,
            overrides: dict[str, str]) -> IngestReport:
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    loaded = load_corpus(paths, limits, overrides)
    for key in ("title", "doc_id"):
        if overrides.get(key) and len(loaded.records) + len(loaded.errors) > 1:
            raise ValueError(f"--{key.replace('_', '-')} names one document, and the files given hold "
                             f"{len(loaded.records) + len(loaded.errors)}; nothing was ingested. Ingest one file "
                             "with it, or write a FILE.meta.toml beside each file")
    chunker = Chunker(load_word_pieces(config.embed_model), config.embed_max_tokens)
    nodes_by_doc = {r.doc_id: chunker.nodes(r) for r in loaded.records}

    collection = open_collection(config, create=True)
    stored = stored_nodes(collection)
    stored_ids_by_doc: dict[str, set[str]] = {}
    for node in stored:
        stored_ids_by_doc.setdefault(node.doc_id, set()).add(node.node_id)
    roots = [resolved(p) for p in paths]
    _drop_indexed_copies(loaded, nodes_by_doc, stored, roots)
    report = IngestReport(documents=len(loaded.records), errors=loaded.errors,
                          nodes=sum(len(n) for n in nodes_by_doc.values()))

    to_add = []
    stale: list[str] = []
    records = {r.doc_id: r for r in loaded.records}
    for doc_id, nodes in nodes_by_doc.items():
        old = stored_ids_by_doc.get(doc_id, set())
        new = {n.node_id for n in nodes}
        to_add += [n for n in nodes if n.node_id not in old]
        stale += sorted(old - new)
        if not old:
            report.added += 1
        elif old != new:
            report.updated += 1
        else:
            report.unchanged += 1
        if old != new and records[doc_id].content_sha:
            report.files_read.append(records[doc_id])

    failed = {resolved(f) for f in loaded.failed_files}
    gone = {n.doc_id for n in stored if n.doc_id not in nodes_by_doc and _in_scope(n.source_file, roots)
            and resolved(n.source_file) not in failed}
    stale += [n.node_id for n in stored if n.doc_id in gone]
    report.deleted = len(gone)

    _check_space(config, len(to_add))
    written: list[str] = []
    try:
        if to_add:
            embedder = load_embedder(config.embed_model, config.embed_batch_size, config.embed_backend, config.caches)
            _embed_and_add(collection, to_add, embedder, config,
                           progress, written)
    except Exception as exc:
        raise IngestWriteError(_failure(exc, config, _roll_back(collection, written))) from exc
    try:
        if stale:
            delete_ids(collection, stale)
        if to_add or stale:
            mark_updated(collection, config)
    except Exception as exc:  # the new nodes are complete: keep them; the next run removes the stale ones
        raise IngestWriteError(_failure(exc, config, "every new passage was written, but removing the "
                                        "replaced ones did not finish")) from exc
    report.nodes_written, report.nodes_deleted = len(to_add), len(stale)
    report.seconds = time.perf_counter() - started
    return report


def _drop_indexed_copies(loaded, nodes_by_doc: dict, stored: list, roots: list[Path]) -> None:  # noqa: ANN001
    """A document file whose content is indexed already from a file outside this run is refused, with a message
    naming that document: a renamed copy would double every citation, or, under the same title, silently replace
    the provenance the first was given."""
    indexed = {n.content_sha: n for n in stored if n.content_sha and not _in_scope(n.source_file, roots)}
    kept = []
    for record in loaded.records:
        same = indexed.get(record.content_sha) if record.content_sha else None
        if same is not None:
            loaded.errors.append(RecordError(record.source_file, None, f"same content as the indexed document "
                                             f"'{same.doc_id}' (from {same.source_file}); skipped — remove that "
                                             f"one first (`govrag docs remove {same.doc_id}`) to replace it"))
            nodes_by_doc.pop(record.doc_id, None)
            continue
        kept.append(record)
    loaded.records = kept


#: A failed write with less free space than this on the index's device is reported as a full disk.
LOW_SPACE_BYTES = 32 * 1024 * 1024
#: Disk a new node needs while being written (twice what it keeps: see _check_space).
BYTES_PER_NODE = 28 * 1024


def _disk_full(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return True
        if any(m in str(seen).lower() for m in ("no space left", "disk is full", "database or disk is full")):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _check_space(config: IndexConfig, nodes: int) -> None:
    """Refuse before writing anything when the index's device clearly lacks the room: an index takes ~14 KB
    a node on disk (23 MB for the default corpus's 1,668), Chroma's log needs as much again while writing,
    and its compaction some room of its own."""
    if not nodes or config.chroma_url:
        return
    need = nodes * BYTES_PER_NODE + LOW_SPACE_BYTES
    free = shutil.disk_usage(_existing_parent(config.chroma_path)).free
    if free < need:
        raise IngestWriteError(f"not enough space on the device holding {config.location}: adding {nodes} "
                               f"passages needs about {need / 1e6:.0f} MB and {free / 1e6:.1f} MB is free; "
                               "nothing was written. Free some space and run `govrag ingest` again.")


def _existing_parent(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _low_space(config: IndexConfig) -> bool:
    """Chroma sometimes reports a full disk only as a failed compaction: ask the file system too."""
    if config.chroma_url:
        return False
    try:
        return shutil.disk_usage(_existing_parent(config.chroma_path)).free < LOW_SPACE_BYTES
    except OSError:
        return False


def _failure(exc: Exception, config: IndexConfig, state: str) -> str:
    full = _disk_full(exc) or _low_space(config)
    what = (f"no space left on the device holding {config.location} ({type(exc).__name__}: {str(exc)[:200]})"
            if full else f"writing to the index at {config.location} failed ({type(exc).__name__}: {str(exc)[:300]})")
    fix = "Free some space" if full else "Fix the cause"
    return f"{what}; ingest stopped and {state}. {fix} and run `govrag ingest` again."


def _roll_back(collection, written: list[str]) -> str:  # noqa: ANN001
    """Remove what this run added, so a failed run leaves the index as it was; say whether that worked."""
    if not written:
        return "the index is as it was"
    try:
        delete_ids(collection, written)
    except Exception:  # noqa: BLE001 - reported in the message; the next complete run cleans up
        return (f"the {len(written)} new passages it had begun to write could not all be removed (the index is "
                "consistent, and a complete run brings it in line with the corpus)")
    return f"the {len(written)} new passages it had begun to write were removed: the index is as it was"


def _embed_and_add(collection, nodes: list, embedder, config: IndexConfig, progress: bool,  # noqa: ANN001
                   written: list[str]) -> None:
    """Embed in length-sorted windows (similar lengths batch with little padding: about 2x the throughput
    of llama-index's insertion-order batches on this corpus) and write each window as soon as it is embedded,
    so an interrupted run keeps what it wrote. (Writing on a second thread while the next window embeds
    measured no faster on 2 cores: torch already uses both.)"""
    from tqdm import tqdm

    order = sorted(nodes, key=lambda n: len(embedding_text(n)))
    window = config.embed_batch_size * 4  # a crash loses at most this many embedded nodes
    with tqdm(total=len(order), desc="embedding", unit="node", disable=not progress) as bar:
        for start in range(0, len(order), window):
            batch = order[start:start + window]
            for node, vector in zip(batch, embedder.get_text_embedding_batch([embedding_text(n) for n in batch])):
                node.embedding = vector
            written.extend(n.node_id for n in batch)  # before the write: a failed add may have half-landed
            add_nodes(collection, batch)
            bar.update(len(batch))
