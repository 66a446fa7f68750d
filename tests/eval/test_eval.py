import json

from eval.metrics import aggregate, outcome
from eval.questions import load_questions
from eval.runner import run_eval
from ingest.loaders import load_corpus
from tests.conftest import CORPUS


def test_question_file_is_valid_against_the_corpus():
    questions = load_questions()
    assert len(questions) >= 40
    assert sum(q.type == "unanswerable" for q in questions) >= 6
    assert sum(q.lang == "zh" for q in questions) >= 4
    docs = {r.title: r for r in load_corpus([CORPUS]).records}
    seed = {r.title for r in docs.values() if r.doc_id.startswith("seed-")}
    assert seed <= {t for q in questions for t in q.gold_docs}  # all five seed documents are asked about
    for q in questions:
        text = " ".join(f"{d.title} {d.issuer} {d.date} {d.abstract} " + " ".join(p.heading + " " + p.text
                        for p in d.principles) for d in (docs[t] for t in q.gold_docs)).lower()
        for term in q.key_terms:
            assert term in text, (q.id, term)


def test_metrics_on_a_hand_made_outcome():
    q_ok, q_none = load_questions()[0], next(q for q in load_questions() if q.type == "unanswerable")
    src = lambda n, t: {"n": n, "title": t, "text": f"Quote {n}. More.", "score": 0.5}  # noqa: E731
    cite = lambda n, t: {"n": n, "title": t, "quote": f"Quote {n}."}  # noqa: E731
    good = {"sources": [src(1, "Other"), src(2, q_ok.gold_docs[0])], "citations": [cite(2, q_ok.gold_docs[0])],
            "answer": " ".join(q_ok.key_terms) + "\n\nWhat the sources say:\n- [2] “Quote 2.”", "refused": False,
            "timings_ms": {"total": 10.0}}
    bad = {"sources": [src(1, "Other")], "citations": [cite(1, "Other")],
           "answer": "Invented claim about Mars [1].\n\nWhat the sources say:\n- [1] “Not the quote.” [7]",
           "refused": False, "timings_ms": {"total": 30.0}}
    m = aggregate([q_ok, q_none], [outcome(q_ok, good), outcome(q_none, bad)])
    assert m["mrr"] == 0.5 and m["key_term_recall"] == 1.0
    assert m["citations_verified"] == 0.25  # 1 of 4 marks: the good quote; not the claim, wrong quote, [7]
    assert m["cited_precision"] == 0.5  # the unanswerable question's citation counts as wrong
    assert m["refusal_recall"] == 0.0 and m["over_refusal"] == 0.0


def test_retrieval_only_run_writes_results_metrics_and_report(full_index, tmp_path):
    from rag.answer import Answerer
    from rag.config import RagConfig

    answerer = Answerer.load(full_index, RagConfig(), with_llm=False)
    run_dir = run_eval(answerer, run_name="t", results_dir=tmp_path, progress=False)
    lines = (run_dir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(load_questions())
    saved = json.loads((run_dir / "metrics.json").read_text())
    metrics, baseline = saved["metrics"], saved["baseline_plain_vector"]
    assert metrics["recall_at_5"] >= 0.9 and metrics["refusal_recall"] >= 0.9 and metrics["over_refusal"] <= 0.1
    assert metrics["citations_verified"] == 1.0
    assert metrics["cited_precision"] > baseline["cited_precision"] and baseline["refusal_recall"] == 0.0
    assert "| document recall@5 |" in (run_dir / "report.md").read_text()
