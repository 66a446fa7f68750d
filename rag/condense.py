"""Follow-ups read against the conversation's previous turn (rag/types.Turn) before retrieval.

Deterministic on purpose: given llama-index's condense-question prompt (CondenseQuestionChatEngine's
DEFAULT_TEMPLATE), the bundled 135M model turned none of four such follow-ups into a standalone question: it
answered three (with invented facts) and repeated the previous question for the fourth
(`bench/condense_llm.py` reproduces this). How analysts follow up, in English and Chinese, in the order read:

- **compare**: "How does that compare with X?", "How does X differ?", "那X呢?", "与X相比呢?" — the previous
  document against X's on the previous topic (when X names no indexed document: what X says on it);
- **document**: a pronoun or "this/that document" for the previous turn's document ("What does it say about
  fines?", "Which officials does it want trained?", "What else … on Y?", 它, 该文件, 这份文件, 其) — the question
  about that document, searched inside it;
- **topic**: a pronoun for the previous topic at the end ("What does UNESCO say about that?", "对这一点") or a bare
  new subject or topic ("What about UNESCO?", "And privacy?") — the previous topic asked of the new subject.

Each rewrite is grammatical: a document is put in by its title, a topic by its phrase ("about X"), or, when the
previous question has none, by the whole question in quotes."""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from rag.named import asks_for_documents
from rag.types import Turn

_CONNECTIVE = re.compile(r"^(?:and|but|also|so|ok(?:ay)?|then|well)\b[\s,]*|^(?:那么|那|而|还有|另外)[,，\s]*",
                         re.IGNORECASE)
#: A pronoun for the previous topic, as the question's last words.
_ANAPHOR_AT_END = re.compile(r"\b(?:that|this|it|them|those|these|the same(?: (?:thing|topic|issue|question))?)"
                             r"\s*[?.!]*\s*$", re.IGNORECASE)
_WHAT_ABOUT = re.compile(r"^(?:what|how)\s+about\s+(?P<x>.+?)(?:\s+on\s+(?:this|that|it))?\s*[?.!]*\s*$",
                         re.IGNORECASE)
#: Where a question's topic starts: its first "about …" (else "on …", "for …"). Not "to": "say to do for
#: workers" is no topic phrase.
_TOPIC = [re.compile(rf"\b(?:{words})\s+(?P<topic>.+?)\s*[?.!]*\s*$", re.IGNORECASE)
          for words in ("about|regarding|concerning|on the (?:topic|subject|question) of", "on|for")]
#: A Chinese question's topic: what 在…问题/方面上 holds, or what 对/关于/就 introduces up to how it is asked about
#: ("对透明度有什么要求" → 透明度).
_CHINESE_TOPIC_PHRASE = re.compile(r"在(?P<where>[^，,。？?在]{1,20}?)(?:问题|方面|领域)上?|"
                                   r"(?:对于|关于|对|就)(?P<topic>[^，,。？?对]{1,20}?)(?:方面|问题)?(?:还|又|也|都|究竟|到底)?"
                                   r"(?:有什么|有哪些|有何|怎么|如何|提出|作出|做出|是什么|持什么|"
                                   r"的(?:要求|规定|主张|看法|立场|态度))")
#: "China's position" as a subject: what China says.
_STANCE = re.compile(r"['’]s?\s+(?:position|stance|views?|approach|take|line|answer)$", re.IGNORECASE)
#: A bare follow-up this short ("And the G20?") is a new subject or topic, not a question of its own.
_MAX_BARE_WORDS = 6

_KINDS = (r"document|report|text|paper|initiative|recommendation|declaration|statement|strategy|framework|code|"
          r"charter|guidance|guide|guidelines|principles|manifesto|consensus|directive|decree|convention|pledge|"
          r"norms|opinion|roadmap|agenda|policy|guidebook|handbook|study|white\s*paper|one")
