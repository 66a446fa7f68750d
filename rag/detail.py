"""A question asking for a specific detail — an amount, a share, a count, a date — and whether a passage states
one: when no cited passage does, the answer says the documents do not state it instead of quoting the nearest
sentence as if it answered.

Rules by wording, not by topic (the same wordings in Chinese: 多少钱 / 最高罚款, 百分之多少, 多少个, 何时 …): the question's words say which detail is asked for; a passage states an amount
when it has a sum of money or a magnitude, a share when it has a percentage or a fraction, a count when it has a
number that is not a year or a list number, a date when it has a year or a month (or, for "when was it
published / adopted", the document's own date)."""
from __future__ import annotations

import re
from typing import Literal

from rag.types import Source

Detail = Literal["amount", "share", "count", "date"]

#: 多少 ("how much / how many") asks an amount when money follows it (多少罚款, 多少卢布预算), else a count
#: (多少名成员, 多少小时内): English splits the two by word, Chinese by what is counted.
_MONEY = r"钱|资金|经费|预算|罚款|罚金|费用|投资|[^\s，,。?？]{0,3}元|卢布|英镑|法郎|比索|卢比"

_ASKS = (
    ("share", re.compile(r"\b(?:what|which)\s+(?:percentage|proportion|share|fraction)\b|\bwhat\s+per\s*cent|"
                         r"百分之多少|百分比|多大比例|比例是多少|占多少", re.I)),
    ("amount", re.compile(r"\bhow\s+(?:much|large|big|high)\b|"
                          r"\b(?:maximum|minimum|total|monetary|financial)\s+(?:fines?|penalt(?:y|ies)|"
                          r"amount|budget|sum|funding)\b|\bwhat\s+(?:is\s+the\s+)?(?:amount|sum|budget)\b|"
                          r"金额|数额|(?:最高|最低)(?:罚款|罚金|处罚)|(?:罚款|罚金|预算|资金|经费|费用)(?:是|为|有)?多少|"
                          rf"多少(?:{_MONEY})", re.I)),
    ("count", re.compile(r"\bhow\s+many\b|\b(?:what|which)\s+(?:is\s+the\s+)?number\s+of\b|"
                         r"(?<![或多])多少(?!钱)|几(?:个|家|项|条|名|位|国|种|类|级|次|天|年|小时)|数量(?:是|为|有)?多少",
                         re.I)),
    ("date", re.compile(r"\b(?:by\s+)?when\s+(?:did|was|were|will|is|are|does|do|has|have|had|should|must)\b|"
                        r"\b(?:what|which)\s+(?:year|date|deadline|month)\b|\bdeadlines?\b|"
                        r"何时|什么时候|哪一?年|哪天|截止日期|期限是", re.I)),
)
#: "When was it published / issued …": the document's own date answers.
_PUBLICATION = re.compile(r"\b(?:publish|issue|adopt|release|launch|writ|wrote|author|draft|sign|present|announc|"
                          r"approv|endors|creat|produc|made|come\s+out|came\s+out)\w*", re.I)

#: "one" is left out: nearly every passage says "one of" or "no one".
_NUMBER_WORDS = ("two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen twenty "
                 "thirty forty fifty hundred hundreds thousand thousands million millions billion billions dozen "
                 "dozens").split()
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_LIST_NUMBER = re.compile(r"(?m)^\s*\(?\d+[.)]\s|\(\d+\)")
_COUNT = re.compile(r"\b\d[\d,.]*\b|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
_AMOUNT = re.compile(r"[$€£¥]\s*\d|\b\d[\d,.]*\s*(?:%|percent|per\s*cent|euros?|dollars?|pounds?|yuan|usd|eur|"
                     r"million|billion|thousand)\b|\b(?:million|billion|thousand)s?\b", re.I)
_SHARE = re.compile(r"\d\s*%|\b\d[\d,.]*\s*(?:percent|per\s*cent)\b|\b(?:half|third|quarter|majority)\b", re.I)
_DATE = re.compile(r"\b(?:19|20)\d\d\b|\b(?:january|february|march|april|may|june|july|august|september|october|"
                   r"november|december)\b", re.I)


#: The question asks about a document itself — who issued it, from where, when — which its metadata answers.
_ABOUT_DOCUMENT = re.compile(
    r"\bwho\s+(?:\w+\s+){0,2}?(?:issued|published|wrote|authored|released|adopted|prepared|drafted|produced|"
    r"developed|is\s+behind|was\s+behind|stands\s+behind)\b|\b(?:which|what)\s+(?:\w+\s+)?(?:organi[sz]ation|body|"
    r"ministry|country|company|institution|government|agency|group|university|association|department|issuer|"
    r"authority|gathering|conference)\b|\bwhere\s+(?:is|was|does|did)\b|\b(?:what|which)\s+year\b|"
    r"\bwhen\s+(?:was|were|did)\b|\b(?:from|in)\s+which\s+(?:country|year)\b|"
    r"由谁|谁(?:发布|制定|发表|提出|起草)|哪(?:个|家|一)?(?:机构|组织|国家|公司|部门|政府|大学)|何时发布|哪一?年(?:发布|发表|通过)",
    re.I)


def asks_about_document(question: str) -> bool:
    """Who issued a document, from which country, in which year: what the document's own metadata answers."""
    return bool(_ABOUT_DOCUMENT.search(question))


def asked_detail(question: str) -> Detail | None:
    """The detail the question asks for, by its wording; None for any other question."""
    return next((kind for kind, pattern in _ASKS if pattern.search(question)), None)


def states(detail: Detail, source: Source, question: str, named: frozenset[str] = frozenset()) -> bool:
    """Whether the source's passage holds a detail of this kind — or, for a date, the source's own date when the
    question asks when it was published or asks about a document it names (`named`: "what year is X from")."""
    text = source.text
    if detail == "amount":
        return bool(_AMOUNT.search(text))
    if detail == "share":
        return bool(_SHARE.search(text))
    if detail == "count":
        text = _LIST_NUMBER.sub(" ", _YEAR.sub(" ", text))
        return bool(_COUNT.search(text))
    return bool(_DATE.search(text)) or bool(source.date and (_PUBLICATION.search(question) or source.doc_id in named))
