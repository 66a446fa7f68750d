"""The naive baseline every report compares against: what a plain LlamaIndex tutorial pipeline does with the
same documents and the same two models — VectorStoreIndex with llama-index's default chunking (1,024-token
chunks, 200 overlap), top-k 2, the default text-QA prompt, no refusal and no citation check; its two
retrieved chunks are shown as its sources."""
from __future__ import annotations

import time

from rag.answer import Answerer
from rag.llama_llm import ChatModelLLM
from rag.types import AnswerResult, Citation, Source

#: llama-index's defaults (Settings.chunk_size / chunk_overlap) and the top-k of its quick-start.
CHUNK_SIZE, CHUNK_OVERLAP, TOP_K = 1024, 200, 2


class NaivePipeline:
    """Built in memory from the documents of the index govrag answers from, so both see the same corpus."""

    def __init__(self, answerer: Answerer, with_llm: bool = True):
        from llama_index.core import Document, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        from llama_index.core.base.embeddings.base import BaseEmbedding

        from ingest.embedder import load_embedder, load_word_pieces

        retriever = answerer.retriever
        docs: dict[str, list[str]] = {}
        meta: dict[str, dict] = {}
        for node_id in retriever.ids:
            m = retriever.meta[node_id]
            docs.setdefault(m["doc_id"], []).append(f"{m.get('heading', '')}\n{retriever.texts[node_id]}".strip())
            meta[m["doc_id"]] = {k: m.get(k, "") for k in ("doc_id", "title", "issuer", "date", "url", "country",
                                                           "language")}
        documents = [Document(text="\n\n".join(parts), metadata=meta[doc_id], id_=doc_id)
                     for doc_id, parts in docs.items()]
        # The default splitter, given the embedder's own tokenizer: its default (tiktoken) downloads a file.
        splitter = SentenceSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP,
                                    tokenizer=load_word_pieces(None))
        # llama-index's own embedding class, as a plain pipeline has it (govrag's may be the ONNX one)
        embedder = retriever.embedder if isinstance(retriever.embedder, BaseEmbedding) else load_embedder(
            retriever.config.embed_model, retriever.config.embed_batch_size, "torch")
        self.index = VectorStoreIndex.from_documents(documents, embed_model=embedder,
                                                     transformations=[splitter])
        self.top_k = TOP_K
        self.retriever = self.index.as_retriever(similarity_top_k=TOP_K)
        llm = answerer.llm if with_llm else None
        self.engine = (self.index.as_query_engine(similarity_top_k=TOP_K, llm=ChatModelLLM.of(
            llm, answerer.config.llm.max_new_tokens)) if llm is not None else None)

    def ask(self, question: str) -> AnswerResult:
        started = time.perf_counter()
        if self.engine is not None:
            response = self.engine.query(question)
            hits, answer = response.source_nodes, str(response).strip()
        else:
            hits, answer = self.retriever.retrieve(question), ""
        sources = [Source(n=n, node_id=hit.node.node_id, text=hit.node.get_content(), score=float(hit.score or 0.0),
                          heading="", quote=hit.node.get_content()[:300], **{k: str(hit.node.metadata.get(k, ""))
                                                                           for k in ("doc_id", "title", "issuer",
                                                                                     "date", "url", "country",
                                                                                     "language")})
                   for n, hit in enumerate(hits, 1)]
        elapsed = (time.perf_counter() - started) * 1000
        # Its prose is its whole answer, checked by nothing; its retrieved chunks are shown as its sources.
        return AnswerResult(question, sources, "unchecked", lead=answer, citations=[Citation.of(s) for s in sources],
                            timings_ms={"total": elapsed})