_KIND_WORDS = tuple(k for k in _KINDS.split("|") if k.isalpha() and k != "one")
#: The previous turn's document, referred to: "this/that document", "the report", "it", "they", "its".
_DOCUMENT = re.compile(rf"\b(?:(?:this|that|these|those|the\s+same)\s+(?:{_KINDS})|the\s+(?:document|report|text|"
                       rf"paper))\b|\b(?P<pronoun>it|they|them)\b|\b(?P<owner>its|their)\b", re.IGNORECASE)
_CHINESE_DOCUMENT = re.compile(r"它们|它|(?:该|这份|这一|此|本|这个|这些|那份)(?:文件|文本|倡议|报告|原则|宣言|建议书?|准则|指南|"
                               r"框架|战略|声明|守则|规范|共识|讨论稿|白皮书|公约|指令|法令|总统令|决议|章程|纲要|路线图|计划|"
                               r"意见|承诺|政策|指引|准则草案)|该文|(?<![尤极与])其(?![中他它余实次])")
#: The previous document as the question's subject: "Does it …", "What do they …".
_SUBJECT = re.compile(r"^(?:(?:what|which|how|why|where|when|who|whom|whose)\s+(?:\w+\s+)?)?(?:does|do|did|is|are|was|"
                      r"were|has|have|will|would|can|could|should)\s+(?:it|they)\b", re.IGNORECASE)
#: "What else …", "Are firms also …": more of the same document.
_ELSE = re.compile(r"\belse\b|\balso\b|\banything\s+(?:more|further)\b|还(?:有|提到|说了)什么|另外还", re.IGNORECASE)
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")
_CHINESE_TOPIC = re.compile(r"这一点|这一问题|这个问题|这方面|这一方面|此问题|这个话题|这一话题|同样的问题")
_PRONOUN_TOPIC = r"(?:this|that|it|these|those|the\s+same)"
#: A comparison with the previous document: X is the other side; `on`, when given, a new topic. A loose pattern
#: ("Is X any different?", "Does X go further?", "X有什么不同?") reads as a comparison only when X names a document,
#: an issuer or a proper name: "Is transparency different?" asks something else.
_COMPARE = [(re.compile(p, re.IGNORECASE), loose) for p, loose in (
    (r"^how\s+(?:does|do|would|did)\s+(?:that|this|it|they|these|those)\s+(?:compare|stack\s+up)\s+(?:with|to|"
     r"against)\s+(?P<x>.+?)(?:\s+on\s+(?P<on>.+?))?\s*[?.!]*\s*$", False),
    (r"^(?:compare|contrast)\s+(?:that|this|it|them)\s+(?:with|to|against)\s+(?P<x>.+?)(?:\s+on\s+(?P<on>.+?))?"
     r"\s*[?.!]*\s*$", False),
    (r"^how\s+(?:does|do)\s+(?P<x>.+?)\s+(?:compare|differ)(?:\s+(?:on|about|regarding)\s+(?P<on>.+?))?"
     r"(?:\s+(?:here|there))?\s*[?.!]*\s*$", False),
    (r"^how\s+(?:is|are)\s+(?P<x>.+?)\s+different(?:\s+on\s+(?P<on>.+?))?\s*[?.!]*\s*$", False),
    (r"^(?:is|are)\s+(?P<x>.+?)\s+(?:any\s+|very\s+|much\s+)?(?:different|similar)(?:\s+(?:on|about|regarding)"
     r"\s+(?P<on>.+?))?(?:\s+(?:here|there|at\s+all))?\s*[?.!]*\s*$", True),
    (r"^(?:does|do)\s+(?P<x>.+?)\s+(?:differ|go\s+(?:any\s+)?further|say\s+the\s+same|agree)(?:\s+(?:on|about|"
     r"regarding)\s+(?P<on>.+?))?(?:\s+(?:here|there|at\s+all))?\s*[?.!]*\s*$", True),
    (r"^(?:what|how)\s+about\s+(?P<x>[^,;]+?)\s*[,;]\s*(?:does|do|is|are|would)\s+(?:it|they|that)\b.*$", True),
    (r"^(?:与|和|跟|同)(?P<x>.{1,30}?)(?:相比|比较|比一比|比|对比)(?:一下)?(?:呢|如何|怎么样|有何不同|有什么不同|又如何)?"
     r"[?？。]*$", False),
    (r"^(?P<x>[^?？,，。]{1,30}?)(?:在(?:这方面|这一方面|这一点上?|这个问题上|此问题上)|对此)?又?(?:有什么|有何|有哪些)?"
     r"(?:不同|区别|差异|异同)(?:呢|吗)?[?？。]*$", True),
    (r"^(?P<x>.{1,40}?)(?:在(?P<on>.{1,20}?)(?:问题|方面)上?)?(?:跟|和|与|同)(?:它|该文件|这份文件|前者)"
     r"(?:有什么|有何|有哪些)?(?:不同|区别|差异|异同)[?？。]*$", False),
    (r"^(?P<x>[^?？,，。]{1,30}?)(?:呢|又如何|的立场呢|的看法呢)[?？。]*$", False))]
