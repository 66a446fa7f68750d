"""Quote choice returns quoted copies with the quote's span; the retrieved sources are left as they were."""
from rag.quotes import with_quotes
from rag.terms import content_terms


def _overlap(question: str, sentences: list[str]) -> list[float]:
    asked = content_terms(question)
    return [len(asked & content_terms(s)) / (len(content_terms(s)) or 1) for s in sentences]


def test_each_source_quotes_its_closest_sentence_with_its_span(toronto, asilomar):
    from dataclasses import replace

    long = replace(toronto, text="Preamble words here. " + toronto.text + "\nA closing line on budgets.")
    quoted = with_quotes("training officials in human rights", [long, asilomar], _overlap)
    assert quoted[0].quote == toronto.text and quoted[1].quote == asilomar.text
    for source in quoted:
        start, end = source.quote_span
        assert source.text[start:end] == source.quote
    assert long.quote == "" and long.quote_span is None  # the input is not changed


def test_a_passage_without_sentences_is_quoted_whole(toronto):
    from dataclasses import replace

    empty = replace(toronto, text="")
    assert with_quotes("anything", [empty], _overlap)[0].quote_span == (0, 0)
