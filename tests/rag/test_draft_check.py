"""The draft check keeps only model sentences a source supports, citing that source, not the model's mark."""
from rag.draft_check import check_draft


def test_supported_sentences_cite_the_supporting_source_not_the_models_mark(toronto, asilomar):
    draft = ("Public bodies should carry out training in human rights and data analysis for officials [2]. "
             "An arms race in lethal autonomous weapons should be avoided according to researchers [1]. "
             "The moon is made of cheese and governments love it [1]. "
             'The document titled "An arms race in lethal autonomous weapons should be avoided" is cited in the '
             "answer. Truncated sentence without an end")
    kept, unsupported = check_draft(draft, [toronto, asilomar], min_support=0.8)
    assert [k.source for k in kept] == [toronto.n, asilomar.n]
    assert all("[" not in k.text for k in kept) and all(k.support >= 0.8 for k in kept)
    assert unsupported == ["The moon is made of cheese and governments love it."]
