"""The question-file format shared by eval and any outside question file (described in eval/README.md)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

#: The dev split: what thresholds and word lists may be tuned on (the questions written with the system).
DEFAULT_QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"
#: The test split: written from the corpus by a helper who never read rag/ and never ran govrag; only reported
#: on, never tuned on (eval/README.md).
TEST_QUESTIONS = Path(__file__).resolve().parent / "questions_test.jsonl"
#: A second dev split, tuned on like the first: 110 questions written blind by a helper who never read rag/ (nor
#: either other split); kept apart from `dev` because some name the same documents as test questions in the same
#: words ("the Rome Call for AI Ethics"), which the test split's paraphrase check forbids between dev and test.
DEV2_QUESTIONS = Path(__file__).resolve().parent / "questions_dev2.jsonl"
SPLITS = {"dev": DEFAULT_QUESTIONS, "dev2": DEV2_QUESTIONS, "test": TEST_QUESTIONS}
TYPES = {"lookup", "multi", "compare", "metadata", "unanswerable", "adversarial"}


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    lang: str
    type: str
    gold_docs: tuple[str, ...]
    key_terms: tuple[str, ...]
    must_not_contain: tuple[str, ...] = field(default=())
    #: The language of the text that answers it, where it differs from the question's ("zh": an English question
    #: only a Chinese passage answers).
    evidence_lang: str = ""

    @property
    def answerable(self) -> bool:
        return bool(self.gold_docs)


def load_questions(path: Path = DEFAULT_QUESTIONS) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            q = Question(id=str(raw["id"]), question=raw["question"], lang=raw.get("lang", "en"), type=raw["type"],
                         gold_docs=tuple(raw.get("gold_docs", [])), key_terms=tuple(raw.get("key_terms", [])),
                         must_not_contain=tuple(raw.get("must_not_contain", [])),
                         evidence_lang=raw.get("evidence_lang", ""))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a question record ({exc}); each line needs id, question, "
                             "type, gold_docs and key_terms") from None
        if q.type not in TYPES:
            raise ValueError(f"{path}:{number}: unknown type {q.type!r}; use one of {sorted(TYPES)}")
        questions.append(q)
    return questions
