"""BM25 over the indexed nodes with tokens that work for English and Chinese.

Own code over bm25s rather than llama-index's BM25Retriever: that one tokenises with an English stemmer
(Chinese text becomes one token per run of characters, so Chinese questions find nothing) and cannot
restrict the candidates to a filter; bm25s takes our tokens and a weight mask."""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from rag.terms import terms_in_order

#: Apostrophes split words here ("children's" → "children", "s"): the BM25 index was tuned with this.
_WORDS = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]+")
#: Metadata that also identifies a node: questions name documents and issuers ("What does the OECD say ...").
LEXICAL_FIELDS = ("title", "original_title", "issuer", "heading")


def tokens(text: str) -> list[str]:
    """BM25 tokens: the citation check's content terms, in order, two-letter words ("eu", "un") kept."""
    return terms_in_order(text, min_length=2, words=_WORDS)


def indexed_vocabulary(bm25: Any) -> Mapping[str, int]:
    """The token → id map of an indexed bm25s.BM25. bm25s has no public accessor: `vocab_dict` is an attribute of
    bm25s 0.2-0.3 (pyproject pins that range). Checked here, loudly, because without it every query would
    silently find nothing."""
    vocabulary = getattr(bm25, "vocab_dict", None)
    if not isinstance(vocabulary, Mapping) or not vocabulary:
        import bm25s

        raise RuntimeError(f"bm25s {getattr(bm25s, '__version__', '?')} has no token vocabulary (BM25.vocab_dict) "
                           "after indexing; govrag needs bm25s>=0.2.10,<0.4: reinstall with `make install`")
    return vocabulary


class LexicalIndex:
    def __init__(self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[Mapping[str, Any]]):
        import bm25s

        self.ids = list(ids)
        self.metadatas = list(metadatas)
        documents = [tokens(" ".join([text] + [str(m.get(f, "")) for f in LEXICAL_FIELDS]))
                     for text, m in zip(texts, metadatas)]
        #: In how many nodes each token occurs: how specific a question's word is (rag/relevance.py).
        self.document_frequency = Counter(t for document in documents for t in set(document))
        self.bm25 = bm25s.BM25()
        if self.ids:
            self.bm25.index(documents, show_progress=False)
        self.vocabulary = indexed_vocabulary(self.bm25) if self.ids else {}

    @classmethod
    def opened(cls, ids: Sequence[str], metadatas: Sequence[Mapping[str, Any]], bm25: Any,
               document_frequency: Mapping[str, int]) -> "LexicalIndex":
        """An index built before (rag/snapshot.py), from its parts: nothing is tokenised again."""
        index = cls.__new__(cls)
        index.ids, index.metadatas = list(ids), list(metadatas)
        index.document_frequency = document_frequency
        index.bm25 = bm25
        index.vocabulary = indexed_vocabulary(bm25) if index.ids else {}
        return index

    def idf(self, term: str) -> float:
        """Inverse document frequency of a (stemmed) term over the nodes; a term no node holds weighs most."""
        return math.log((len(self.ids) + 1) / (self.document_frequency.get(term, 0) + 1)) + 1.0

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(row, score) pairs, best first; rows where `mask` is 0 are never returned."""
        query_tokens = [t for t in tokens(query) if t in self.vocabulary]
        if not query_tokens:
            return []
        scores = np.asarray(self.bm25.get_scores(query_tokens, weight_mask=mask), dtype=float)
        top = np.argsort(-scores)[:k]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
