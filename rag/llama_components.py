"""govrag for LlamaIndex users: its hybrid, filtered retrieval as a `BaseRetriever`, and its verified, cited
answer as a query engine whose `Response.source_nodes` are exactly the cited passages. Both go through the one
answer API (rag/answer.Answerer), so a LlamaIndex app gets the same sources, refusals and citations as govrag."""
from __future__ import annotations

from typing import Any

from llama_index.core.base.response.schema import Response
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from pydantic import ConfigDict, Field

from rag.answer import Answerer
from rag.filters import Filters
from rag.types import Source

#: Source fields carried as node metadata (the passage itself is the node's text).
_METADATA = ("doc_id", "title", "issuer", "date", "url", "country", "language", "heading", "quote")


def as_node(source: Source) -> NodeWithScore:
    """A govrag Source as a LlamaIndex node: its id, passage, provenance and score."""
    node = TextNode(id_=source.node_id, text=source.text,
                    metadata={k: getattr(source, k) for k in _METADATA} | {"n": source.n})
    return NodeWithScore(node=node, score=source.score)


class GovragRetriever(BaseRetriever):
    """Hybrid (vector + BM25) retrieval over the govrag index, with metadata filters; each node's metadata
    includes the sentence govrag would quote from it."""

    def __init__(self, answerer: Answerer, top_k: int | None = None, filters: Filters | None = None):
        super().__init__()
        self._answerer, self._top_k, self._filters = answerer, top_k, filters

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [as_node(s) for s in self._answerer.search(query_bundle.query_str, self._top_k, self._filters)]


class GovragQueryEngine(CustomQueryEngine):
    """The verified answer: `str(response)` is govrag's text, `source_nodes` the cited passages (none when the
    corpus does not cover the question), `metadata["govrag"]` the whole typed answer as JSON."""
    model_config = ConfigDict(arbitrary_types_allowed=True)
    answerer: Any = Field(description="a rag.answer.Answerer")
    top_k: int | None = None
    filters: Any = None

    def custom_query(self, query_str: str) -> Response:
        result = self.answerer.ask(query_str, self.top_k, self.filters)
        cited = {c.n for c in result.citations}
        return Response(response=result.answer, source_nodes=[as_node(s) for s in result.sources if s.n in cited],
                        metadata={"govrag": result.to_json()})
