"""Hybrid retrieval: Chroma vector search and BM25, fused by reciprocal rank, with a
per-document cap and metadata filters applied inside both searches."""
from __future__ import annotations

import functools
import itertools
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ingest.config import IndexConfig
from ingest.embedder import load_embedder, query_encoder
from ingest.library import IndexedDocument, documents_of
from ingest.store import index_version, open_client, open_collection, stored_records
from rag.bridge import Bridge, Query
from rag.cedict import load_dictionary
from rag.chinese import is_cjk
from rag.filters import Filters, resolve
from rag.lexical import LexicalIndex
from rag.named import Catalogue, catalogue
from rag.relevance import words_held
from rag.snapshot import IndexData, load_snapshot, save_snapshot
from rag.types import Source

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection
    from ingest.embedder import Embedder

#: The usual RRF constant (Cormack et al. 2009): damps the weight of the very first ranks.
RRF_K = 60
_KEEP = ("doc_id", "title", "issuer", "date", "year", "url", "country", "region", "language", "heading",
         "original_title", "kind", "page", "institution_type", "source_file", "position",
         "chunk")


def reciprocal_rank_fusion(rankings: list[list[str]], k: int = RRF_K, weights: list[float] | None = None) -> list[str]:
    """Ids ordered by Σ w/(k + rank) over the rankings they appear in. (llama-index's QueryFusionRetriever
    does the same but re-runs both retrievers through its own async plumbing and cannot apply our per-document
    cap or BM25 mask; ten lines here keep one embedding per query.)"""
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings)):
        for rank, node_id in enumerate(ranking, 1):
            scores[node_id] = scores.get(node_id, 0.0) + weight / (k + rank)
    return sorted(scores, key=lambda i: (-scores[i], i))


@dataclass(frozen=True)
class _Loaded:
    """One consistent view of the index: what a search reads, swapped whole when the index changes."""
    collection: "Collection"
    ids: list[str]
    texts: dict[str, str]
    meta: dict[str, dict[str, Any]]
    lexical: LexicalIndex
    version: int | None
    #: (doc_id, title) of every document, by title; lower-cased issuers and countries. Derived once per load:
    #: every answer asks for the names (follow-up condensation), every compare for the documents.
    documents: list[tuple[str, str]]
    names: frozenset[str]
    #: Titles, issuers and every word of the index: what a name in a question is resolved against.
    catalogue: Catalogue
    #: Renders a question into the index's other language (its dictionary loads on the first use).
    bridge: Bridge
    #: 1.0 for each Chinese passage (row order of `ids`): BM25 searches each language's passages apart.
    chinese_rows: np.ndarray


#: The share of a question's words a Chinese passage must hold to stand in the vector ranking (see
#: Retriever._dense_ranking). Chosen on dev + dev2 (`bench/dev_sweeps.py --chinese`): 0.3 lifts the 6 English
#: questions only a Chinese passage answers from recall@5 0.833 to 1.0 but costs the 161 English ones MRR 0.979 →
#: 0.966 (the Chinese passage crowds in); 0.9 costs English MRR too (0.974) and gains nothing.
UNREAD_COVERAGE = 0.5
#: Below this share of the question's words a Chinese passage an English-only embedder cannot read is left out of
#: the Chinese-word ranking too: the relevance gate could never cite it (its floor, RagConfig.min_term_coverage),
#: and the one Chinese passage of the default corpus, first in that ranking whatever word it shares, took a
#: top-5 slot from English passages in 39 of 113 English dev questions and 51 of 108 dev2 ones (9 and 5 with the
#: floor). On dev + dev2: 0.3 changes no recall, key-term or refusal figure; 0.5 loses the key terms of the
#: English questions answered only in Chinese (dev2 0.5 → 0.0).
CHINESE_LEXICAL_FLOOR = 0.3
#: Sentence vectors a Retriever keeps for choosing quotes (Retriever.similarities): ~1.5 KB each, 30 MB in all.
SENTENCE_VECTORS_KEPT = 20_000
#: How often (seconds) a serving Retriever asks whether an ingest changed the index.
RELOAD_CHECK_S = 2.0


