"""`govrag eval`: answer every question through the same answer API the UI uses, beside the naive baseline,
then score and write results.jsonl, metrics.json, report.md and report.html."""
from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

from eval.judge_agreement import agreements
from eval.metrics import aggregate, breakdown, language_group, outcome
from eval.questions import DEFAULT_QUESTIONS, Question, load_questions
from eval.report import markdown_report
from eval.report_html import html_report
from rag.answer import Answerer, QuestionError
from rag.types import AnswerEvent, AnswerResult, TokenEvent

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def select(questions: list[Question], ids: Sequence[str] | None = None, limit: int | None = None) -> list[Question]:
    """The questions with these ids (in file order), then the first `limit`."""
    if ids:
        unknown = set(ids) - {q.id for q in questions}
        if unknown:
            raise ValueError(f"no question with id {', '.join(sorted(unknown))} in the question file")
        questions = [q for q in questions if q.id in set(ids)]
    return questions[:limit]


def timed_answer(answerer: Answerer, question: str) -> tuple[AnswerResult, dict]:
    """The answer, with time to first token and decode speed measured on its event stream."""
    started = time.perf_counter()
    first = last = None
    events = 0
    result: AnswerResult | None = None
    try:
        for event in answerer.answer(question):
            if isinstance(event, TokenEvent):
                events += 1
                last = time.perf_counter()
                first = first or last
            elif isinstance(event, AnswerEvent):
                result = event.result
    except QuestionError as exc:  # a question file may hold what the UI would reject: it counts as refused
        result = AnswerResult(question, [], "refused", lead=f"Not answered: {exc}", timings_ms={"total": 0.0})
    assert result is not None, "the answer stream ended without an answer"
    tokenizer = getattr(answerer.llm, "tokenizer", None)  # a server's stream has one token per event
    tokens = len(tokenizer(result.draft)["input_ids"]) if tokenizer is not None and result.draft else events
    decode_s = (last - first) if first and last else 0.0  # decode speed: tokens after the first, over their time
    return result, {"ttft_ms": round((first - started) * 1000, 1) if first else None, "tokens": tokens,
                    "tokens_per_s": round((tokens - 1) / decode_s, 2) if tokens > 1 and decode_s > 0 else None}


def run_eval(answerer: Answerer, questions: Path | None = None, limit: int | None = None,
             ids: Sequence[str] | None = None, run_name: str | None = None, results_dir: Path = RESULTS_DIR,
             command: str = "", progress: bool = True, baseline: str = "naive", faithfulness: bool = False) -> Path:
    """Run and score; return the run folder (results_dir/run_name)."""
    from tqdm import tqdm

    items = select(load_questions(questions or DEFAULT_QUESTIONS), ids, limit)
    run_dir = results_dir / (run_name or time.strftime("%Y%m%d-%H%M%S"))
    run_dir.mkdir(parents=True, exist_ok=True)
    naive = None
    if baseline == "naive":
        from eval.naive import NaivePipeline

        naive = NaivePipeline(answerer, with_llm=answerer.llm is not None)
    judge_llm = None
    if faithfulness and answerer.llm is not None:
        from eval.faithfulness import FaithfulnessJudge

        judge_llm = FaithfulnessJudge(answerer.llm)
    min_support = answerer.config.min_support
    outcomes, base_outcomes = [], []
    with (run_dir / "results.jsonl").open("w", encoding="utf-8") as out:
        for q in tqdm(items, desc="eval", unit="q", disable=not progress):
            answer, timing = timed_answer(answerer, q.question)
            result = answer.to_json()
            scored = outcome(q, result, min_support=min_support, timing=timing)
            if judge_llm is not None and not answer.refused:
                scored["faithful"] = judge_llm.judge(q.question, answer)
            outcomes.append(scored)
            record = {"id": q.id, "type": q.type, "lang": q.lang, "evidence_lang": q.evidence_lang or q.lang, "gold_docs": list(q.gold_docs), **result,
                      "model_draft": answer.draft, "timing": timing, "outcome": scored}
            if naive is not None:
                base = naive.ask(q.question).to_json()
                # at its own k: it retrieves TOP_K (2) chunks, so its "recall@5" is its recall at 2
                base_outcomes.append(outcome(q, base, k=naive.top_k, min_support=min_support, implicit=True))
                record["baseline"] = {"answer": base["answer"], "sources": [s["title"] for s in base["sources"]],
                                      "outcome": base_outcomes[-1]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    metrics = aggregate(items, outcomes)
    if judge_llm is not None:
        metrics |= judge_llm.summary([o["faithful"] for o in outcomes if "faithful" in o])
    saved = {"run": run_dir.name, "questions_file": str(questions or DEFAULT_QUESTIONS), "command": command,
             "llm": getattr(answerer.llm, "name", None), "retrieval_only": answerer.llm is None,
             "top_k": answerer.config.top_k, "baseline": baseline if naive is not None else None,
             "metrics": metrics, "baseline_metrics": aggregate(items, base_outcomes) if naive is not None else None,
             "by_type": breakdown(items, outcomes, lambda q: q.type),
             "by_lang": breakdown(items, outcomes, lambda q: q.lang),
             "by_evidence": breakdown(items, outcomes, language_group),
             "judge_agreement": agreements(min_support)}
    (run_dir / "metrics.json").write_text(json.dumps(saved, indent=2, ensure_ascii=False), encoding="utf-8")
    (run_dir / "report.md").write_text(markdown_report(saved, items, outcomes), encoding="utf-8")
    (run_dir / "report.html").write_text(html_report(saved, items, outcomes), encoding="utf-8")
    return run_dir
