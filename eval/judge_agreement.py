"""How far the deterministic support judge (rag/judge.judge) agrees with people: accuracy and Cohen's κ on
hand-labelled statement/source pairs. Every eval report quotes these figures, because the statement-level
citation metrics are only as good as the judge.

Two label sets: `support_labels.jsonl` (60 pairs written from corpus principles; the judge's threshold and its
misattribution rule were fitted on them, so agreement there is optimistic) and `support_labels_heldout.jsonl`
(80 pairs of real model sentences from eval answers and the source govrag would cite, labelled blind by a
helper who never saw the judge or its scores; drawn by eval/label_candidates.py, half from each side of the
judge's decision). The held-out set is for measuring only: never change the judge to fit it."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rag.judge import judge
from rag.types import Source

LABELS = Path(__file__).resolve().parent / "support_labels.jsonl"
HELD_OUT = Path(__file__).resolve().parent / "support_labels_heldout.jsonl"


@dataclass(frozen=True)
class Agreement:
    pairs: int
    supported_share: float
    accuracy: float
    kappa: float
    #: Labelled unsupported but accepted by the judge: the dangerous direction (a wrong citation shown).
    false_support: tuple[str, ...]

    def to_json(self) -> dict:
        return {"pairs": self.pairs, "supported_share": round(self.supported_share, 4),
                "accuracy": round(self.accuracy, 4), "kappa": round(self.kappa, 4),
                "false_support": list(self.false_support)}


def _source(raw: dict) -> Source:
    return Source(n=1, node_id="label", doc_id="label", title=raw["title"], issuer=raw["issuer"], date=raw["date"],
                  url="", country="", language="en", heading=raw["heading"], text=raw["text"], score=1.0)


def agreement(threshold: float, path: Path = LABELS) -> Agreement:
    """κ = (p_o − p_e) / (1 − p_e), p_o the accuracy, p_e the agreement expected by chance from both sides'
    rates of 'supported'."""
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    predicted = [judge(p["sentence"], _source(p["source"])) >= threshold for p in pairs]
    labels = [bool(p["supported"]) for p in pairs]
    n = len(pairs)
    accuracy = sum(a == b for a, b in zip(predicted, labels)) / n
    rate_pred, rate_label = sum(predicted) / n, sum(labels) / n
    chance = rate_pred * rate_label + (1 - rate_pred) * (1 - rate_label)
    kappa = (accuracy - chance) / (1 - chance) if chance < 1 else 1.0
    false_support = tuple(p["sentence"] for p, pred in zip(pairs, predicted) if pred and not p["supported"])
    return Agreement(n, rate_label, accuracy, kappa, false_support)


def agreements(threshold: float) -> dict[str, dict]:
    """Agreement on both label sets, as the eval saves it: {"fitted": …, "held_out": …}."""
    return {"fitted": agreement(threshold, LABELS).to_json(), "held_out": agreement(threshold, HELD_OUT).to_json()}