#: A Chinese comparison's own words: such a follow-up that names nothing is not a question about the same document.
_CHINESE_COMPARE_WORD = re.compile(r"相比|比较|比一比|对比|不同|区别|差异|异同")
_BARE_CHINESE_TOPIC = re.compile(r"[^《》的]{1,8}")
#: A comparison asked in other words ("On Y, how does the Montréal text compare with the WHO's guidance?",
#: "它与X是否一致?"): read as one when the question also names a document other than the previous one (`_compared`).
_COMPARISON = re.compile(r"\b(?:compar(?:e|es|ed|ison)|differ(?:s|ent|ence|ences)?|contrast|versus|vs|go(?:es)?\s+"
                         r"further|consistent\s+with|in\s+line\s+with|same\s+as|agrees?\s+with)\b|"
                         r"相比|比较|对比|不同|异同|区别|差异|一致", re.IGNORECASE)
#: Where such a question says what is compared: "On Y, …", "… when it comes to Y", "its treatment of Y", "在Y上，…".
_COMPARED_ON = [re.compile(p, re.IGNORECASE) for p in (
    r"^(?:on|regarding|concerning|as\s+(?:for|to|regards)|when\s+it\s+comes\s+to|in\s+terms\s+of|with\s+(?:regard|"
    r"respect)\s+to)\s+(?P<on>[^,;]+?)\s*[,;]",
    r"\b(?:when\s+it\s+comes\s+to|in\s+terms\s+of|with\s+(?:regard|respect)\s+to|regarding|concerning)\s+(?P<on>.+?)"
    r"\s*[?.!]*$",
    r"\b(?:its|their)\s+(?:treatment|handling|views?|approach|position|stance|take|line)\s+(?:of|on|to)\s+(?P<on>.+?)"
    r"\s+(?:compares?|differs?|is|are)\b",
    r"^(?:在|就|关于)(?P<on>[^,，。]{1,24}?)(?:这一点|这件事|这个问题|问题|方面|领域)?上?[,，]")]
#: A pronoun as X ("Is it any different?", "Does it go further?"): the previous document itself, no comparison.
_PRONOUN_X = re.compile(r"(?:it|they|that|this|these|those|them)", re.IGNORECASE)


@dataclass(frozen=True)
class FollowUp:
    """How a question was read against the previous turn: `question` is what is searched (a standalone
    question); `within` the doc ids searched inside; `compare` the two doc ids compared (searched with `search`);
    `topic` this turn's topic, for the next follow-up; `other` the other reading of an ambiguous reference, as a
    question the user can ask in one click."""
    kind: Literal["new", "document", "topic", "compare"]
    question: str
    within: tuple[str, ...] = ()
    compare: tuple[str, str] | None = None
    topic: str = ""
    other: str = ""
    #: What a comparison searches each document with.
    search: str = ""


