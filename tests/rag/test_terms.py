"""Content terms: a real stemmer, and word lists that follow stated rules (rag/terms.py)."""
from rag.terms import QUESTION_WORDS, cjk_tokens, content_terms, question_terms, stem


def test_snowball_stems_join_inflections_and_keep_different_words_apart():
    assert stem("principles") == stem("principle") and stem("governing") == stem("govern")
    assert stem("international") != stem("internal")  # the old 7-letter cut made both "interna"
    assert content_terms("Transparent and transparency.") == {stem("transparency")}


def test_question_terms_drop_only_words_about_documents():
    terms = question_terms("Which guidelines of the Montreal Declaration say anything regarding privacy?")
    assert terms == {"montreal", stem("privacy")}  # "anything": an indefinite pronoun (rule 1)
    # Topic words are never question words, whatever the documents' titles hold.
    assert {"governance", "ethics", "ethical"} & QUESTION_WORDS == set()
    assert {stem("governance"), stem("ethics")} <= question_terms("What do they say on governance and ethics?")


def test_word_lists_follow_their_rules():
    # rule 1 (function words, modals, prepositions) and rule 2 (the corpus subject) say nothing about a topic
    assert content_terms("They may also act within the rules via artificial intelligence systems") == \
        {stem("act"), stem("rules")}



def test_chinese_questions_keep_their_topic_words_by_part_of_speech_not_by_a_list():
    terms = question_terms("联合国儿童基金会如何保护儿童隐私?")
    assert {"联合国儿童基金会", "儿童", "隐私", "保护"} <= terms  # nouns, verbs, the distinguishing word 隐私
    assert not terms & {"如何", "?"}  # an interrogative and punctuation carry no topic


def test_chinese_text_is_indexed_as_words_and_their_sub_words():
    tokens = cjk_tokens("发展中国家")
    assert tokens[-1] == "发展中国家" and {"发展", "国家"} <= set(tokens)
    assert cjk_tokens("发展中国家", "bigrams") == ["发展", "展中", "中国", "国家"]
