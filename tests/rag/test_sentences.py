"""Sentence spans: each sentence is the passage's own characters, so a quote can be marked where it stands."""
from rag.sentences import sentence_spans, split_sentences, strip_citation_marks
from rag.terms import content_terms


def test_text_helpers_handle_chinese_and_citation_marks():
    assert split_sentences("增强代表性。积极支持联合国！Next one. Last") == ["增强代表性。", "积极支持联合国！", "Next one.", "Last"]
    assert strip_citation_marks("Governments should act [1][2, 3].") == "Governments should act."
    assert content_terms("联合国") == {"联合", "联合国"}  # jieba's word and the dictionary word inside it


def test_spans_are_verbatim_and_in_order_across_blocks_and_list_items():
    text = "  Intro words. Second one!\n\n- a) first item. still item\nb) Next\tpoint?  Tail  "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Intro words.", "Second one!", "- a) first item.", "still item",
                                             "b) Next\tpoint?", "Tail"]
    assert all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:]))
    assert sentence_spans("") == [] and sentence_spans(" \n\n ") == []


def test_abbreviations_stay_inside_their_sentence():
    text = "Systems, e.g. chatbots, must follow Art. 5 of the U.S. rules. The EU adopted No. 4 in 2024. Next?"
    assert split_sentences(text) == ["Systems, e.g. chatbots, must follow Art. 5 of the U.S. rules.",
                                     "The EU adopted No. 4 in 2024.", "Next?"]
    assert [text[a:b] for a, b in sentence_spans(text)] == split_sentences(text)
