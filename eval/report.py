"""report.md: the metrics table and the questions that went wrong."""
from __future__ import annotations

from eval.questions import Question

LABELS = {
    "recall_at_5": "document recall@5", "hit_at_5": "gold document in top 5", "mrr": "MRR",
    "cited_precision": "cited-document precision", "cited_recall": "cited-document recall",
    "key_term_recall": "key-term recall", "refusal_precision": "refusal precision",
    "refusal_recall": "refusal recall", "over_refusal": "over-refusal (answerable refused)",
    "refusal_accuracy": "refusal accuracy", "adversarial_containment": "adversarial containment",
    "citations_verified": "citation marks verified",
    "answers_with_model_sentence": "answers with a verified model sentence",
    "latency_p50_ms": "latency p50 (ms)", "latency_p95_ms": "latency p95 (ms)",
}


def _cell(value: object) -> str:
    return "–" if value is None else str(value)


def markdown_report(meta: dict, metrics: dict, baseline: dict, questions: list[Question],
                    outcomes: list[dict]) -> str:
    lines = [f"# govrag eval — {meta['run']}", "",
             f"{metrics['questions']} questions ({metrics['answerable']} answerable) from `{meta['questions_file']}`; "
             f"model `{meta['llm'] or 'none (retrieval only)'}`, top-k {meta['top_k']}.", ""]
    if meta.get("command"):
        lines += [f"Command: `{meta['command']}`", ""]
    lines += ["Plain vector = the same index and embedder, vector search only (top-5), no refusal, no verification,",
              "every retrieved document cited; measured on the same questions in the same run.", "",
              "| metric | govrag | plain vector |", "|---|---|---|"]
    lines += [f"| {label} | {_cell(metrics[key])} | {_cell(baseline.get(key))} |" for key, label in LABELS.items()]
    misses = [(q, o) for q, o in zip(questions, outcomes)
              if (q.answerable and (o["refused"] or not o["hit_at_k"])) or (q.type == "unanswerable" and not o["refused"])
              or (o["cited_precision"] is not None and o["cited_precision"] < 1) or o["contained"] is False]
    if misses:
        lines += ["", "## Questions to look at", "", "| id | type | question | refused | retrieved | cited |",
                  "|---|---|---|---|---|---|"]
        for q, o in misses:
            lines.append(f"| {q.id} | {q.type} | {q.question} | {o['refused']} | "
                         f"{'; '.join(o['retrieved_docs'][:3])} | {'; '.join(o['cited_docs'])} |")
    return "\n".join(lines) + "\n"
