"""Follow-ups become standalone questions before retrieval; standalone questions pass unchanged."""
from dataclasses import replace

import pytest

from rag.condense import condense, read_follow_up, topic_of
from rag.types import Turn

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


# --- follow-ups read against the previous turn (documents known) -------------------------------------------------

TORONTO = Turn("What does the Toronto Declaration say about discrimination?", "discrimination", ("toronto",),
               ("The Toronto Declaration",))
NAMED = {"UNESCO's Recommendation": ("unesco",), "the Safe Face Pledge": ("safe-face",),
         "腾讯研究院的ARCC伦理框架": ("arcc",), "the Hambach Declaration": ("hambach",),
         "the Toronto Declaration": ("toronto",)}


def _named_in(text: str) -> tuple[str, ...]:
    return next((docs for name, docs in NAMED.items() if name in text), ())


@pytest.mark.parametrize("follow_up, standalone", [
    ("What does it say about fines?", "What does the Toronto Declaration say about fines?"),
    ("Which officials does it want trained?", "Which officials does the Toronto Declaration want trained?"),
    ("Do they set a numerical target?", "Do the Toronto Declaration set a numerical target?"),
    ("What are its views on consent?", "What are the Toronto Declaration’s views on consent?"),
    ("What else does that document say about privacy?", "What else does the Toronto Declaration say about privacy?"),
    ("Are firms also answerable for models they buy?", "Are firms also answerable for models they buy?"),
    ("And privacy?", "What does the Toronto Declaration say about privacy?"),
])
def test_a_reference_to_the_previous_document_is_searched_within_it(follow_up, standalone):
    read = read_follow_up(follow_up, TORONTO, named_in=_named_in)
    assert (read.kind, read.question, read.within) == ("document", standalone, ("toronto",))


def test_a_chinese_reference_uses_the_chinese_title_or_keeps_the_pronoun():
    read = read_follow_up("那它对发展中国家提出了哪些具体做法?", replace(TORONTO, documents=("gaigi",)),
                          chinese_titles={"gaigi": "全球人工智能治理倡议"})
    assert read.question == "《全球人工智能治理倡议》对发展中国家提出了哪些具体做法?" and read.within == ("gaigi",)
    kept = read_follow_up("该文件对隐私有什么规定?", TORONTO)  # no Chinese title: an English one would read as English
    assert kept.question == "该文件对隐私有什么规定?" and kept.within == ("toronto",)


@pytest.mark.parametrize("follow_up, other, topic", [
    ("How does that compare with UNESCO's Recommendation?", "unesco", "discrimination"),
    ("How does the Safe Face Pledge differ on government surveillance?", "safe-face", "government surveillance"),
    ("那腾讯研究院的ARCC伦理框架在隐私问题上跟它有什么不同?", "arcc", "隐私"),
])
def test_a_comparison_with_the_previous_document(follow_up, other, topic):
    read = read_follow_up(follow_up, TORONTO, named_in=_named_in)
    assert read.kind == "compare" and read.compare == ("toronto", other) and read.search == topic
    assert read.other  # the other reading: what the other document alone says


def test_a_topic_moved_to_one_named_document_is_searched_inside_it():
    read = read_follow_up("What does the Hambach Declaration say about that?", TORONTO, named_in=_named_in)
    assert read.question == "What does the Hambach Declaration say about discrimination?"
    assert read.within == ("hambach",) and read.kind == "topic"


def test_an_ambiguous_reference_offers_the_other_reading_and_a_list_question_keeps_its_pronouns():
    two = replace(TORONTO, documents=("toronto", "montreal"),
                  titles=("The Toronto Declaration", "Montréal Declaration"))
    read = read_follow_up("What does it say about consent?", two)
    assert read.within == ("toronto",) and read.other == "What does the Montréal Declaration say about consent?"
    listing = read_follow_up("Which documents say they will never build weapons?", TORONTO)
    assert listing.kind == "new" and listing.within == ()


def _issuer_documents(text: str, topic: str) -> tuple[str, ...]:
    """Google issued two documents here; the one closer to the topic comes first."""
    if "Google" in text or "谷歌" in text or "微软" in text:
        return ("google-practices", "google-principles") if topic == "privacy" else ("google-principles",)
    return ()


