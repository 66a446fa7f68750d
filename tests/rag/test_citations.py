"""The deterministic support judge and relevance gate, on real corpus sentences."""
from rag.citations import check_draft, judge, relevant_sources
from rag.config import RagConfig
from rag.text import content_terms, split_sentences, strip_citation_marks
from rag.types import Source

TORONTO = Source(n=1, node_id="x", doc_id="toronto", title="The Toronto Declaration", issuer="Amnesty International, "
                 "Access Now", date="2018", url="", country="Canada", language="en", heading="Human Formation/Education",
                 text="States should ensure that public bodies carry out training in human rights and data analysis "
                 "for officials involved in the procurement, development, use, and review of machine learning tools.",
                 score=0.7, quote="")
ASILOMAR = Source(n=2, node_id="y", doc_id="asilomar", title="Asilomar AI Principles", issuer="Future of Life Institute",
                  date="2017", url="", country="United States of America", language="en",
                  heading="Beneficence/Non-Maleficence", text="An arms race in lethal autonomous weapons should be "
                  "avoided.", score=0.6, quote="")


def test_judge_accepts_faithful_paraphrase_and_rejects_invented_details():
    faithful = "Public bodies should carry out training in human rights and data analysis for officials."
    assert judge(faithful, TORONTO) >= 0.8
    invented_date = "The Toronto Declaration, signed on October 22, 2018, asks for training in human rights."
    invented_name = "The Canadian government must train officials in human rights and data analysis."
    assert judge(invented_date, TORONTO) == 0.0
    assert judge(invented_name, TORONTO) == 0.0
    assert judge("Amnesty International's declaration asks for training in human rights and data analysis.",
                 TORONTO) >= 0.8  # a possessive is still the named issuer
    assert judge("Lethal autonomous weapons should be banned by treaty immediately.", TORONTO) < 0.5


def test_supported_sentences_cite_the_supporting_source_not_the_models_mark():
    draft = ("Public bodies should carry out training in human rights and data analysis for officials [2]. "
             "An arms race in lethal autonomous weapons should be avoided according to researchers [1]. "
             "The moon is made of cheese and governments love it [1]. "
             'The document titled "An arms race in lethal autonomous weapons should be avoided" is cited in the answer. '
             "Truncated sentence without an end")
    kept = check_draft(draft, [TORONTO, ASILOMAR], min_support=0.8)[0]
    assert [(k.source.doc_id) for k in kept] == ["toronto", "asilomar"]
    assert all("[" not in k.text for k in kept)


def test_relevance_gate_refuses_weak_or_off_topic_retrieval():
    config = RagConfig()
    weak = Source(**{**ASILOMAR.__dict__, "score": 0.3})
    assert relevant_sources("What is the capital of Australia?", [weak], config) == []
    middling = Source(**{**ASILOMAR.__dict__, "score": 0.5})
    assert relevant_sources("What fine does the EU AI Act set for prohibited practices?", [middling], config) == []
    assert relevant_sources("What about an arms race in lethal autonomous weapons?", [middling], config) == [middling]


def test_text_helpers_handle_chinese_and_citation_marks():
    assert split_sentences("增强代表性。积极支持联合国！Next one. Last") == ["增强代表性。", "积极支持联合国！", "Next one.", "Last"]
    assert strip_citation_marks("Governments should act [1][2, 3].") == "Governments should act."
    assert {"联合", "合国"} <= content_terms("联合国")
