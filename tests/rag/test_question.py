import pytest

from rag.question import QuestionError, checked_question, clean_question


def test_clean_question_keeps_the_words_and_drops_what_is_not_text():
    assert clean_question("What\x00 does\x07 the \x1b[31mOECD\x1b[0m say?\x08") == "What does the OECD say?"
    assert clean_question("\u202eWhat about privacy?\u202c") == "What about privacy?"  # no bidi override
    assert clean_question(" a\n\tb \u3000c ") == "a b c"
    assert clean_question("cafe\u0301") == "café"  # NFC
    assert clean_question("\ud800 privacy") == "? privacy"  # a lone surrogate cannot reach the tokenizers
    assert clean_question("🤖🇪🇺👍🏽 ماذا 人工智能") == "🤖🇪🇺👍🏽 ماذا 人工智能"
    assert clean_question("\x00\x1b[2J \u202e") == ""


def test_checked_question_says_what_is_wrong():
    assert checked_question("  privacy? ", 20) == "privacy?"
    with pytest.raises(QuestionError, match="empty"):
        checked_question("\x00 \u202e", 20)
    with pytest.raises(QuestionError, match="21 characters long; the limit is 20"):
        checked_question("x" * 21, 20)
