"""Content terms: a real stemmer, and word lists that follow stated rules (rag/terms.py)."""
from rag.terms import CJK_QUESTION_WORDS, QUESTION_WORDS, content_terms, question_terms, stem


def test_snowball_stems_join_inflections_and_keep_different_words_apart():
    assert stem("principles") == stem("principle") and stem("governing") == stem("govern")
    assert stem("international") != stem("internal")  # the old 7-letter cut made both "interna"
    assert content_terms("Transparent and transparency.") == {stem("transparency")}


def test_question_terms_drop_only_words_about_documents():
    terms = question_terms("Which guidelines of the Montreal Declaration say anything regarding privacy?")
    assert terms == {"montreal", stem("privacy"), stem("anything")}
    # Topic words are never question words, whatever the documents' titles hold.
    assert {"governance", "ethics", "ethical"} & QUESTION_WORDS == set()
    assert {stem("governance"), stem("ethics")} <= question_terms("What do they say on governance and ethics?")


def test_word_lists_follow_their_rules():
    # rule 1 (function words, modals, prepositions) and rule 2 (the corpus subject) say nothing about a topic
    assert content_terms("They may also act within the rules via artificial intelligence systems") == \
        {stem("act"), stem("rules")}
    assert all(len(w) == 2 for w in CJK_QUESTION_WORDS)
