"""The answer's fixed words in each language: every table complete, and the English ones what the API exports."""
import dataclasses
import re

from rag.answer import EVIDENCE_HEADING, MODEL_FAILED, RELATED_HEADING
from rag.answer_text import DOCUMENTS_LEAD, answer_text
from rag.reading import REFUSAL
from rag.types import AnswerResult, Evidence, EvidenceGroup, Source
from rag.wording import CHINESE, ENGLISH, WORDINGS, wording


def test_every_language_has_every_fixed_word_with_the_same_placeholders():
    for field in dataclasses.fields(ENGLISH):
        english, chinese = getattr(ENGLISH, field.name), getattr(CHINESE, field.name)
        if isinstance(english, dict):
            assert english.keys() == chinese.keys(), field.name
            pairs = [(english[k], chinese[k]) for k in english]
        else:
            pairs = [(english, chinese)]
        for en, zh in pairs:
            assert zh and zh != en, field.name
            assert set(re.findall(r"\{\w+\}", en)) == set(re.findall(r"\{\w+\}", zh)), (field.name, en)
    assert (EVIDENCE_HEADING, RELATED_HEADING, MODEL_FAILED, REFUSAL, DOCUMENTS_LEAD) == (
        ENGLISH.evidence_heading, ENGLISH.related_heading, ENGLISH.model_failed, ENGLISH.refusal,
        ENGLISH.documents_lead)
    assert wording("fr") is ENGLISH and set(WORDINGS) == {"en", "zh"}


def test_a_quote_in_the_other_language_says_which_it_is():
    source = Source(n=1, node_id="a", doc_id="d", title="Global AI Governance Initiative", issuer="CAC", date="2023",
                    url="", country="China", language="zh", heading="", text="弥合智能鸿沟。", score=0.5)
    english = AnswerResult("q", [source], "quotes_only",
                           evidence=(EvidenceGroup(ENGLISH.evidence_heading, (Evidence(1, "弥合智能鸿沟。"),)),))
    assert answer_text(english).endswith("“弥合智能鸿沟。” (in Chinese)")
    chinese = dataclasses.replace(english, language="zh", sources=[dataclasses.replace(source, language="zh")])
    assert not answer_text(chinese).endswith(")")  # a Chinese quote in a Chinese answer needs no label
    restored = AnswerResult.from_json(dataclasses.replace(english, language="zh", searched_as="以英文检索:x").to_json())
    assert restored.language == "zh" and restored.searched_as == "以英文检索:x"
