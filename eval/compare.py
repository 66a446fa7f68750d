"""`govrag eval --compare RUN_A RUN_B`: did a change, a model or a corpus make answers better? The metric
differences, then every question whose outcome changed."""
from __future__ import annotations

import json
from pathlib import Path

from eval.report import LABELS, cell

#: The per-question outcomes a reader checks when a question changes.
WATCHED = ("refused", "hit_at_k", "cited_precision", "citation_recall", "key_term_recall", "contained")


def _load(run_dir: Path) -> tuple[dict, dict[str, dict]]:
    try:
        saved = json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))
        results = {r["id"]: r for r in map(json.loads, (run_dir / "results.jsonl").read_text(
            encoding="utf-8").splitlines())}
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{run_dir} is not a finished eval run (metrics.json and results.jsonl): {exc}") from None
    return saved, results


def compare_runs(run_a: Path, run_b: Path) -> str:
    """Markdown: metric | A | B | B − A, then the questions (in both runs) whose watched outcomes differ."""
    (saved_a, results_a), (saved_b, results_b) = _load(run_a), _load(run_b)
    lines = [f"# {saved_a['run']} → {saved_b['run']}", "", "| metric | A | B | B − A |", "|---|---|---|---|"]
    for key, label in LABELS.items():
        a, b = saved_a["metrics"].get(key), saved_b["metrics"].get(key)
        if a is None and b is None:
            continue
        diff = f"{b - a:+.4g}" if isinstance(a, (int, float)) and isinstance(b, (int, float)) else "–"
        lines.append(f"| {label} | {cell(a)} | {cell(b)} | {diff} |")
    changed = []
    for qid in results_a.keys() & results_b.keys():
        oa, ob = results_a[qid]["outcome"], results_b[qid]["outcome"]
        diffs = [f"{k}: {cell(oa.get(k))} → {cell(ob.get(k))}" for k in WATCHED if oa.get(k) != ob.get(k)]
        if diffs:
            changed.append(f"| {qid} | {results_a[qid]['question'].replace('|', '/')} | {'; '.join(diffs)} |")
    lines += ["", f"## Questions whose outcome changed ({len(changed)})", ""]
    lines += ["| id | question | changes |", "|---|---|---|"] + sorted(changed) if changed else ["None."]
    only = sorted(results_a.keys() ^ results_b.keys())
    if only:
        lines += ["", f"In one run only: {', '.join(only)}"]
    return "\n".join(lines) + "\n"