class Retriever:
    """Opens the index once (vectors in Chroma, BM25 built in memory from the same nodes), and reloads it when
    an ingest (any process) has changed it since, checking at most every RELOAD_CHECK_S seconds."""

    def __init__(self, config: IndexConfig, embedder: "Embedder | None" = None):
        self.config = config
        self.embedder = embedder or load_embedder(config.embed_model, config.embed_batch_size, config.embed_backend,
                                                   config.caches)
        # Cached: an answer embeds its question for retrieval and again to choose the quotes.
        self.query_vector = functools.lru_cache(maxsize=256)(query_encoder(self.embedder))
        self._sentence_vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        # Server mode: one client, kept for the reload checks (embedded mode checks a file, with no client).
        self._server = open_client(config) if config.chroma_url else None
        self._loaded = self._load(fresh=True)  # also checks, at load, that a later reload can work
        self._checked = time.monotonic()

    def _load(self, fresh: bool) -> _Loaded:
        # The version first: a write landing while the records load is then seen by the next check.
        version = index_version(self.config, self._server)
        collection = open_collection(self.config, create=False, fresh=fresh)
        saved = load_snapshot(self.config, version)
        if saved:
            data, bm25 = saved
            lexical = LexicalIndex.opened(data.ids, [data.meta[i] for i in data.ids], bm25, data.document_frequency)
        else:
            data, lexical = _read_index(collection)
            save_snapshot(self.config, version, data, lexical.bm25)
        frequency = data.document_frequency
        bridge = Bridge(functools.partial(load_dictionary, cache_dir=self.config.caches),
                        lambda term: frequency.get(term, 0),
                        (t for t in frequency if is_cjk(t[0])))
        return _Loaded(collection, data.ids, data.texts, data.meta, lexical, version, data.documents, data.names,
                       data.catalogue, bridge, data.chinese_rows)

    def reload_if_changed(self, now_please: bool = False) -> bool:
        """Reload when the index's version moved (ingest bumps it after writing); True when it did. Checked at
        most every RELOAD_CHECK_S, or at once with now_please (after this process wrote the index itself)."""
        now = time.monotonic()
        if now - self._checked < RELOAD_CHECK_S and not now_please:
            return False
        with self._lock:
            if now - self._checked < RELOAD_CHECK_S and not now_please:
                return False
            self._checked = now
            if index_version(self.config, self._server) == self._loaded.version:
                return False
            self._loaded = self._load(fresh=True)
            return True

    # One consistent snapshot per call: read self._loaded once, pass it down.
    @property
    def ids(self) -> list[str]:
        return self._loaded.ids

    @property
    def texts(self) -> dict[str, str]:
        return self._loaded.texts

    @property
    def meta(self) -> dict[str, dict[str, Any]]:
        return self._loaded.meta

    def count(self) -> int:
        return len(self.ids)

    def documents(self) -> list[tuple[str, str]]:
        """(doc_id, title) of every indexed document, by title."""
        return self._loaded.documents

    def library(self) -> list[IndexedDocument]:
        """Every indexed document with its passages in document order (ingest/library.py), from what is loaded."""
        state = self._loaded
        return documents_of((i, state.texts[i], state.meta[i]) for i in state.ids)

    def names(self) -> frozenset[str]:
        """Lower-cased issuers and countries: the subjects a follow-up question may switch to."""
        return self._loaded.names

    def document_text(self, doc_id: str) -> str:
        """Every passage of one document, in index order: what "the document does not mention …" is checked on."""
        state = self._loaded
        return "\n".join(state.texts[i] for i in state.ids if state.meta[i].get("doc_id") == doc_id)

    def languages(self, doc_id: str) -> frozenset[str]:
        """The languages of one document's passages."""
        return frozenset(str(m.get("language", "")) for m in self._loaded.meta.values() if m.get("doc_id") == doc_id)

    def idf(self, term: str) -> float:
        """How specific a term is in this index (rare: high)."""
        return self._loaded.lexical.idf(term)

    def catalogue(self) -> Catalogue:
        """What names in a question are resolved against (rag/named.py)."""
        return self._loaded.catalogue

    def query(self, question: str) -> Query:
        """What a search reads for the question: a Chinese question's English rendering for the English-only
        embedder, and BM25 words in both languages (rag/bridge.py)."""
        return self._loaded.bridge.query(question)

    def embedded_text(self, query: Query) -> str:
        """What the embedder reads: the question itself, or, for an English-only embedder, its English reading."""
        return query.question if self.config.embed_multilingual else query.english

    def search(self, question: str, top_k: int, filters: Filters | None = None, hybrid: bool = True,
               per_doc_cap: int | None = 2, query: Query | None = None) -> list[Source]:
        """Top-k Sources, numbered from 1, each scored by its cosine to the question's English reading.
        hybrid=False, per_doc_cap=None is plain vector search. `query`: the question's reading, if already made."""
        self.reload_if_changed()
        state = self._loaded
        query = query or state.bridge.query(question)
        resolved = resolve(filters, state.meta.values()) if filters and filters.active() else None
        query_vector = self.query_vector(self.embedded_text(query))
        pool = top_k * 4 if (hybrid or per_doc_cap) else top_k
        # Chroma's own query, distances only: texts and metadata are already in memory. Through llama-index's
        # retriever (which rebuilds nodes from fetched documents and metadata) a query took 4.3 ms more on
        # the default corpus, a fifth of the whole search.
        where = resolved.chroma_where() if resolved else None
        hits = state.collection.query(query_embeddings=[query_vector], n_results=min(pool, len(state.ids)) or 1,
                                      where=where, include=["distances"])
        # Only nodes this snapshot knows: an ingest running now may have added some it will load later.
        cosine = {i: 1.0 - d for i, d in zip(hits["ids"][0], hits["distances"][0]) if i in state.meta}
        rankings: list[list[str]] = [list(cosine)]
        if hybrid:
            mask = (np.array([1.0 if resolved.matches(state.meta[i]) else 0.0 for i in state.ids])
                    if resolved else None)
            # BM25 twice: English words against English passages, Chinese words against Chinese ones (the
            # question's own, or its dictionary rendering), so neither language's matches crowd out the other's
            # (and a seed document's Chinese title does not lift its English passages for a Chinese question).
            bilingual = bool(state.chinese_rows.any())

            def ranked(words: str, rows: np.ndarray | None) -> list[str]:
                both = mask if rows is None else rows if mask is None else rows * mask
                return [state.ids[row] for row, _ in state.lexical.search(words, pool, both)]

            english = ranked(query.english_words, 1.0 - state.chinese_rows if bilingual else None)
            chinese = ranked(query.chinese_words, state.chinese_rows) if bilingual and query.chinese_words else []
            if not self.config.embed_multilingual:
                chinese = [i for i in chinese if _held(state, query, i) >= CHINESE_LEXICAL_FLOOR]
            rankings = [self._dense_ranking(state, query, list(cosine), chinese), english] + ([chinese] if chinese else [])
        chosen = _cap(state, reciprocal_rank_fusion(rankings) if hybrid else rankings[0], top_k,
                      per_doc_cap)
        missing = [i for i in chosen if i not in cosine]
        cosine |= _cosines(state, query_vector, missing)
        chosen = [i for i in chosen if i in cosine]  # a node an ingest running now has just deleted
        return [_source(state, n, node_id, cosine[node_id]) for n, node_id in enumerate(chosen, 1)]

    def _dense_ranking(self, state: _Loaded, query: Query, by_cosine: list[str], chinese: list[str]) -> list[str]:
        """The vector ranking as fusion reads it. The bundled embedder reads English only: a Chinese passage's
        cosine is noise, which would sink it below every English passage in every question. In its place a
        Chinese passage that holds at least UNREAD_COVERAGE of the question's words (in Chinese, or through the
        dictionary) takes the rank the Chinese-word ranking gives it, the two languages interleaved by rank; one
        that holds fewer is left to BM25 alone. Unchanged with a multilingual embedder."""
        if self.config.embed_multilingual:
            return by_cosine
        read = [i for i in by_cosine if state.meta[i].get("language") != "zh"]
        unread = [i for i in chinese if state.meta[i].get("language") == "zh"
                  and _held(state, query, i) >= UNREAD_COVERAGE]
        return [i for pair in itertools.zip_longest(unread, read) for i in pair if i is not None]

    def related(self, node_id: str, k: int = 5) -> list[Source]:
        """The closest principles in other documents, one per document (what the seed page shows)."""
        self.reload_if_changed()
        state = self._loaded
        _known(state, node_id)
        got = state.collection.get(ids=[node_id], include=["embeddings"])
        doc_id = state.meta[node_id]["doc_id"]
        hits = state.collection.query(query_embeddings=[got["embeddings"][0]],
                                      n_results=min(k * 6, len(state.ids)), where={"doc_id": {"$ne": doc_id}},
                                      include=["distances"])
        chosen, seen = [], set()
        for hit_id, distance in zip(hits["ids"][0], hits["distances"][0]):
            if hit_id not in state.meta:  # added by an ingest running now
                continue
            other = state.meta[hit_id]["doc_id"]
            if other not in seen:
                seen.add(other)
                chosen.append((hit_id, 1.0 - distance))
        return [_source(state, n, i, score) for n, (i, score) in enumerate(chosen[:k], 1)]

    def node_source(self, node_id: str) -> Source:
        state = self._loaded
        _known(state, node_id)
        return _source(state, 0, node_id, 1.0)

    def similarities(self, query: str, texts: list[str]) -> list[float]:
        """Cosine of each text to the query (vectors are normalised). The texts are a passage's sentences (the
        quote is chosen among them): each is embedded once and kept, since the passages a topic retrieves come
        back in question after question — embedding them was half of an answer's time before its quotes."""
        if not texts:
            return []
        q = np.asarray(self.query_vector(query))
        kept = self._sentence_vectors
        vectors = {t: v for t in set(texts) if (v := kept.get(t)) is not None}
        if missing := [t for t in dict.fromkeys(texts) if t not in vectors]:
            embedded = dict(zip(missing, np.asarray(self.embedder.get_text_embedding_batch(missing))))
            vectors |= embedded
            if len(kept) + len(embedded) > SENTENCE_VECTORS_KEPT:
                kept.clear()
            kept.update(embedded)
        return [float(np.dot(q, vectors[t])) for t in texts]


