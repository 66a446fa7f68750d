"""Vector retrieval over the Chroma index through llama-index's retriever."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ingest.config import IndexConfig
from ingest.embedder import load_embedder
from ingest.store import open_collection, vector_store
from rag.types import Source

if TYPE_CHECKING:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding


def cosine_from_chroma_score(score: float | None) -> float:
    """ChromaVectorStore reports exp(-distance); the collection uses cosine distance (1 - cos)."""
    if not score or score <= 0:
        return -1.0
    return 1.0 + math.log(score)


class Retriever:
    """Opens the index once; `search` embeds the question and returns numbered Sources, best first."""

    def __init__(self, config: IndexConfig, embedder: "HuggingFaceEmbedding | None" = None):
        from llama_index.core import VectorStoreIndex

        self.collection = open_collection(config, create=False)
        self.embedder = embedder or load_embedder(config.embed_model, config.embed_batch_size)
        self.index = VectorStoreIndex.from_vector_store(vector_store(self.collection), embed_model=self.embedder)

    def count(self) -> int:
        return self.collection.count()

    def search(self, question: str, top_k: int) -> list[Source]:
        hits = self.index.as_retriever(similarity_top_k=top_k).retrieve(question)
        sources = []
        for n, hit in enumerate(hits, 1):
            meta = hit.node.metadata
            sources.append(Source(
                n=n, node_id=hit.node.node_id, doc_id=str(meta.get("doc_id", "")), title=str(meta.get("title", "")),
                issuer=str(meta.get("issuer", "")), date=str(meta.get("date", "")), url=str(meta.get("url", "")),
                country=str(meta.get("country", "")), language=str(meta.get("language", "")),
                heading=str(meta.get("heading", "")), text=hit.node.get_content(),
                score=cosine_from_chroma_score(hit.score)))
        return sources

    def similarities(self, query: str, texts: list[str]) -> list[float]:
        """Cosine of each text to the query (vectors are normalised): used to pick the quote to show."""
        if not texts:
            return []
        q = self.embedder.get_query_embedding(query)
        return [sum(a * b for a, b in zip(q, v)) for v in self.embedder.get_text_embedding_batch(texts)]
