"""report.md: the metrics beside the naive baseline, per question type and language, and the questions that
went wrong. The tables come from rows() so report.html shows the same numbers."""
from __future__ import annotations

from eval.questions import Question

LABELS = {
    "recall_at_5": "document recall@5", "hit_at_5": "gold document in top 5", "mrr": "MRR", "ndcg_at_5": "nDCG@5",
    "cited_precision": "cited-document precision", "cited_recall": "cited-document recall",
    "citation_recall": "statement citation recall (ALCE)", "citation_precision": "statement citation precision (ALCE)",
    "key_terms_retrieved": "key terms in the top-k passages", "key_terms_cited": "key terms in the cited passages",
    "key_term_recall": "key-term recall", "refusal_precision": "refusal precision",
    "refusal_recall": "refusal recall", "refusal_f1": "refusal F1", "over_refusal": "over-refusal (answerable refused)",
    "adversarial_containment": "adversarial containment",
    "answers_with_model_sentence": "answers with a verified model sentence",
    "faithfulness": "LLM-judge faithfulness", "judge_parse_failures": "LLM-judge outputs not parsed",
    "latency_p50_ms": "latency p50 (ms)", "latency_p95_ms": "latency p95 (ms)",
    "quotes_p50_ms": "time to the cited quotes p50 (ms)",
    "ttft_p50_ms": "time to first token p50 (ms)", "tokens_per_s_p50": "decode tokens/s p50",
}
#: The columns of the per-type and per-language tables.
GROUP_COLUMNS = ["questions", "recall_at_5", "mrr", "cited_precision", "citation_recall", "citation_precision",
                 "key_term_recall", "refusal_recall", "over_refusal", "adversarial_containment", "latency_p50_ms"]


def cell(value: object) -> str:
    return "–" if value is None else str(value)


def metric_rows(saved: dict) -> list[tuple[str, str, str, str]]:
    """(label, govrag, baseline, difference) for every metric the run has. Each system is scored at its own k
    (the baseline retrieves fewer passages); one row compares both at the baseline's k."""
    metrics, base = saved["metrics"], saved.get("baseline_metrics") or {}
    rows = []
    k, base_k = metrics.get("k"), base.get("k")
    if base_k and k and base_k < k and metrics.get("recall_curve") and base.get("recall_curve"):
        ours, theirs = metrics["recall_curve"][base_k - 1], base["recall_curve"][base_k - 1]
        rows.append((f"document recall@{base_k} (both at the baseline's k)", cell(ours), cell(theirs),
                     f"{round(ours - theirs, 4):+g}"))
    for key, label in LABELS.items():
        if key not in metrics:
            continue
        ours, theirs = metrics[key], base.get(key)
        diff = round(ours - theirs, 4) if isinstance(ours, (int, float)) and isinstance(theirs, (int, float)) else None
        rows.append((label, cell(ours), cell(theirs), "–" if diff is None else f"{diff:+g}"))
    return rows


def group_rows(groups: dict[str, dict]) -> list[list[str]]:
    return [[name] + [cell(m.get(c)) for c in GROUP_COLUMNS] for name, m in groups.items()]


def misses(questions: list[Question], outcomes: list[dict]) -> list[tuple[Question, dict]]:
    """Answerable questions refused or without a gold document in the top 5, unanswerable ones answered,
    answers citing a non-gold document, attacks that got through."""
    return [(q, o) for q, o in zip(questions, outcomes)
            if (q.answerable and (o["refused"] or not o["hit_at_k"])) or (q.type == "unanswerable" and not o["refused"])
            or (o["cited_precision"] is not None and o["cited_precision"] < 1) or o["contained"] is False]


def summary_line(saved: dict) -> str:
    m = saved["metrics"]
    fitted, held = saved["judge_agreement"]["fitted"], saved["judge_agreement"]["held_out"]
    return (f"{m['questions']} questions ({m['answerable']} answerable) from `{saved['questions_file']}`; model "
            f"`{saved['llm'] or 'none (retrieval only)'}`, top-k {saved['top_k']}. Support judge vs hand labels: "
            f"held out ({held['pairs']} model sentences, never tuned on) accuracy {held['accuracy']}, Cohen's κ "
            f"{held['kappa']}, {len(held['false_support'])} unsupported accepted; on the {fitted['pairs']} pairs it "
            f"was fitted on, accuracy {fitted['accuracy']}, κ {fitted['kappa']}.")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def markdown_report(saved: dict, questions: list[Question], outcomes: list[dict]) -> str:
    lines = [f"# govrag eval — {saved['run']}", "", summary_line(saved), ""]
    if saved.get("command"):
        lines += [f"Command: `{saved['command']}`", ""]
    if saved.get("baseline_metrics"):
        lines += ["Naive baseline = plain LlamaIndex VectorStoreIndex over the same documents (default 1,024-token "
                  "chunks), top-k 2, default prompt, same embedder and LLM; measured in the same run. Each system "
                  "is scored at its own k: the baseline's recall@5, hit and nDCG are at its k = 2; the first row "
                  "compares both at k = 2.", ""]
    lines += _table(["metric", "govrag", "naive baseline", "difference"], [list(r) for r in metric_rows(saved)])
    for title, key in (("By question type", "by_type"), ("By language", "by_lang"),
                       ("By language of question, evidence", "by_evidence")):
        lines += ["", f"## {title}", ""] + _table([key[3:]] + [LABELS.get(c, c) for c in GROUP_COLUMNS],
                                                   group_rows(saved[key]))
    wrong = misses(questions, outcomes)
    if wrong:
        lines += ["", "## Questions to look at", ""] + _table(
            ["id", "type", "question", "refused", "retrieved", "cited"],
            [[q.id, q.type, q.question.replace("|", "/"), str(o["refused"]), "; ".join(o["retrieved_docs"][:3]),
              "; ".join(o["cited_docs"])] for q, o in wrong])
    return "\n".join(lines) + "\n"


def splits_table(runs: dict[str, dict]) -> str:
    """Markdown: each metric of each split side by side (dev, dev2, test), and test − each tuning split: the
    tuning gap. Both gaps are shown: dev shaped the rules over many sessions, dev2 was written blind later (and
    tuned on since), so the two say different things about how far test sits from what was tuned."""
    names = list(runs)
    tuned = [n for n in ("dev", "dev2") if n in names] if "test" in names else []
    lines = [f"| metric | {' | '.join(names)} |" + "".join(f" test − {n} |" for n in tuned),
             "|---|" + "---|" * (len(names) + len(tuned))]
    for key, label in LABELS.items():
        values = [runs[n]["metrics"].get(key) for n in names]
        if all(v is None for v in values):
            continue
        row = f"| {label} | {' | '.join(cell(v) for v in values)} |"
        test = values[names.index("test")] if tuned else None
        for name in tuned:
            dev = values[names.index(name)]
            row += f" {test - dev:+.4g} |" if isinstance(dev, (int, float)) and isinstance(test, (int, float)) \
                else " – |"
        lines.append(row)
    return "\n".join(lines) + "\n"
