"""What the index holds, document by document: listing, showing and removing documents (`govrag docs …`).

Read from Chroma's metadata, not from the corpus files, so a document ingested from a file that has since moved
or gone is still listed, shown and removable."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.config import IndexConfig
from ingest.lock import ingest_lock
from ingest.store import mark_updated, open_collection, stored_records

#: Fields of a document every node of it carries (ingest/chunking.DOC_FIELDS).
_DOCUMENT_KEYS = ("title", "issuer", "date", "country", "region", "institution_type", "url", "source_file")


@dataclass(frozen=True)
class Passage:
    node_id: str
    heading: str
    text: str
    page: int  # 0: the document has no pages
    position: int  # the principle's place in its document


@dataclass
class IndexedDocument:
    doc_id: str
    title: str = ""
    issuer: str = ""
    date: str = ""
    country: str = ""
    region: str = ""
    institution_type: str = ""
    url: str = ""
    source_file: str = ""
    languages: list[str] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)

    @property
    def headings(self) -> list[str]:
        """The document's principle headings, in document order, once each."""
        return list(dict.fromkeys(p.heading for p in self.passages if p.heading))

    @property
    def pages(self) -> int:
        return max((p.page for p in self.passages), default=0)

    def summary(self) -> dict:
        return {"doc_id": self.doc_id, **{k: getattr(self, k) for k in _DOCUMENT_KEYS},
                "languages": self.languages, "passages": len(self.passages), "principles": len(self.headings),
                "pages": self.pages}


def documents_of(records: Iterable[tuple[str, str, dict]]) -> list[IndexedDocument]:
    """(node id, text, metadata) rows grouped into documents, each with its passages in document order;
    documents sorted by title."""
    found: dict[str, IndexedDocument] = {}
    order: dict[str, tuple[int, int]] = {}  # node id → (principle's place, chunk's place in it)
    for node_id, text, meta in records:
        doc_id = str(meta.get("doc_id", ""))
        document = found.get(doc_id)
        if document is None:
            document = found[doc_id] = IndexedDocument(doc_id, **{k: str(meta.get(k, "") or "")
                                                                  for k in _DOCUMENT_KEYS})
        language = str(meta.get("language", ""))
        if language and language not in document.languages:
            document.languages.append(language)
        if meta.get("kind", "principle") == "principle":
            order[node_id] = (int(meta.get("position", 0) or 0), int(meta.get("chunk", 0) or 0))
            document.passages.append(Passage(node_id, str(meta.get("heading", "")), text,
                                             int(meta.get("page", 0) or 0),
                                             int(meta.get("position", 0) or 0)))
    for document in found.values():
        document.passages.sort(key=lambda p: order[p.node_id])
    return sorted(found.values(), key=lambda d: (d.title.lower(), d.doc_id))


def list_documents(config: IndexConfig) -> list[IndexedDocument]:
    return documents_of(stored_records(open_collection(config, create=False)))


def find_document(documents: list[IndexedDocument], key: str) -> IndexedDocument:
    """A document by its id, its exact title (any case), or a title or id fragment that names only one."""
    wanted = key.strip().lower()
    for exact in (lambda d: d.doc_id.lower() == wanted, lambda d: d.title.lower() == wanted):
        hits = [d for d in documents if exact(d)]
        if len(hits) == 1:
            return hits[0]
    hits = [d for d in documents if wanted and (wanted in d.title.lower() or wanted in d.doc_id.lower())]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise LookupError(f"no indexed document has the id or title {key!r}; `govrag docs list` shows them")
    names = "; ".join(f"{d.doc_id} ({d.title})" for d in hits[:8])
    raise LookupError(f"{key!r} matches {len(hits)} documents: {names}{' …' if len(hits) > 8 else ''}; "
                      "give its id")


def remove_document(config: IndexConfig, key: str) -> IndexedDocument:
    """Delete every node of one document (under the ingest lock) and tell serving processes to reload.
    A document of the bundled corpus comes back at the next `govrag ingest` of the corpus."""
    with ingest_lock(config):
        collection = open_collection(config, create=False)
        document = find_document(documents_of(stored_records(collection)), key)
        collection.delete(where={"doc_id": document.doc_id})
        mark_updated(collection, config)
    return document
