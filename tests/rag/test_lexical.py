"""BM25 over English and Chinese tokens, and the loud check on the bm25s attribute it relies on."""
import bm25s
import pytest

from rag.lexical import LexicalIndex

TEXTS = ["AI systems should be transparent and explainable.", "各国应加强人工智能治理合作,弥合智能鸿沟。",
         "Children's rights must be protected."]


def test_english_and_chinese_queries_find_their_passages():
    index = LexicalIndex(["en", "zh", "kids"], TEXTS, [{}, {}, {}])
    assert index.search("transparent AI", 3)[0][0] == 0
    assert index.search("智能鸿沟", 3)[0][0] == 1
    assert index.search("quantum cryptography", 3) == []


def test_a_bm25s_without_its_vocabulary_fails_loudly_instead_of_finding_nothing(monkeypatch):
    class Renamed(bm25s.BM25):  # a bm25s release that renamed vocab_dict
        def index(self, *args, **kwargs):
            super().index(*args, **kwargs)
            self.vocabulary_map = self.__dict__.pop("vocab_dict")

    monkeypatch.setattr(bm25s, "BM25", Renamed)
    with pytest.raises(RuntimeError, match=r"bm25s .* has no token vocabulary .*bm25s>=0.2.10,<0.4"):
        LexicalIndex(["en"], TEXTS[:1], [{}])