def topic_of(question: str) -> tuple[str, str]:
    """(the words before the topic, the topic) of a question: what follows its first 'about' (else its first
    'on' or 'for'); a Chinese question's "对/关于/就 X 有什么…/怎么…/的要求" phrase; else the whole question,
    quoted ('how should AI protect children'), because cutting its question words off would leave no phrase
    ("AI protect children")."""
    if match := _CHINESE_TOPIC_PHRASE.search(question):
        return "", match.group("where") or match.group("topic")
    for pattern in _TOPIC:
        match = pattern.search(question)  # the leftmost: its lazy topic then runs to the end of the question
        if match:
            return question[: match.start("topic")], match.group("topic")
    body = question.strip().rstrip(" ?.!?。")
    if body[:1].isupper() and not body[1:2].isupper():  # "How …" → "how …"; an acronym ("EU …") stays
        body = body[0].lower() + body[1:]
    return "", f"‘{body}’"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _is_name(text: str, names: Collection[str]) -> bool:
    """A document's issuer or country, or a capitalised word (an acronym or a proper name)."""
    bare = re.sub(r"^the\s+|['’]s$", "", text.strip(), flags=re.IGNORECASE)
    return bare.lower() in names or bool(re.match(r"[A-Z0-9]", bare))


def _the(title: str) -> str:
    """A title as a sentence names it inside: "the Asilomar AI Principles", "the Toronto Declaration"."""
    return f"the {title[4:]}" if title.lower().startswith("the ") else f"the {title}"


def _references(body: str, title: str = "") -> list[re.Match[str]]:
    """The English references to the previous document: "it", "its", "this report", "the <kind>" when the
    previous document's title has that kind word ("the directive" after the Directive on Automated
    Decision-Making), and "they" / "their" only as the question's subject ("Do they …", "Their …"): elsewhere a
    plural pronoun is the question's own ("are firms answerable for models they buy")."""
    subject = _SUBJECT.match(body)
    found = [m for m in _DOCUMENT.finditer(body)
             if not re.fullmatch(r"they|them|their", m.group(0), re.IGNORECASE)
             or m.start() == 0 or (subject and m.end() == subject.end())]
    if kinds := [k for k in _KIND_WORDS if re.search(rf"\b{k}\b", title, re.IGNORECASE)]:
        found += re.finditer(rf"\bthe\s+(?:{'|'.join(kinds)})\b(?P<owner>(?!))?", body, re.IGNORECASE)
    return sorted(found, key=lambda m: m.start())


def _in_document(body: str, title: str, chinese: bool) -> str:
    """The question with its first reference to the previous document replaced by the document's title (a
    Chinese question: by its Chinese title, or, for a document with none, left as asked — an English title
    would make the question read as English — and searched inside the document all the same)."""
    if chinese:
        return _CHINESE_DOCUMENT.sub(f"《{title}》", body, count=1) if _HAS_CJK.search(title) else body

    found = _references(body, title)
    if not found:
        return body
    match = found[0]
    owner = "’" if title.endswith("s") else "’s"
    named = f"{_the(title)}{owner}" if match.group("owner") else _the(title)
    return _capitalise(body[: match.start()] + named + body[match.end():])


def condense(question: str, previous: str | None, names: Collection[str] = ()) -> str:
    """A follow-up as a standalone question, given only the previous standalone question (no documents):
    the topic readings of read_follow_up."""
    return read_follow_up(question, Turn(previous) if previous else None, names).question


