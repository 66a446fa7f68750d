"""`govrag eval`: answer every question through the same Answerer the UI uses, then score and report."""
from __future__ import annotations

import json
import time
from pathlib import Path

from eval.metrics import aggregate, outcome
from eval.questions import DEFAULT_QUESTIONS, load_questions
from eval.report import markdown_report
from rag.answer import Answerer

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def run_eval(answerer: Answerer, questions: Path | None = None, limit: int | None = None,
             run_name: str | None = None, results_dir: Path = RESULTS_DIR, command: str = "",
             progress: bool = True) -> Path:
    """Write results.jsonl, metrics.json and report.md under results_dir/run_name; return that folder."""
    from tqdm import tqdm

    items = load_questions(questions or DEFAULT_QUESTIONS)[:limit]
    run_dir = results_dir / (run_name or time.strftime("%Y%m%d-%H%M%S"))
    run_dir.mkdir(parents=True, exist_ok=True)
    outcomes, baseline = [], []
    min_support = answerer.config.min_support
    with (run_dir / "results.jsonl").open("w", encoding="utf-8") as out:
        for q in tqdm(items, desc="eval", unit="q", disable=not progress):
            answer = answerer.ask(q.question)
            result = answer.to_json()
            scored = outcome(q, result, min_support=min_support)
            outcomes.append(scored)
            baseline.append(outcome(q, answerer.plain_vector(q.question).to_json(), min_support=min_support))
            out.write(json.dumps({"id": q.id, "type": q.type, "lang": q.lang, "gold_docs": list(q.gold_docs),
                                  **result, "model_draft": answer.draft, "outcome": scored,
                                  "baseline_outcome": baseline[-1]}, ensure_ascii=False) + "\n")
    metrics = aggregate(items, outcomes)
    baseline_metrics = aggregate(items, baseline)
    meta = {"run": run_dir.name, "questions_file": str(questions or DEFAULT_QUESTIONS), "command": command,
            "llm": getattr(answerer.llm, "name", None), "top_k": answerer.config.top_k}
    (run_dir / "metrics.json").write_text(json.dumps({**meta, "metrics": metrics,
                                                      "baseline_plain_vector": baseline_metrics}, indent=2),
                                          encoding="utf-8")
    (run_dir / "report.md").write_text(markdown_report(meta, metrics, baseline_metrics, items, outcomes),
                                       encoding="utf-8")
    return run_dir