@pytest.mark.parametrize("follow_up, other", [
    ("And how do Google's principles differ?", "google-principles"),  # an issuer of several: its closest document
    ("Is UNESCO's Recommendation any different?", "unesco"),
    ("Does the Safe Face Pledge go further?", "safe-face"),
    ("What about UNESCO's Recommendation, does it go further?", "unesco"),
    ("谷歌的原则在这方面有什么不同?", "google-principles"),
    ("和腾讯研究院的ARCC伦理框架比较一下", "arcc"),
    ("微软呢?", "google-principles"),
])
def test_more_ways_to_ask_for_a_comparison(follow_up, other):
    read = read_follow_up(follow_up, TORONTO, named_in=_named_in, issuer_documents=_issuer_documents)
    assert read.kind == "compare" and read.compare == ("toronto", other) and read.search == "discrimination"


@pytest.mark.parametrize("follow_up, kind", [("Is transparency different?", "new"),  # not "What does transparency say"
                                             ("Is it any different?", "document")])  # the document itself
def test_a_loose_comparison_needs_a_name(follow_up, kind):
    assert read_follow_up(follow_up, TORONTO, named_in=_named_in, issuer_documents=_issuer_documents).kind == kind


def test_a_chinese_question_s_topic_and_a_bare_chinese_topic_follow_up():
    assert topic_of("经合组织人工智能原则对透明度有什么要求?") == ("", "透明度")
    assert topic_of("该倡议关于发展中国家的立场是什么?") == ("", "发展中国家")
    assert topic_of("它对从业者的专业能力还有什么要求?") == ("", "从业者的专业能力")  # not "…能力还"
    first = Turn("经合组织人工智能原则对透明度有什么要求?", "透明度", ("oecd",), ("OECD AI Principles",), "zh")
    compared = read_follow_up("跟腾讯研究院的ARCC伦理框架相比呢?", first, named_in=_named_in)
    assert compared.compare == ("oecd", "arcc") and compared.other == "腾讯研究院的ARCC伦理框架对透明度怎么说?"
    same = read_follow_up("那隐私呢?", first, chinese_titles={"oecd": "经合组织人工智能原则"})
    assert (same.kind, same.question, same.within) == ("document", "《经合组织人工智能原则》对隐私怎么说?", ("oecd",))
    titled = read_follow_up("那旷视的《人工智能应用准则》呢?", first)  # a title, not a topic: never "该文件对《…》"
    assert titled.within == ()


@pytest.mark.parametrize("follow_up, pair, on", [
    ("On privacy, how does the Toronto text compare with UNESCO's Recommendation?", ("toronto", "unesco"), "privacy"),
    ("How does that declaration compare with the Safe Face Pledge when it comes to policing?", ("toronto", "safe-face"),
     "policing"),
    ("How does its treatment of consent compare with UNESCO's Recommendation?", ("toronto", "unesco"), "consent"),
    ("在隐私保护上,它和腾讯研究院的ARCC伦理框架相比有什么不同?", ("toronto", "arcc"), "隐私保护"),
    ("它与腾讯研究院的ARCC伦理框架是否一致?", ("toronto", "arcc"), "discrimination"),
])
def test_a_comparison_asked_in_other_words_names_the_other_document(follow_up, pair, on):
    read = read_follow_up(follow_up, TORONTO, named_in=_named_in)
    assert (read.kind, read.compare, read.search) == ("compare", pair, on)


def test_the_kind_of_the_previous_document_and_who_questions_refer_to_it():
    directive = Turn("Who checks automated decisions under the Directive on Automated Decision-Making?", "",
                     ("adm",), ("Directive on Automated Decision-Making",))
    read = read_follow_up("What fines does the directive set?", directive)
    assert read.within == ("adm",)
    assert read.question == "What fines does the Directive on Automated Decision-Making set?"
    assert read_follow_up("What does the report say about fines?", directive).within == ("adm",)  # "report": generic
    assert read_follow_up("What does the declaration say about fines?", directive).within == ()  # not its kind
    assert read_follow_up("Who does it say gets to decide?", TORONTO).within == ("toronto",)
    # the previous document as subject: "which principles" asks what it holds, not which documents
    assert read_follow_up("它对数据保护提到了哪些核心原则?", TORONTO, lists=True).within == ("toronto",)
