"""Records → principle-sized llama-index TextNodes that fit the embedder, with stable content-hash ids."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

from ingest.records import DocumentRecord
from ingest.structure import page_at

#: Metadata copied to every node of a document (Chroma's `where` filters work on these).
DOC_FIELDS = ("doc_id", "title", "issuer", "date", "country", "region", "institution_type", "url",
              "original_title", "source_file")


def embedding_text(node: TextNode) -> str:
    """What the embedder reads: the title and heading give a bare paragraph its context."""
    meta = node.metadata
    head = f"{meta['title']}. {meta['heading']}." if meta.get("heading") else f"{meta['title']}."
    return f"{head}\n{node.text}"


#: Metadata left out of a node's id: moving a file, or a principle's place in its document, re-embeds nothing.
_NOT_IN_ID = ("source_file", "position")


def _node_id(metadata: dict, text: str) -> str:
    """Same content and provenance → same id, so an unchanged corpus re-ingests as a no-op."""
    stable = {k: v for k, v in metadata.items() if k not in _NOT_IN_ID}
    payload = json.dumps([stable, text], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


class Chunker:
    """Cuts each principle (and abstract) on sentence boundaries so that title + heading + text, as
    embedded, never exceeds the embedder's word-piece limit."""

    def __init__(self, tokenize: Callable[[str], list[str]], max_tokens: int, overlap: int = 16):
        self.tokenize = tokenize
        self.max_tokens = max_tokens - 2  # [CLS] and [SEP]
        self.splitter = SentenceSplitter(chunk_size=self.max_tokens, chunk_overlap=overlap, tokenizer=tokenize)

    def nodes(self, record: DocumentRecord) -> list[TextNode]:
        base = {k: getattr(record, k) for k in DOC_FIELDS}
        if record.year is not None:
            base["year"] = record.year
        if record.content_sha:  # only documents read from files have one: corpus nodes keep their ids
            base["content_sha"] = record.content_sha
        parts = [(p.heading, p.text, p.language, "principle", p.pages) for p in record.principles]
        if record.abstract:
            parts.append(("Abstract", record.abstract, record.language, "abstract", ()))
        nodes: list[TextNode] = []
        seen: set[str] = set()
        for position, (heading, text, language, kind, pages) in enumerate(parts):
            # position: the principle's place in its document, for showing a document in order (`govrag docs show`)
            meta = {**base, "heading": heading, "language": language, "kind": kind, "position": position}
            cursor = 0
            for i, chunk in enumerate(self._split(record.title, heading, text)):
                node_meta = {**meta, "chunk": i}
                if pages:  # the page the chunk starts on, found by its opening characters (else the last found)
                    found = text.find(chunk[:60], cursor)
                    cursor = found if found >= 0 else cursor
                    node_meta["page"] = page_at(pages, cursor)
                node_id = _node_id(node_meta, chunk)
                while node_id in seen:  # the same paragraph twice under one heading
                    node_id = hashlib.sha256(node_id.encode()).hexdigest()[:32]
                seen.add(node_id)
                # The SOURCE relationship makes llama-index store doc_id as the node's ref_doc_id.
                nodes.append(TextNode(id_=node_id, text=chunk, metadata=node_meta, relationships={
                    NodeRelationship.SOURCE: RelatedNodeInfo(node_id=record.doc_id)}))
        return nodes

    def _split(self, title: str, heading: str, text: str) -> list[str]:
        prefix = f"{title}. {heading}." if heading else f"{title}."
        budget = self.max_tokens - len(self.tokenize(prefix + "\n"))
        if budget < 32:  # an absurdly long title: keep only its start in the embedded prefix
            budget = self.max_tokens // 2
        if len(self.tokenize(text)) <= budget:
            # What the splitter returns for a text that fits (checked on the whole corpus by
            # tests/ingest/test_chunking.py), without its cost: nearly all principles fit, and splitting was
            # most of chunking's time.
            return [text] if text.strip() else []
        chunks = self.splitter.split_text_metadata_aware(text, prefix + "\n") if budget > 0 else [text]
        return [c for c in (self._fit(c, budget) for c in chunks) for c in c if c.strip()]

    def _fit(self, chunk: str, budget: int) -> list[str]:
        """The splitter counts tokens approximately; hard-cut whatever still overflows on word boundaries."""
        if len(self.tokenize(chunk)) <= budget:
            return [chunk]
        joiner = " " if " " in chunk.strip() else ""  # unspaced (e.g. Chinese) text: cut between characters
        units = chunk.split(" ") if joiner else list(chunk)
        out: list[str] = []
        current: list[str] = []
        for unit in units:
            if current and len(self.tokenize(joiner.join(current + [unit]))) > budget:
                out.append(joiner.join(current))
                current = []
            current.append(unit)
        if current:
            out.append(joiner.join(current))
        return out
