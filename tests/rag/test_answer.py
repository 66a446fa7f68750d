"""End to end with the real bundled models on the whole default corpus."""
import pytest

from rag.answer import QuestionError

pytestmark = pytest.mark.slow


def _cited_titles(result):
    return {c.title for c in result.citations}


def test_un_institution_question_cites_the_right_documents(answerer):
    result = answerer.ask("Which documents call for an international AI governance institution under the United Nations?")
    assert not result.refused
    assert _cited_titles(result) & {"Global AI Governance Initiative", "2024 China-Africa Internet Development and "
                                    "Cooperation Forum Chair's Statement on China-Africa AI Cooperation"}
    retrieved = {s.n: s for s in result.sources}
    for citation in result.citations:  # every citation points to a retrieved source, with a real quote from it
        assert citation.n in retrieved and citation.doc_id == retrieved[citation.n].doc_id
        assert citation.quote and citation.quote in retrieved[citation.n].text
        assert f"[{citation.n}]" in result.answer
    assert set(result.timings_ms) == {"retrieve", "generate", "total"}


def test_specific_lookup_cites_the_named_document(answerer):
    result = answerer.ask("What do the Asilomar AI Principles say about an arms race in lethal autonomous weapons?")
    assert "Asilomar AI Principles" in _cited_titles(result)
    assert "arms race" in result.answer.lower()


def test_chinese_question_finds_the_chinese_text(answerer):
    result = answerer.ask("哪些文件支持在联合国框架下成立国际人工智能治理机构?")
    assert not result.refused
    assert "Global AI Governance Initiative" in _cited_titles(result)
    assert "联合国框架下" in result.answer


@pytest.mark.parametrize("question", ["What is the maximum fine under the EU AI Act for prohibited AI practices?",
                                      "Which football club won the 2022 Champions League?"])
def test_off_corpus_questions_are_refused_without_citations(answerer, question):
    result = answerer.ask(question)
    assert result.refused and result.citations == []
    assert "does not cover" in result.answer
    assert result.sources  # what was retrieved is still shown for transparency


def test_bad_questions_get_clear_errors(answerer):
    with pytest.raises(QuestionError, match="empty"):
        answerer.ask(" \n ")
    with pytest.raises(QuestionError, match="limit is 2000"):
        answerer.ask("why " * 1000)
