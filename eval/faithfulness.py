"""Optional LLM-judge faithfulness (off by default): llama-index's FaithfulnessEvaluator on the local model,
asking whether the answer is supported by the sources it cites. A small model often answers neither YES nor NO,
so its output is parsed tolerantly and the share it could not parse is reported beside the score."""
from __future__ import annotations

import re

from rag.llama_llm import ChatModelLLM
from rag.llm import ChatModel
from rag.types import AnswerResult

_VERDICT = re.compile(r"\b(yes|no)\b", re.IGNORECASE)


def parse_verdict(text: str) -> bool | None:
    """YES/NO from the judge's first sentence, whatever surrounds it; None when it says neither (or both)."""
    first = re.split(r"(?<=[.!?\n])", text.strip(), maxsplit=1)[0]
    found = {m.lower() for m in _VERDICT.findall(first)}
    return None if len(found) != 1 else found == {"yes"}


class FaithfulnessJudge:
    def __init__(self, model: ChatModel):
        from llama_index.core.evaluation import FaithfulnessEvaluator

        self.evaluator = FaithfulnessEvaluator(llm=ChatModelLLM.of(model, max_new_tokens=8))

    def judge(self, question: str, answer: AnswerResult) -> bool | None:
        cited = {c.n for c in answer.citations}
        contexts = [s.text for s in answer.sources if s.n in cited] or [s.text for s in answer.sources]
        result = self.evaluator.evaluate(query=question, response=answer.answer, contexts=contexts)
        return parse_verdict(result.feedback or "")

    @staticmethod
    def summary(verdicts: list[bool | None]) -> dict:
        """faithfulness = YES / parsed verdicts; judge_parse_failures = unparsed / judged answers."""
        judged = list(verdicts)
        parsed = [v for v in judged if v is not None]
        return {"faithfulness": round(sum(parsed) / len(parsed), 4) if parsed else None,
                "judge_parse_failures": round((len(judged) - len(parsed)) / len(judged), 4) if judged else None}
