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


def test_a_sentence_attributed_to_someone_else_is_not_supported():
    from rag.citations import judge, misattributed
    from rag.types import Source

    text = ("AI should be designed within explicit operational requirements and undergo exhaustive testing to "
            "ensure that it responds safely to unanticipated situations and does not evolve in unexpected ways.")
    cigi = Source(1, "n", "d", "Toward a G20 Framework for Artificial Intelligence in the Workplace",
                  "Centre for International Governance Innovation (CIGI)", "2018", "", "Canada", "en", "", text, 0.7)
    claim = "The G20 says that AI should undergo exhaustive testing to ensure it does not evolve in unexpected ways."
    assert misattributed(claim, cigi) and judge(claim, cigi) == 0.0
    plain = "AI should undergo exhaustive testing to ensure it does not evolve in unexpected ways."
    assert judge(plain, cigi) >= 0.8  # the same words, not put in the G20's mouth, are supported
    g20 = Source(1, "n", "d", "G20 AI Principles", "G20 Ministerial Meeting on Trade and Digital Economy", "2019",
                 "", "G20", "en", "", text, 0.7)
    assert not misattributed(claim, g20) and not misattributed("Governments call for testing.", cigi)
