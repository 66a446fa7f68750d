"""report.html: one self-contained page (tables and matplotlib plots inlined as PNG) with the same numbers as
report.md."""
from __future__ import annotations

import base64
import html
import io

from eval.questions import Question
from eval.report import GROUP_COLUMNS, LABELS, group_rows, metric_rows, misses, summary_line

PLOTTED = ["recall_at_5", "cited_precision", "citation_recall", "key_term_recall"]
STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;"
         "margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child"
         "{text-align:left}img{max-width:100%}")


def _png(figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(figure)
    return f'<img alt="plot" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">'


def _plots(saved: dict, outcomes: list[dict]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    images = []
    types = list(saved["by_type"])
    fig, ax = plt.subplots(figsize=(9, 3.5))
    width = 0.8 / len(PLOTTED)
    for i, key in enumerate(PLOTTED):
        ax.bar([t + i * width for t in range(len(types))], [saved["by_type"][t].get(key) or 0 for t in types],
               width, label=LABELS[key])
    ax.set_xticks([t + 0.4 - width / 2 for t in range(len(types))], types)
    ax.set_ylim(0, 1.05)
    ax.set_title("Metrics per question type")
    ax.legend(fontsize=7, loc="lower left")
    images.append(_png(fig))
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist([o["latency_ms"] / 1000 for o in outcomes], bins=20)
    ax.set_xlabel("seconds per answer")
    ax.set_ylabel("questions")
    ax.set_title("Latency")
    images.append(_png(fig))
    fig, ax = plt.subplots(figsize=(6, 3))
    for name, metrics in (("govrag", saved["metrics"]), ("naive baseline", saved.get("baseline_metrics"))):
        curve = (metrics or {}).get("recall_curve") or []
        if curve:
            ax.plot(range(1, len(curve) + 1), curve, marker="o", label=name)
    ax.set_xlabel("k (sources)")
    ax.set_ylabel("document recall@k")
    ax.set_ylim(0, 1.05)
    ax.legend()
    ax.set_title("Recall@k")
    images.append(_png(fig))
    return images


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def html_report(saved: dict, questions: list[Question], outcomes: list[dict]) -> str:
    parts = [f"<h1>govrag eval — {html.escape(saved['run'])}</h1>", f"<p>{html.escape(summary_line(saved))}</p>"]
    if saved.get("command"):
        parts.append(f"<p>Command: <code>{html.escape(saved['command'])}</code></p>")
    parts.append(_table(["metric", "govrag", "naive baseline", "difference"], [list(r) for r in metric_rows(saved)]))
    parts += _plots(saved, outcomes)
    for title, key in (("By question type", "by_type"), ("By language", "by_lang"),
                       ("By language of question, evidence", "by_evidence")):
        parts += [f"<h2>{title}</h2>", _table([key[3:]] + [LABELS.get(c, c) for c in GROUP_COLUMNS],
                                              group_rows(saved[key]))]
    wrong = misses(questions, outcomes)
    if wrong:
        parts += ["<h2>Questions to look at</h2>", _table(
            ["id", "type", "question", "refused", "retrieved", "cited"],
            [[q.id, q.type, q.question, str(o["refused"]), "; ".join(o["retrieved_docs"][:3]),
              "; ".join(o["cited_docs"])] for q, o in wrong])]
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>govrag eval {html.escape(saved["run"])}'
            f"</title><style>{STYLE}</style></head><body>{''.join(parts)}</body></html>\n")