def _read_index(collection: "Collection") -> tuple[IndexData, LexicalIndex]:
    """Every record of the index, and what is derived from them: BM25, the documents, the names catalogue."""
    ids: list[str] = []
    texts: dict[str, str] = {}
    meta: dict[str, dict[str, Any]] = {}
    shared: dict[Any, Any] = {}  # one object per distinct value: a document's title is not kept once per passage
    for node_id, text, m in stored_records(collection):
        ids.append(node_id)
        texts[node_id] = text
        meta[node_id] = {k: shared.setdefault(m[k], m[k]) if isinstance(m[k], str) else m[k] for k in _KEEP if k in m}
    lexical = LexicalIndex(ids, [texts[i] for i in ids], [meta[i] for i in ids])
    docs = {m["doc_id"]: str(m.get("title", m["doc_id"])) for m in meta.values()}
    names = frozenset(str(m[k]).lower() for m in meta.values() for k in ("issuer", "country") if m.get(k))
    data = IndexData(ids, texts, meta, dict(lexical.document_frequency),
                     sorted(docs.items(), key=lambda d: (d[1].lower(), d[0])), names,
                     catalogue((meta[i], texts[i]) for i in ids),
                     np.array([1.0 if meta[i].get("language") == "zh" else 0.0 for i in ids]))
    return data, lexical


