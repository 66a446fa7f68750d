"""Chinese as a first-class language, end to end on the whole default corpus with the bundled models: Chinese
questions about English documents, English questions only a Chinese passage answers, the answer's frame in the
asker's language, and the multilingual-embedder setting's code path."""
from dataclasses import replace

import pytest

from rag.answer import Answerer
from rag.config import RagConfig
from rag.chinese_names import named_by_rendering
from rag.retrieve import Retriever

pytestmark = pytest.mark.slow

GAIGI = "Global AI Governance Initiative"
UNICEF = "Policy guidance on AI for children"


def test_a_chinese_question_about_an_english_document_is_searched_in_english(retriever):
    query = retriever.query("联合国儿童基金会的人工智能政策指南怎样保障儿童的隐私?")
    assert "privacy" in query.english and "United Nations Children's Fund" in query.english
    assert UNICEF in [s.title for s in retriever.search(query.question, 3, query=query)]


def test_an_english_question_reaches_the_passage_indexed_only_in_chinese(retriever):
    sources = retriever.search("Who backs creating a global body for governing AI within the United Nations "
                               "framework, to narrow the intelligence gap of developing countries?", 5)
    assert any(s.language == "zh" and "智能鸿沟" in s.text for s in sources)


def test_a_chinese_title_in_book_marks_names_the_english_document(retriever):
    titles = retriever.query("《新一代人工智能伦理规范》对人机交互有什么规定?").titles
    assert named_by_rendering(titles, retriever.catalogue()) == {
        next(d for d, t in retriever.documents() if t.startswith("The Ethical Norms for the New Generation"))}
    assert named_by_rendering(retriever.query("《量子计算安全法》有什么规定?").titles, retriever.catalogue()) == set()


def test_a_chinese_answer_has_a_chinese_frame_and_says_its_quotes_are_english(answerer):
    result = answerer.ask("经合组织的人工智能原则对可信人工智能的国际合作提出了什么要求?")
    assert not result.refused and result.language == "zh"
    assert any("OECD" in c.title for c in result.citations)  # 经合组织 → OECD (two OECD texts are indexed)
    assert result.searched_as.startswith("以英文检索:") and "经合组织 →" in result.searched_as
    assert result.answer.startswith("来源原文:") and "(英文原文)" in result.answer
    assert result.to_json()["searched_as"] == result.searched_as


def test_a_chinese_question_the_corpus_cannot_answer_is_declined_in_chinese(answerer):
    result = answerer.ask("怎样做一道好吃的麻婆豆腐?")
    assert result.refused and result.citations == [] and result.answer.startswith("语料库未涵盖这个问题")
    fine = answerer.ask("欧盟《人工智能法》规定的最高罚款是多少?")
    assert fine.refused and fine.citations == []  # an amount no passage states, or nothing close: never quoted
    law = answerer.ask("韩国《人工智能基本法》如何界定高影响人工智能?")
    assert law.verdict == "not_indexed" and law.citations == []
    assert law.answer.startswith("《人工智能基本法》不在已索引的")


def test_an_english_answer_quoting_the_chinese_passage_says_it_is_chinese(answerer):
    result = answerer.ask("What does the Global AI Governance Initiative say about the intelligence gap and "
                          "developing countries?")
    assert not result.refused and GAIGI in {c.title for c in result.citations}
    line = next(line for line in result.answer.splitlines() if "智能鸿沟" in line)
    assert line.endswith("(in Chinese)")
    assert result.searched_as.startswith("Also searched in Chinese as:") and "发展中国家" in result.searched_as


def test_the_multilingual_embedder_setting_embeds_chinese_as_asked_and_trusts_its_cosine(full_index, chat_model):
    retriever = Retriever(replace(full_index, embed_multilingual=True))
    query = retriever.query("全球人工智能治理倡议如何看待智能鸿沟?")
    assert retriever.embedded_text(query) == query.question  # not the English rendering
    answer = Answerer(retriever, None, RagConfig()).ask(query.question)
    assert answer.sources and answer.language == "zh"
    assert {s.title for s in answer.sources} & {GAIGI}


def test_a_chinese_follow_up_about_the_document_under_discussion(answerer):
    first = answerer.ask("What does the Global AI Governance Initiative say about developing countries?")
    follow = answerer.ask("那它对联合国有什么主张?", previous=first.turn)
    assert follow.question == "《全球人工智能治理倡议》对联合国有什么主张?" and follow.language == "zh"
    assert follow.within == ("全球人工智能治理倡议",) and any("联合国框架" in c.quote for c in follow.citations)
    gap = answerer.ask("它有没有规定罚款?", previous=follow.turn)  # its most specific word, 罚款 (fine), is absent
    assert gap.verdict == "not_stated" and gap.answer.startswith("《全球人工智能治理倡议》在任何段落中都没有提到“罚款”")


def test_a_company_the_dictionary_names_is_a_name_and_a_chinese_comparison_reaches_its_documents(answerer):
    retriever = answerer.retriever
    # jieba tags 微软 an adjective and 谷歌 a person; the dictionary writes both as proper nouns
    assert ("Microsoft corporation", "Microsoft") in retriever.query("微软怎么看人脸识别?").names
    tsinghua = retriever.query("清华大学的傅莹团队提出的六项原则对国际法有什么要求?")
    titles = dict(answerer.documents())  # one word, "Tsinghua", resolves
    assert any(titles[d].startswith("Fu Ying") for d in answerer.read(tsinghua.question, tsinghua).named)
    first = answerer.ask("经合组织人工智能原则对透明度有什么要求?")
    google = answerer.ask("谷歌的原则在这方面有什么不同?", previous=first.turn)
    assert len(google.within) == 2 and any("Google" in t for t in google.within)
    assert google.other_reading == "谷歌的原则对透明度怎么说?"
