"""govrag composed into a LlamaIndex app: its retriever under LlamaIndex's own query engine and postprocessor,
and its query engine's Response carrying exactly the cited passages."""
from llama_index.core.postprocessor import SimilarityPostprocessor
from llama_index.core.query_engine import RetrieverQueryEngine

from rag.filters import Filters
from rag.llama_components import GovragQueryEngine, GovragRetriever
from rag.llama_llm import ChatModelLLM

QUESTION = "What do the Asilomar AI Principles say about an arms race in lethal autonomous weapons?"


def test_retriever_inside_a_llama_index_query_engine(answerer):
    retriever = GovragRetriever(answerer, top_k=5)
    nodes = retriever.retrieve(QUESTION)
    assert [n.node.node_id for n in nodes] == [s.node_id for s in answerer.search(QUESTION, 5)]
    assert nodes[0].node.metadata["title"] == "Asilomar AI Principles" and nodes[0].node.metadata["quote"]
    engine = RetrieverQueryEngine.from_args(retriever, llm=ChatModelLLM.of(answerer.llm, 30),
                                            node_postprocessors=[SimilarityPostprocessor(similarity_cutoff=0.5)])
    response = engine.query(QUESTION)
    assert str(response).strip() and response.source_nodes
    assert all(n.score >= 0.5 for n in response.source_nodes)
    chinese = GovragRetriever(answerer, top_k=3, filters=Filters(language="zh")).retrieve("international cooperation")
    assert chinese and all(n.node.metadata["language"] == "zh" for n in chinese)


def test_query_engine_response_is_the_verified_answer_with_the_cited_passages(answerer):
    response = GovragQueryEngine(answerer=answerer).query(QUESTION)
    result = answerer.ask(QUESTION)
    assert str(response) == result.answer
    cited = {c.n for c in result.citations}
    assert [n.node.node_id for n in response.source_nodes] == [s.node_id for s in result.sources if s.n in cited]
    assert response.metadata["govrag"]["verdict"] == result.verdict
    refused = GovragQueryEngine(answerer=answerer).query("Which football club won the 2022 Champions League?")
    assert refused.source_nodes == [] and refused.metadata["govrag"]["refused"]
