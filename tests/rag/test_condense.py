"""Follow-ups become standalone questions before retrieval; standalone questions pass unchanged."""
import pytest

from rag.condense import condense, topic_of

OECD = "What do the OECD Principles say about international co-operation for trustworthy AI?"
NAMES = {"g20", "china", "the organisation for economic co-operation and development (oecd)"}


@pytest.mark.parametrize("follow_up, standalone", [
    ("and what does the G20 say about that?",
     "What does the G20 say about international co-operation for trustworthy AI?"),
    ("How does China approach this?", "How does China approach international co-operation for trustworthy AI?"),
    ("What about UNESCO?", "What does UNESCO say about international co-operation for trustworthy AI?"),
    ("And the G20?", "What does the G20 say about international co-operation for trustworthy AI?"),
    ("what about china", "What does china say about international co-operation for trustworthy AI?"),
    ("And privacy?", "What do the OECD Principles say about privacy?"),
    ("What about human oversight?", "What do the OECD Principles say about human oversight?"),
])
def test_follow_ups_are_condensed(follow_up, standalone):
    assert condense(follow_up, OECD, NAMES) == standalone


@pytest.mark.parametrize("question", [
    "What does the Beijing AI Principles say about privacy?",
    "How should AI protect children?",
    "And which documents mention an international AI governance institution under the United Nations?",
])
def test_standalone_questions_pass_unchanged(question):
    assert condense(question, OECD, NAMES) == question


def test_first_question_of_a_conversation_is_never_rewritten():
    assert condense("and what does the G20 say about that?", None) == "and what does the G20 say about that?"


def test_a_question_without_a_topic_phrase_is_quoted_whole():
    assert topic_of("How should AI protect children?") == ("", "‘how should AI protect children’")
    assert condense("And the G20?", "How should AI protect children?", NAMES) == \
        "What does the G20 say about ‘how should AI protect children’?"
    assert topic_of("EU rules on biometrics?") == ("EU rules on ", "biometrics")
    assert condense("And transparency?", "How should AI protect children?") == \
        "What do the documents say about transparency?"
