"""The persistent Chroma collection: opening it, reading what it holds, writing nodes through llama-index."""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from typing import TYPE_CHECKING

from ingest.config import IndexConfig
from ingest.embedder import embedder_name
from ingest.offline import offline

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore


#: Cosine space, and a wider HNSW search than Chroma's defaults (ef 100, 16 neighbours): with those, builds of
#: the same corpus sometimes missed the one Chinese passage a Chinese question needs (out-of-distribution
#: queries for an English embedder are where approximate search fails first).
HNSW = {"space": "cosine", "ef_construction": 400, "ef_search": 400, "max_neighbors": 32}


class IngestWriteError(RuntimeError):
    """Writing to the index failed (disk full, Chroma server gone); the message says what state it is in."""


class IndexMissingError(RuntimeError):
    """Asked to read an index that was never built."""


class ChromaUnavailableError(RuntimeError):
    """The configured Chroma server does not answer."""


#: Tries, and seconds between them, before a Chroma server counts as down.
SERVER_TRIES, SERVER_WAIT_S = 3, 1.0


#: Where chromadb keeps one embedded system per path, per process (checked with chromadb 1.5.9).
_SYSTEM_CACHES = ("_identifier_to_system", "_identifier_to_refcount")


def forget_cached_system(path: Path) -> None:
    """Make the next PersistentClient on `path` open it afresh. A cached system keeps the vector index it
    loaded and does not see vectors another process (an ingest) added since (measured with chromadb 1.5.9).
    Chroma's only public call for this, `clear_system_cache()`, forgets every path and breaks clients still
    open on the others, so this one path is dropped from Chroma's class-level cache — checked first, so a
    chromadb that keeps it elsewhere fails here, loudly, instead of serving a stale index."""
    import chromadb
    from chromadb.api.client import SharedSystemClient

    caches = [getattr(SharedSystemClient, name, None) for name in _SYSTEM_CACHES]
    if not all(isinstance(cache, dict) for cache in caches):
        raise RuntimeError(f"chromadb {chromadb.__version__} no longer keeps its per-path systems in "
                           f"SharedSystemClient.{' / '.join(_SYSTEM_CACHES)} (govrag was checked with chromadb "
                           "1.5.9), so an index changed by another process cannot be reloaded: install "
                           "chromadb 1.5.x or restart govrag after each ingest")
    for cache in caches:
        cache.pop(str(path), None)  # collections already open keep working on the old system


