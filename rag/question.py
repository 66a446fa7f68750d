"""The question as asked: cleaned of what would make the shown question differ from the one answered."""
from __future__ import annotations

import re
import unicodedata

_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: Bidirectional overrides and isolates: they make the shown question differ from the one answered.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class QuestionError(ValueError):
    """A question that cannot be answered as asked (empty, too long)."""


def clean_question(text: str) -> str:
    """What is answered (and shown): NFC, whitespace collapsed, control characters, lone surrogates and bidi
    overrides dropped. A question pasted with stray terminal codes or an RLO is still answered, as the words
    it shows."""
    text = _ANSI_ESCAPE.sub("", text)
    text = unicodedata.normalize("NFC", text.encode("utf-8", "replace").decode("utf-8"))
    kept = "".join(" " if c.isspace() else c for c in text
                   if c.isspace() or (unicodedata.category(c) not in ("Cc", "Cs") and c not in _BIDI_CONTROLS))
    return " ".join(kept.split())


def checked_question(text: str, max_chars: int) -> str:
    """The cleaned question, or a QuestionError saying what is wrong with it and what to do."""
    question = clean_question(text)
    if not question:
        raise QuestionError("the question is empty: type a question about AI-governance principles")
    if len(question) > max_chars:
        raise QuestionError(f"the question is {len(question)} characters long; the limit is {max_chars}: "
                            "shorten it")
    return question