def read_follow_up(question: str, previous: Turn | None, names: Collection[str] = (),
                   named_in: Callable[[str], tuple[str, ...]] = lambda text: (), lists: bool | None = None,
                   chinese_titles: Mapping[str, str] = MappingProxyType({}),
                   issuer_documents: Callable[[str, str], tuple[str, ...]] = lambda text, topic: ()) -> FollowUp:
    """How `question` reads after `previous` (None: the first question, read as it is). `names`: lower-cased
    issuers and countries (a bare follow-up naming one asks about a new subject); `named_in(text)`: the doc ids
    a text names, best first (rag/answer.Answerer.named_in); `lists`: the question asks which documents … (its
    pronouns are then its own: "Which documents say they …"; by default read from its English wording);
    `chinese_titles`: doc id → Chinese title, for documents that have one; `issuer_documents(text, topic)`: the
    documents of an issuer of several that the text names ("Google's principles"), closest to the topic first."""
    if previous is None or not previous.question:
        return FollowUp("new", question)
    body = _CONNECTIVE.sub("", question.strip()).strip()
    chinese = bool(_HAS_CJK.search(body))
    lists = asks_for_documents(body) if lists is None else lists
    prefix, topic = topic_of(previous.question)
    topic = previous.topic or topic  # the topic as it was asked, before a title was put in
    main = previous.documents[0] if previous.documents else ""
    title = previous.titles[0] if previous.titles else ""
    for pattern, loose in _COMPARE:
        if not (match := pattern.match(body)):
            continue
        other = match.group("x").strip()
        if (chinese and _CHINESE_DOCUMENT.search(other)) or _PRONOUN_X.fullmatch(other):
            continue  # "那它对……呢?", "Is it any different?": the document itself, asked again
        said = (match.groupdict().get("on") or "").strip()
        if said and not re.fullmatch(_PRONOUN_TOPIC, said, re.IGNORECASE):  # "… compare on sustainability?"
            topic = said
        asked = topic.strip("‘’")
        if chinese:  # "X对联合国有什么主张?" from "它对联合国有什么主张", else "X对<topic>怎么说?"
            switched = (_CHINESE_DOCUMENT.sub(other, asked, count=1) + "?" if _CHINESE_DOCUMENT.search(asked)
                        else f"{other}对{asked}怎么说?")
        else:
            subject = _STANCE.sub("", other)
            verb = "do" if re.search(r"[a-z]s$", subject) else "does"  # "Google's principles", "UNESCO"
            switched = f"What {verb} {subject} say about {topic}?"
        docs = [d for d in named_in(other) if d != main]
        if not docs and said:  # "… compare with the Council on AI's text": the "on" was the name's own
            other, topic = f"{other} on {said}", previous.topic or topic
            docs = [d for d in named_in(other) if d != main]
        # An issuer of several documents ("Google's principles", 微软): its document closest to the topic.
        docs = docs or [d for d in issuer_documents(other, asked) if d != main]
        if main and docs:
            on = _searched_on(topic, previous.question)
            return FollowUp("compare", f"Compare {title} and {other} on: {on}", (), (main, docs[0]), topic, switched,
                            on)
        if loose and not _is_name(other, names):
            continue
        if not chinese:
            return FollowUp("topic", switched, topic=topic)
        if main and not loose and _BARE_CHINESE_TOPIC.fullmatch(other) and not _CHINESE_COMPARE_WORD.search(body):
            # "那隐私呢?": a bare topic (no title in 《》, no owner's 的) asked of the same document
            name = f"《{chinese_titles[main]}》" if main in chinese_titles else "该文件"
            return FollowUp("document", f"{name}对{other}怎么说?", (main,), topic=other)
    named = named_in(body)
    if main and not lists and (compared := _compared(body, main, title, topic, previous.question, named,
                                                      issuer_documents)):
        return compared
    names_other = [d for d in named if d not in previous.documents]
    refers = _CHINESE_DOCUMENT.search(body) if chinese else _document_reference(body, title)
    # The previous document as the subject ("Does it give Brazilian agencies …", "它对数据保护立法提到了哪些核心原则"):
    # other names are the topic's, and "which principles" asks what it holds, not which documents.
    strong = _CHINESE_DOCUMENT.match(body) if chinese else _SUBJECT.match(body)
    if main and (strong or (not lists and not names_other and (refers or _ELSE.search(body)))):
        rewritten = _in_document(body, chinese_titles.get(main, title) if chinese else title, chinese) \
            if refers else body
        second = previous.documents[1] if len(previous.documents) > 1 else ""
        other = _in_document(body, chinese_titles.get(second, previous.titles[1]) if chinese else previous.titles[1],
                             chinese) if refers and second else ""
        other = "" if other == body else other  # a Chinese question about a document with no Chinese title
        return FollowUp("document", rewritten, (main,), topic=topic_of(body)[1], other=other)
    if chinese:
        if _CHINESE_TOPIC.search(body) or re.search(r"对此|就此|在此", body):
            carried = re.sub(r"对此|就此|在此", f"对{topic.strip('‘’')}", _CHINESE_TOPIC.sub(topic.strip("‘’"), body,
                                                                                            count=1), count=1)
            return FollowUp("topic", carried, _one(names_other), topic=topic)
        return FollowUp("new", question)
    anaphor = _ANAPHOR_AT_END.search(body)
    if anaphor and anaphor.start() > 0:
        return FollowUp("topic", _capitalise(f"{body[: anaphor.start()].rstrip()} {topic}?"),
                        _one(names_other), topic=topic)
    bare = _WHAT_ABOUT.match(body)
    subject = bare.group("x") if bare else (body.rstrip(" ?.!") if body != question.strip() else "")
    if not subject or len(subject.split()) > _MAX_BARE_WORDS:
        return FollowUp("new", question)
    if _is_name(subject, names) or names_other:
        return FollowUp("topic", f"What does {subject} say about {topic}?", _one(named_in(subject)), topic=topic)
    if prefix:  # "And privacy?" after "What does the Toronto Declaration say about …": inside it
        inside = (main,) if main and main in named_in(prefix) else ()
        return FollowUp("document" if inside else "topic", _capitalise(f"{prefix}{subject}?"), inside,
                        topic=subject)
    return FollowUp("topic", f"What do the documents say about {subject}?", topic=subject)


