"""Names in a Chinese question read into rag/named.py's rules (rag/chinese_names.py), on a small hand-made
catalogue; the same on the whole corpus with the real dictionary: tests/rag/test_chinese_answers.py."""
from rag.bridge import WrittenTitle
from rag.chinese_names import named_by_names, unindexed_titles
from rag.named import catalogue

DOCS = [{"doc_id": "robots", "title": "Report on Civil Law Rules on Robotics", "issuer": "European Parliament"},
        {"doc_id": "tencent", "title": "ARCC: An Ethical Framework for AI", "issuer": "Tencent Research Institute"}]
INDEX = catalogue((doc, "") for doc in DOCS)


def test_a_chinese_title_of_a_law_or_treaty_that_no_indexed_document_is_is_missing():
    law = WrittenTitle("人工智能基本法", (frozenset({"basic"}), frozenset({"law", "method"})))
    treaty = WrittenTitle("人工智能公约", (frozenset({"convent"}),))
    report = WrittenTitle("机器人民法规则报告", (frozenset({"robot"}), frozenset({"civil"}), frozenset({"law"}),
                                           frozenset({"rule"}), frozenset({"report"})))
    declaration = WrittenTitle("布莱切利宣言", (frozenset({"declar"}),))  # soft law: never judged absent
    missing = unindexed_titles([law, treaty, report, declaration], INDEX)
    assert [(m.name.text, m.reason, m.name.kind) for m in missing] == [
        ("《人工智能基本法》", "not_a_document", "title"), ("《人工智能公约》", "not_a_document", "title")]


def test_an_organisation_a_chinese_question_names_resolves_by_its_first_english_form_that_does():
    assert named_by_names([("Tencent Holdings Limited", "Tencent")], INDEX) == {"tencent"}  # one word, too
    assert named_by_names([("Samsung",)], INDEX) == frozenset()
