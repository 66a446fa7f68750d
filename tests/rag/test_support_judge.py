"""The support judge against 59 hand-labelled sentence/source pairs (tests/rag/support_pairs.jsonl).

The pairs were written from real corpus principles: faithful extracts and paraphrases (supported), and
sentences with invented dates, names, numbers, negations or claims (not supported). The threshold in
RagConfig.min_support was chosen on them: at 0.8 no unsupported sentence passes."""
import json
from pathlib import Path

from rag.citations import judge
from rag.config import RagConfig
from rag.types import Source

PAIRS = [json.loads(line) for line in (Path(__file__).parent / "support_pairs.jsonl").read_text().splitlines()]


def _source(raw: dict) -> Source:
    return Source(n=1, node_id="x", doc_id="d", title=raw["title"], issuer=raw["issuer"], date=raw["date"], url="",
                  country="", language="en", heading=raw["heading"], text=raw["text"], score=1.0)


def test_judge_agrees_with_the_labels():
    threshold = RagConfig().min_support
    predicted = [judge(p["sentence"], _source(p["source"])) >= threshold for p in PAIRS]
    labels = [p["supported"] for p in PAIRS]
    assert len(PAIRS) >= 50 and 0.3 < sum(labels) / len(labels) < 0.7
    accuracy = sum(a == b for a, b in zip(predicted, labels)) / len(labels)
    false_support = [p["sentence"] for p, pred in zip(PAIRS, predicted) if pred and not p["supported"]]
    p_yes = (sum(predicted) / len(labels)) * (sum(labels) / len(labels))
    p_no = (1 - sum(predicted) / len(labels)) * (1 - sum(labels) / len(labels))
    kappa = (accuracy - (p_yes + p_no)) / (1 - (p_yes + p_no))
    assert false_support == []  # a wrong citation is worse than a missing one
    assert accuracy >= 0.95 and kappa >= 0.9, (accuracy, kappa)