def _searched_on(topic: str, previous: str) -> str:
    """What a comparison searches each document with: a topic phrase as it is; a whole question quoted as the
    topic ("which officials does it want trained") as the previous standalone question, which names what "it" was."""
    return previous if topic.startswith("‘") else topic


def _compared(body: str, main: str, title: str, topic: str, previous: str, named: tuple[str, ...],
              issuer_documents: Callable[[str, str], tuple[str, ...]]) -> FollowUp | None:
    """A comparison asked in other words than _COMPARE's (_COMPARISON): the previous document against the other
    document the question names (`named`; two named, neither the previous one: those two), on what it says is
    compared (_COMPARED_ON) or the previous topic; None when it names no other document."""
    if not _COMPARISON.search(body):
        return None
    said = next((m.group("on").strip() for p in _COMPARED_ON if (m := p.search(body))), "")
    topic = said or topic
    on = _searched_on(topic, previous)
    docs = [d for d in named if d != main] or [d for d in issuer_documents(body, on) if d != main]
    if not docs:
        return None
    pair = (docs[0], docs[1]) if len(docs) >= 2 and main not in named and not _references(body) \
        and not _CHINESE_DOCUMENT.search(body) else (main, docs[0])
    return FollowUp("compare", f"Compare {title} on: {on}", (), pair, topic, "", on)


def _one(docs: Collection[str]) -> tuple[str, ...]:
    """A follow-up that moves the topic to one named document ("What does the Hambach Declaration say about
    that?") is searched inside it; one naming an issuer of several, or none, is searched everywhere."""
    return tuple(docs) if len(docs) == 1 else ()


def _document_reference(body: str, title: str = "") -> bool:
    """An English reference to the previous document that is not the previous topic at the question's end
    ("What does UNESCO say about it?" refers to the topic)."""
    anaphor = _ANAPHOR_AT_END.search(body)
    for match in _references(body, title):
        if anaphor and match.start() >= anaphor.start() and re.search(r"\b(?:about|on|regarding)\s+\S+\s*[?.!]*$",
                                                                     body[: match.end()] + "?", re.IGNORECASE):
            continue
        return True
    return False
