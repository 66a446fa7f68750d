"""How a question is read and when the answer declines (rag/reading.py), on a hand-made catalogue."""
from rag.named import catalogue
from rag.reading import declined, read_question, topic_words
from rag.types import Source

DOCS = {"asilomar": "An arms race in lethal autonomous weapons should be avoided. AI research should be beneficial.",
        "toronto": "States must train officials in human rights. Systems are audited every year."}
META = [{"doc_id": "asilomar", "title": "Asilomar AI Principles", "issuer": "Future of Life Institute", "date": "2017"},
        {"doc_id": "toronto", "title": "The Toronto Declaration", "issuer": "Amnesty International", "date": "2018"}]
INDEX = catalogue((m, DOCS[m["doc_id"]]) for m in META)


def _source(doc: str) -> Source:
    meta = next(m for m in META if m["doc_id"] == doc)
    return Source(n=1, node_id=doc, doc_id=doc, title=meta["title"], issuer=meta["issuer"], date=meta["date"],
                  url="", country="", language="en", heading="", text=DOCS[doc], score=0.6)


def _decline(question: str):
    reading = read_question(question, INDEX)
    return declined(question, reading, [_source(d) for d in sorted(reading.named)] or [_source("toronto")], 2,
                    DOCS.__getitem__)


def test_topic_words_leave_out_names_and_question_words():
    assert [w for _, w in topic_words("What do the Asilomar AI Principles say about quantum computing?")] == \
        ["quantum", "computing"]


def test_a_named_document_that_mentions_none_of_the_topic_is_not_stated():
    verdict, lead = _decline("What do the Asilomar AI Principles say about quantum computing?")
    assert verdict == "not_stated" and "“quantum” or “computing”" in lead
    assert _decline("What do the Asilomar AI Principles say about an arms race?") is None  # it does


def test_declines_in_order_not_indexed_then_detail_then_unmentioned():
    assert _decline("What does the EU AI Act say about arms races?")[0] == "not_indexed"
    assert _decline("How much money does the Toronto Declaration give to officials?")[0] == "not_stated"
    assert _decline("When was the Toronto Declaration published?") is None  # its own date answers
    assert _decline("When must officials be trained under the Toronto Declaration?")[0] == "not_stated"
    assert _decline("How often does the Toronto Declaration say systems are audited?") is None