def _known(state: _Loaded, node_id: str) -> None:
    if node_id not in state.meta:
        raise LookupError(f"no node {node_id!r} in the index; take a node_id from `govrag search --json`")


def _held(state: _Loaded, query: Query, node_id: str) -> float:
    return words_held(query, _source(state, 0, node_id, 0.0))


def _cap(state: _Loaded, ranked: list[str], top_k: int, per_doc_cap: int | None) -> list[str]:
    chosen: list[str] = []
    per_doc: dict[str, int] = {}
    for node_id in ranked:
        doc = state.meta[node_id]["doc_id"]
        if per_doc_cap is None or per_doc.get(doc, 0) < per_doc_cap:
            per_doc[doc] = per_doc.get(doc, 0) + 1
            chosen.append(node_id)
        if len(chosen) == top_k:
            break
    return chosen


def _cosines(state: _Loaded, query_vector: list[float], ids: list[str]) -> dict[str, float]:
    if not ids:
        return {}
    got = state.collection.get(ids=ids, include=["embeddings"])
    q = np.asarray(query_vector)
    return {i: float(np.dot(q, np.asarray(v))) for i, v in zip(got["ids"], got["embeddings"])}


def _source(state: _Loaded, n: int, node_id: str, score: float) -> Source:
    meta: Mapping[str, Any] = state.meta[node_id]
    return Source(n=n, node_id=node_id, doc_id=str(meta.get("doc_id", "")), title=str(meta.get("title", "")),
                  issuer=str(meta.get("issuer", "")), date=str(meta.get("date", "")),
                  url=str(meta.get("url", "")), country=str(meta.get("country", "")),
                  language=str(meta.get("language", "")), heading=str(meta.get("heading", "")),
                  text=state.texts[node_id], score=score, page=int(meta.get("page", 0) or 0))
