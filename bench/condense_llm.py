"""Why follow-ups are condensed by rules (rag/condense.py) rather than by the model: give the bundled model
llama-index's condense-question prompt (CondenseQuestionChatEngine's DEFAULT_TEMPLATE) for four follow-ups and
print what it writes beside what rag/condense.py writes. Run: .venv/bin/python bench/condense_llm.py"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.offline import offline  # noqa: E402

offline()

CASES = [
    ("What do the OECD Principles say about international co-operation for trustworthy AI?",
     "and what does the G20 say about that?"),
    ("What do the OECD Principles say about international co-operation for trustworthy AI?", "What about UNESCO?"),
    ("What does the Beijing AI Principles say about privacy?", "And the Global AI Governance Initiative?"),
    ("How should AI protect children?", "what does UNESCO say about that?"),
]


def main() -> int:
    from llama_index.core.chat_engine.condense_question import DEFAULT_TEMPLATE

    from rag.condense import condense
    from rag.config import LLMConfig
    from rag.llm import load_chat_model

    model = load_chat_model(LLMConfig())
    for previous, follow_up in CASES:
        prompt = DEFAULT_TEMPLATE.format(chat_history=f"user: {previous}\nassistant: (answer with citations)",
                                         question=follow_up)
        written = "".join(model.stream([{"role": "user", "content": prompt}], 40)).strip()
        print(f"follow-up: {follow_up}\n  model: {written}\n  rules: {condense(follow_up, previous)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
