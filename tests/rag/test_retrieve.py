"""Hybrid retrieval, filters inside the search, related principles — on the full index, no LLM."""
import pytest

from rag.filters import FilterError, Filters, parse_years
from rag.retrieve import reciprocal_rank_fusion

GAIGI = "Global AI Governance Initiative"
CHINA_AFRICA = "2024 China-Africa Internet Development and Cooperation Forum Chair's Statement on China-Africa AI Cooperation"


def test_hybrid_finds_both_un_documents_that_vector_search_alone_misses(retriever):
    question = "Which documents call for an international AI governance institution under the United Nations?"
    hybrid = {s.title for s in retriever.search(question, 5)}
    vector = {s.title for s in retriever.search(question, 5, hybrid=False, per_doc_cap=None)}
    assert {GAIGI, CHINA_AFRICA} <= hybrid
    assert CHINA_AFRICA not in vector  # what BM25 adds: "United Nations", "institution"


def test_chinese_question_matches_chinese_text_and_titles(retriever):
    top = retriever.search("全球人工智能治理倡议如何看待智能鸿沟?", 3)
    assert top[0].title == GAIGI and "智能鸿沟" in top[0].text


def test_a_chinese_passage_sharing_one_word_takes_no_english_passage_slot(retriever):
    # The GAIGI's Chinese paragraph shares 人工智能 with every Chinese question and "AI" with every English one;
    # below the gate's word floor it could never be cited, so it must not crowd out English passages.
    for question in ("How should companies protect children's privacy when building AI toys?",
                     "德国电信的人工智能伦理指引对数据输入有什么要求?"):
        assert all(s.language != "zh" for s in retriever.search(question, 5)), question
    assert any(s.language == "zh" for s in retriever.search("What does China say about the intelligence gap?", 5))


def test_per_document_cap(retriever):
    sources = retriever.search("How should AI protect children?", 8, per_doc_cap=2)
    counts = {}
    for s in sources:
        counts[s.doc_id] = counts.get(s.doc_id, 0) + 1
    assert max(counts.values()) <= 2 and len(sources) == 8


def test_filters_apply_inside_retrieval_not_after(retriever):
    sources = retriever.search("privacy and data protection", 5, Filters(country="china", year_from=2019, year_to=2019))
    assert len(sources) == 5
    assert all(s.country == "China" and s.date.startswith("2019") for s in sources)
    # One small document: a filter applied after a global top-k would return almost nothing.
    only = retriever.search("privacy and data protection", 8, Filters(doc="Asilomar AI Principles"), per_doc_cap=None)
    assert len(only) == 8 and {s.title for s in only} == {"Asilomar AI Principles"}
    zh = retriever.search("international cooperation", 3, Filters(language="zh"))
    assert zh and all(s.language == "zh" for s in zh)


def test_filter_errors_are_specific(retriever):
    with pytest.raises(FilterError, match="issuer matching 'no such issuer'"):
        retriever.search("privacy", 5, Filters(issuer="no such issuer"))
    assert parse_years("2019..2023") == (2019, 2023) and parse_years("2019") == (2019, 2019)
    assert parse_years("..2020") == (None, 2020)
    with pytest.raises(FilterError):
        parse_years("last year")


def test_related_principles_come_from_other_documents(retriever):
    oecd = retriever.search("internationally comparable metrics", 1,
                            Filters(doc="OECD Principles on Artificial Intelligence"))[0]
    related = retriever.related(oecd.node_id, 4)
    assert related[0].title == "G20 AI Principles" and related[0].score > 0.9
    assert oecd.doc_id not in {s.doc_id for s in related}
    assert len({s.doc_id for s in related}) == 4 and all(s.issuer for s in related)


def test_reciprocal_rank_fusion_rewards_agreement():
    assert reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]]) == ["b", "a", "d", "c"]
    assert reciprocal_rank_fusion([["a"], ["d"]], weights=[1.0, 2.0]) == ["d", "a"]


def test_the_reload_check_reads_a_file_not_chroma_and_still_sees_an_ingest(tmp_path, monkeypatch):
    from ingest import store
    from ingest.config import IndexConfig
    from ingest.pipeline import ingest
    from rag import retrieve
    from tests.conftest import corpus_records, write_jsonl

    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "seed.jsonl", corpus_records("seed-principles.jsonl", limit=1))
    config = IndexConfig(data_dir=tmp_path / "data")
    ingest([corpus], config, progress=False)
    retriever = retrieve.Retriever(config)
    before = retriever.count()
    opened = []
    monkeypatch.setattr(store, "open_client", lambda *a, **k: opened.append(a) or pytest.fail("client opened"))
    monkeypatch.setattr(retrieve, "open_client", store.open_client)
    monkeypatch.setattr(retrieve, "RELOAD_CHECK_S", 0.0)
    assert not retriever.reload_if_changed() and opened == []  # unchanged: one file read, no Chroma client
    monkeypatch.undo()
    write_jsonl(corpus / "more.jsonl", corpus_records("seed-principles.jsonl")[1:2])
    ingest([corpus], config, progress=False)
    monkeypatch.setattr(retrieve, "RELOAD_CHECK_S", 0.0)
    assert retriever.reload_if_changed() and retriever.count() > before
