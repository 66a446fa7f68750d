"""Statement/source pairs for hand labelling, drawn from the model's real drafts in an eval run, so the support
judge can be scored on pairs it was never fitted on (eval/support_labels_heldout.jsonl; the fitted set is
eval/support_labels.jsonl). Each draft sentence the draft check would judge is paired with the relevant source
the judge ranks best for it — the citation govrag would show or refuse. The file written has no judge scores:
the labeller must not see them.

    .venv/bin/python -m eval.label_candidates RUN/results.jsonl OUT.jsonl [--n 80] [--seed 13]
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from rag.draft_check import reviewable_sentences
from rag.judge import judge
from rag.types import Source


def candidates(results: Path) -> list[dict]:
    """(sentence, best source) for every reviewable sentence of every non-refused draft, with the judge's
    decision kept aside (key "_judged") for stratified sampling only."""
    found = []
    for line in results.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)  # any version of the record: only its sources, citations and draft are read
        cited = {c["n"] for c in record["citations"]}
        relevant = [Source.from_json(s) for s in record["sources"] if s["n"] in cited]
        if record["refused"] or not relevant:
            continue
        for sentence in reviewable_sentences(record.get("model_draft", "")):
            score, source = max(((judge(sentence, s), s) for s in relevant), key=lambda x: (x[0], -x[1].n))
            found.append({"question_id": record["id"], "sentence": sentence,
                          "source": {k: getattr(source, k) for k in ("title", "issuer", "date", "heading", "text")},
                          "_judged": score})
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=80)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    pool = candidates(args.results)
    rng = random.Random(args.seed)
    accepted = [p for p in pool if p["_judged"] >= 0.8]
    rejected = [p for p in pool if p["_judged"] < 0.8]
    # Half the sample from each side of the judge's decision, as far as there are enough: both errors show.
    take = min(len(accepted), args.n // 2)
    chosen = rng.sample(accepted, take) + rng.sample(rejected, min(len(rejected), args.n - take))
    rng.shuffle(chosen)
    with args.out.open("w", encoding="utf-8") as out:
        for i, pair in enumerate(chosen, 1):
            pair.pop("_judged")
            out.write(json.dumps({"id": i, **pair}, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} pairs ({take} the judge accepts) from {len(pool)} candidates -> {args.out}")


if __name__ == "__main__":
    main()
