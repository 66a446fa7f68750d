"""The fixed words of an answer, in the asker's language: English, or Chinese for a question asked in Chinese.

Headings, leads, refusals, verdict badges and notices follow the question; quotes never do (they are verbatim,
and a quote in the other language says so). One table per language, the same keys in each (tests check it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Language = Literal["en", "zh"]


@dataclass(frozen=True)
class Wording:
    #: Heads the quoted, cited source sentences of every answer that does not decline.
    evidence_heading: str
    #: Heads the passages shown, uncited, under an answer that declines (not_indexed, not_stated).
    related_heading: str
    #: Opens the list of the documents a question asked for (which documents …; who issued …, when).
    documents_lead: str
    refusal: str
    model_failed: str
    model_busy: str
    absent: str
    not_a_document_kind: str
    not_a_document: str
    cannot_say: str
    not_stated: str
    not_mentioned_one: str
    not_mentioned_many: str
    #: A follow-up about the document under discussion that it does not answer (rag/condense.py).
    not_in_document: str
    not_stated_in_document: str
    not_mentioned_in_document: str
    or_word: str
    #: The detail kinds of rag/detail.py as the not_stated lead names them.
    details: dict[str, str]
    #: A quote in the other language says which it is: "(in Chinese)".
    quote_language: dict[str, str]
    #: How a question was searched in the other language, and how a follow-up was read.
    searched_as: dict[str, str]
    read_as: str
    within: str
    other_reading: str
    compare_heading: str
    #: Verdict badges (the chat) and verdict words (the Markdown export).
    badges: dict[str, str]
    verdict_words: dict[str, str]
    removed: str


ENGLISH = Wording(
    evidence_heading="What the sources say:",
    related_heading="Related passages (they do not answer the question, and are not cited as if they did):",
    documents_lead="Documents (issuer, country, date):",
    refusal=("The corpus does not cover this question: no document in the index is close enough to it to quote. "
             "Try other words, or add documents on the topic with `govrag ingest`."),
    model_failed=("The language model failed ({error}), so this answer gives the cited quotes only. "
                  "Check the model backend (see the server log)."),
    model_busy=("The language model was busy with other questions for {seconds:g} s, so this answer gives the cited "
                "quotes only. Ask again for a summary, or give the server a model that serves several users "
                "(README, Deployment)."),
    absent="“{name}” does not occur in any of the {documents} indexed documents.",
    not_a_document_kind="The {name} is not among the {documents} indexed documents.",
    not_a_document="“{name}” is not the issuer or title of any of the {documents} indexed documents.",
    cannot_say="The corpus cannot say what the question asks.",
    not_stated=("The documents that match this question do not state {detail} it asks for: none of their "
                "passages holds one."),
    not_mentioned_one="The document the question names does not mention {words} in any passage.",
    not_mentioned_many="The documents the question names do not mention {words} in any passage.",
    not_in_document="{document} says nothing close enough to this question to quote; its nearest passage is below.",
    not_stated_in_document="{document} does not state {detail} asked for: none of its passages holds one.",
    not_mentioned_in_document="{document} does not mention {words} in any passage.",
    or_word=" or ",
    details={"amount": "the amount", "share": "the share or percentage", "count": "the number", "date": "the date"},
    quote_language={"zh": "(in Chinese)", "en": "(in English)"},
    searched_as={"en": "Searched in English as: {words}", "zh": "Also searched in Chinese as: {words}"},
    read_as="Follow-up read as: “{question}”",
    within="Searching within: {titles}",
    other_reading="Or did you mean: “{question}”",
    compare_heading="Compare {a} and {b} on: {topic}",
    badges={"supported": "✓ Supported: every sentence is quoted from, or checked against, a cited source.",
            "partly_supported": "⚠ Partly supported: {n} sentence(s) the model wrote were removed because no "
                                "source supports them.",
            "quotes_only": "✓ Quotes only: every sentence is quoted verbatim from a cited source; the language "
                           "model gave no synthesis.",
            "refused": "✗ Not covered by the corpus.",
            "not_indexed": "✗ Not in the corpus.",
            "not_stated": "✗ Not stated in the cited documents."},
    verdict_words={"supported": "supported by the cited sources",
                   "partly_supported": "partly supported (unsupported model sentences were removed)",
                   "quotes_only": "quotes only (the language model gave no synthesis)",
                   "refused": "not covered by the indexed documents",
                   "not_indexed": "what the question asks about is not among the indexed documents",
                   "not_stated": "the cited documents do not state the detail asked for"},
    removed="Removed, no source supports them:",
)

CHINESE = Wording(
    evidence_heading="来源原文:",
    related_heading="相关段落(它们并未回答这个问题,因此不作为依据引用):",
    documents_lead="文件(发布方、国家、日期):",
    refusal="语料库未涵盖这个问题:索引中没有足够相关、可供引用的文件。请换一种说法,或用 `govrag ingest` 添加相关文件。",
    model_failed="语言模型出错({error}),因此本回答只给出引用的原文。请检查模型后端(见服务器日志)。",
    model_busy="语言模型正忙于回答其他问题(已等待 {seconds:g} 秒),因此本回答只给出引用的原文。可再问一次以获得概述。",
    absent="已索引的 {documents} 份文件中都没有出现“{name}”。",
    not_a_document_kind="{name}不在已索引的 {documents} 份文件之中。",
    not_a_document="“{name}”不是已索引的 {documents} 份文件中任何一份的发布方或标题。",
    cannot_say="语料库无法回答这个问题。",
    not_stated="与这个问题相关的文件没有给出所问的{detail}:其段落中都没有这一信息。",
    not_mentioned_one="问题所指的文件在任何段落中都没有提到{words}。",
    not_mentioned_many="问题所指的文件在任何段落中都没有提到{words}。",
    not_in_document="{document}中没有与这个问题足够接近、可供引用的内容;下面是其中最接近的段落。",
    not_stated_in_document="{document}没有给出所问的{detail}:其段落中都没有这一信息。",
    not_mentioned_in_document="{document}在任何段落中都没有提到{words}。",
    or_word="或",
    details={"amount": "金额", "share": "比例或百分比", "count": "数量", "date": "日期"},
    quote_language={"zh": "(中文原文)", "en": "(英文原文)"},
    searched_as={"en": "以英文检索:{words}", "zh": "亦以中文检索:{words}"},
    read_as="追问理解为:“{question}”",
    within="仅在以下文件中检索:{titles}",
    other_reading="或者您是想问:“{question}”",
    compare_heading="比较{a}与{b}:{topic}",
    badges={"supported": "✓ 有据:每句话都引自或核对过所引用的来源。",
            "partly_supported": "⚠ 部分有据:模型写出的 {n} 句话因无来源支持而被删除。",
            "quotes_only": "✓ 仅引用原文:每句话都逐字引自所引用的来源;语言模型未给出概述。",
            "refused": "✗ 语料库未涵盖。",
            "not_indexed": "✗ 不在语料库中。",
            "not_stated": "✗ 所引用的文件没有说明。"},
    verdict_words={"supported": "有所引用来源的支持",
                   "partly_supported": "部分有据(无依据的模型语句已删除)",
                   "quotes_only": "仅引用原文(语言模型未给出概述)",
                   "refused": "已索引的文件未涵盖",
                   "not_indexed": "问题所问的内容不在已索引的文件之中",
                   "not_stated": "所引用的文件没有给出所问的细节"},
    removed="已删除(没有来源支持):",
)

WORDINGS: dict[str, Wording] = {"en": ENGLISH, "zh": CHINESE}


def wording(language: str) -> Wording:
    """The fixed words for an answer in `language` (English for any language without a table)."""
    return WORDINGS.get(language, ENGLISH)