def open_client(config: IndexConfig, fresh: bool = False):
    """An HttpClient for a configured server (a few tries: it may be restarting), else the embedded store.
    fresh=True: the embedded store as it is on disk now (see forget_cached_system)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if not config.chroma_url:
        if fresh:
            forget_cached_system(config.chroma_path)
        return chromadb.PersistentClient(path=str(config.chroma_path), settings=settings)
    url = urlparse(config.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ValueError(f"GOVRAG_CHROMA_URL {config.chroma_url!r} is not an http(s)://host:port URL")
    last: Exception | None = None
    for attempt in range(SERVER_TRIES):
        try:
            client = chromadb.HttpClient(host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                                         ssl=url.scheme == "https", settings=settings)
            client.heartbeat()
            return client
        except Exception as exc:  # chromadb wraps connection errors differently across versions
            last = exc
            if attempt + 1 < SERVER_TRIES:
                time.sleep(SERVER_WAIT_S)
    raise ChromaUnavailableError(f"cannot reach the Chroma server at {config.chroma_url} after {SERVER_TRIES} tries "
                                 f"({type(last).__name__}: {last}); start it (`chroma run --path DIR --port N`) or "
                                 "unset GOVRAG_CHROMA_URL to use the embedded index") from None


@dataclass(frozen=True)
class StoredNode:
    node_id: str
    doc_id: str
    source_file: str
    content_sha: str = ""


def open_collection(config: IndexConfig, create: bool, fresh: bool = False) -> "Collection":
    """Open the collection; with create=False a missing index is an error telling the user to ingest.
    fresh=True: see everything other processes wrote (see open_client)."""
    offline()
    if not create and not config.chroma_url and not config.chroma_path.exists():
        raise IndexMissingError(f"no index at {config.chroma_path}; build it first with `govrag ingest` "
                                "(or point GOVRAG_DATA_DIR at an existing index)")
    client = open_client(config, fresh)
    embedder = embedder_name(config.embed_model, config.embed_backend)
    if create:
        collection = client.get_or_create_collection(
            config.collection, embedding_function=None,
            configuration={"hnsw": HNSW}, metadata={"embedder": embedder})
    else:
        try:
            collection = client.get_collection(config.collection, embedding_function=None)
        except Exception as exc:  # chromadb raises NotFoundError / ValueError depending on version
            raise IndexMissingError(f"no collection '{config.collection}' in {config.location}; "
                                    "run `govrag ingest` first") from exc
    built_with = (collection.metadata or {}).get("embedder")
    if built_with and built_with != embedder:
        raise RuntimeError(f"the index at {config.location} was built with embedder '{built_with}' but "
                           f"'{embedder}' is configured; re-ingest into a new GOVRAG_DATA_DIR or restore the setting")
    return collection


#: Collection metadata key ingest bumps after every write; serving processes poll it to reload.
VERSION_KEY = "updated"
#: The same version in a file beside an embedded index: a serving process checks it with one small read.
VERSION_FILE = "index-version"


def mark_updated(collection: "Collection", config: IndexConfig) -> None:
    """Record that the index changed (any process serving it reloads when it sees a new value). Called under
    the ingest lock (ingest/lock.py), which is what keeps this read-modify-write of the collection's metadata
    from racing another ingest on this machine; two machines writing one Chroma server are not guarded."""
    version = time.time_ns()
    collection.modify(metadata={**(collection.metadata or {}), VERSION_KEY: version})
    if not config.chroma_url:
        staged = config.data_dir / f".{VERSION_FILE}.tmp"
        staged.write_text(str(version), encoding="utf-8")
        staged.replace(config.data_dir / VERSION_FILE)


def index_version(config: IndexConfig, client=None) -> int | None:
    """The value mark_updated last wrote (None for an index never marked). Embedded: read from the version
    file, without a Chroma client (this runs on the request path every RELOAD_CHECK_S); an index written before
    the file existed falls back to its metadata. Server: its metadata, through `client` when one is open."""
    if not config.chroma_url:
        try:
            return int((config.data_dir / VERSION_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            pass
        except ValueError:  # a damaged file: treat the index as changed, and reload from what Chroma holds
            return None
    collection = open_collection(config, create=False) if client is None else client.get_collection(
        config.collection, embedding_function=None)
    value = (collection.metadata or {}).get(VERSION_KEY)
    return int(value) if value is not None else None


def vector_store(collection: "Collection") -> "ChromaVectorStore":
    from llama_index.vector_stores.chroma import ChromaVectorStore

    return ChromaVectorStore(chroma_collection=collection)


def _pages(collection: "Collection", include: list[str], page: int = 5000) -> Iterator[dict]:
    """Every node, `page` at a time: Chroma caps what one `get` returns."""
    offset = 0
    while True:
        got = collection.get(include=include, limit=page, offset=offset)
        yield got
        if len(got["ids"]) < page:
            return
        offset += page


def stored_records(collection: "Collection") -> Iterator[tuple[str, str, dict]]:
    """(node id, text, metadata) of every node."""
    for got in _pages(collection, ["documents", "metadatas"]):
        yield from zip(got["ids"], got["documents"] or [], [m or {} for m in got["metadatas"] or []])


def stored_nodes(collection: "Collection") -> list[StoredNode]:
    """Every node id with its document, source file and (documents read from files) content hash."""
    return [StoredNode(node_id, str(meta.get("doc_id", "")), str(meta.get("source_file", "")),
                       str(meta.get("content_sha", "")))
            for got in _pages(collection, ["metadatas"])
            for node_id, meta in zip(got["ids"], [m or {} for m in got["metadatas"] or []])]


def add_nodes(collection: "Collection", nodes: list["TextNode"]) -> None:
    """Write embedded nodes in llama-index's layout, so any llama-index app can read this index too."""
    store = vector_store(collection)
    for start in range(0, len(nodes), 1000):
        store.add(nodes[start:start + 1000])


def delete_ids(collection: "Collection", ids: list[str]) -> None:
    for start in range(0, len(ids), 1000):
        collection.delete(ids=ids[start:start + 1000])


def resolved(path: str | Path) -> Path:
    return Path(path).expanduser().resolve()
