"""Follow-up questions made standalone before retrieval ("and what does the G20 say about that?").

Deterministic on purpose: given llama-index's condense-question prompt (CondenseQuestionChatEngine's
DEFAULT_TEMPLATE), the bundled 135M model turned none of four such follow-ups into a standalone question: it
answered three (with invented facts) and repeated the previous question for the fourth
(`bench/condense_llm.py` reproduces this). Two patterns cover how analysts follow up: a pronoun standing for the
previous topic ("… about that?") and a bare new subject or topic ("What about UNESCO?", "And privacy?")."""
from __future__ import annotations

import re
from collections.abc import Collection

_CONNECTIVE = re.compile(r"^(?:and|but|also|so|ok(?:ay)?|then)\b[\s,]*", re.IGNORECASE)
#: A pronoun for the previous topic, as the question's last words.
_ANAPHOR_AT_END = re.compile(r"\b(?:that|this|it|them|those|these|the same(?: (?:thing|topic|issue|question))?)"
                             r"\s*[?.!]*\s*$", re.IGNORECASE)
_WHAT_ABOUT = re.compile(r"^(?:what|how)\s+about\s+(?P<x>.+?)\s*[?.!]*\s*$", re.IGNORECASE)
_TOPIC = [re.compile(rf"\b(?:{words})\s+(?P<topic>.+?)\s*[?.!]*\s*$", re.IGNORECASE)
          for words in ("about|regarding|concerning|on the (?:topic|subject|question) of", "on|for|to")]
#: A bare follow-up this short ("And the G20?") is a new subject or topic, not a question of its own.
_MAX_BARE_WORDS = 6


def topic_of(question: str) -> tuple[str, str]:
    """(the words before the topic, the topic) of a question: what follows its first 'about' (else its first
    'on', 'for' or 'to'); else the whole question, quoted ('how should AI protect children'), because cutting
    its question words off would leave no phrase ("AI protect children")."""
    for pattern in _TOPIC:
        match = pattern.search(question)  # the leftmost: its lazy topic then runs to the end of the question
        if match:
            return question[: match.start("topic")], match.group("topic")
    body = question.strip().rstrip(" ?.!")
    if body[:1].isupper() and not body[1:2].isupper():  # "How …" → "how …"; an acronym ("EU …") stays
        body = body[0].lower() + body[1:]
    return "", f"‘{body}’"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _is_name(text: str, names: Collection[str]) -> bool:
    """A document's issuer or country, or a capitalised word (an acronym or a proper name)."""
    bare = re.sub(r"^the\s+|['’]s$", "", text.strip(), flags=re.IGNORECASE)
    return bare.lower() in names or bool(re.match(r"[A-Z0-9]", bare))


def condense(question: str, previous: str | None, names: Collection[str] = ()) -> str:
    """The question as a standalone question, given the previous standalone question of the conversation.
    `names` are lower-cased issuers and countries: a bare follow-up naming one asks about a new subject."""
    if not previous:
        return question
    body = _CONNECTIVE.sub("", question).strip()
    prefix, topic = topic_of(previous)
    anaphor = _ANAPHOR_AT_END.search(body)
    if anaphor and anaphor.start() > 0:
        return _capitalise(f"{body[: anaphor.start()].rstrip()} {topic}?")
    bare = _WHAT_ABOUT.match(body)
    subject = bare.group("x") if bare else (body.rstrip(" ?.!") if body != question.strip() else "")
    if not subject or len(subject.split()) > _MAX_BARE_WORDS:
        return question
    if _is_name(subject, names):
        return f"What does {subject} say about {topic}?"
    return _capitalise(f"{prefix}{subject}?") if prefix else f"What do the documents say about {subject}?"
