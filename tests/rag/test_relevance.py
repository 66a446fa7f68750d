"""The relevance gate: weak or off-topic retrieval is refused; a source with the question's words is cited."""
from dataclasses import replace

from rag.bridge import Query
from rag.config import RagConfig
from rag.relevance import relevant_sources


def _english(question: str) -> Query:
    return Query(question, "en", None)


def test_relevance_gate_refuses_weak_or_off_topic_retrieval(asilomar):
    config = RagConfig()
    weak = replace(asilomar, score=0.3)
    assert relevant_sources(_english("What is the capital of Australia?"), [weak], config) == []
    middling = replace(asilomar, score=0.5)
    assert relevant_sources(_english("What fine does the EU AI Act set for prohibited practices?"), [middling],
                            config) == []
    assert relevant_sources(_english("What about an arms race in lethal autonomous weapons?"), [middling],
                            config) == [middling]
