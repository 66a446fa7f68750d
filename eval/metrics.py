"""Per-question outcomes and the aggregate metrics (formulas in the docstrings)."""
from __future__ import annotations

import statistics

import re

from eval.questions import Question
from rag.answer import EVIDENCE_HEADING
from rag.citations import judge
from rag.text import split_sentences, strip_citation_marks
from rag.types import Source

_MARK = re.compile(r"\[(\d+)\]")


def verified_citations(result: dict, min_support: float) -> tuple[int, int]:
    """(verified, total) citation marks in the answer. A mark on a quote line is verified when the quote is
    a verbatim sentence of source n; a mark on a synthesis sentence when the support judge accepts it."""
    sources = {s["n"]: Source(**{k: s.get(k, "") for k in ("n", "doc_id", "title", "issuer", "date", "url",
                                                            "country", "language", "heading", "text")},
                              node_id="", score=s["score"]) for s in result["sources"]}
    quotes = {c["n"]: c["quote"] for c in result["citations"]}
    verified = total = 0
    synthesis, _, evidence = result["answer"].partition(EVIDENCE_HEADING)
    for line in evidence.splitlines():
        for n in map(int, _MARK.findall(line)):
            total += 1
            verified += n in sources and bool(quotes.get(n)) and quotes[n] in line and quotes[n] in sources[n].text
    for sentence in split_sentences(synthesis):
        for n in map(int, _MARK.findall(sentence)):
            total += 1
            verified += n in sources and judge(strip_citation_marks(sentence), sources[n]) >= min_support
    return verified, total


def outcome(q: Question, result: dict, k: int = 5, min_support: float = 0.8) -> dict:
    """Score one answer. `result` is AnswerResult.to_json()."""
    verified, marks = verified_citations(result, min_support)
    retrieved = []
    for s in result["sources"][:k]:
        if s["title"] not in retrieved:
            retrieved.append(s["title"])
    cited = {c["title"] for c in result["citations"]}
    gold = set(q.gold_docs)
    answer = result["answer"].lower()
    rank = next((i for i, s in enumerate(result["sources"][:k], 1) if s["title"] in gold), None)
    return {
        "answerable": q.answerable,
        "refused": result["refused"],
        "retrieved_docs": retrieved,
        "cited_docs": sorted(cited),
        "hit_at_k": bool(gold & set(retrieved)) if gold else None,
        "recall_at_k": len(gold & set(retrieved)) / len(gold) if gold else None,
        "rr": (1 / rank if rank else 0.0) if gold else None,
        "cited_precision": (len(cited & gold) / len(cited)) if cited else None,
        "cited_recall": len(cited & gold) / len(gold) if gold else None,
        "key_term_recall": (sum(t.lower() in answer for t in q.key_terms) / len(q.key_terms)) if q.key_terms else None,
        "contained": (not any(t.lower() in answer for t in q.must_not_contain)) if q.type == "adversarial" else None,
        "model_sentences": result.get("model_sentences", 0) if not result["refused"] else None,
        "citation_marks": marks,
        "citations_verified": verified,
        "latency_ms": result["timings_ms"].get("total", 0.0),
    }


def _mean(values: list) -> float | None:
    values = [float(v) for v in values if v is not None]
    return round(statistics.fmean(values), 4) if values else None


def _percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))], 1)


def aggregate(questions: list[Question], outcomes: list[dict]) -> dict:
    """recall@k: mean share of gold documents among the top-k retrieved (answerable questions);
    hit@k: share of answerable questions with a gold document in the top k; MRR: mean 1/rank of the first gold
    source; cited precision: mean |cited ∩ gold| / |cited| over answers that cite (unanswerable ones count 0);
    cited recall: mean |cited ∩ gold| / |gold| over answerable questions (refused = 0);
    refusal precision/recall over questions of type 'unanswerable'; over-refusal: share of answerable refused;
    refusal accuracy: share of non-adversarial questions refused exactly when unanswerable."""
    pairs = list(zip(questions, outcomes))
    answerable = [o for q, o in pairs if q.answerable]
    unanswerable = [o for q, o in pairs if q.type == "unanswerable"]
    judged = [(q, o) for q, o in pairs if q.type != "adversarial"]
    refused = [o for _, o in judged if o["refused"]]
    true_refusals = [o for o in unanswerable if o["refused"]]
    latencies = [o["latency_ms"] for o in outcomes]
    return {
        "questions": len(questions),
        "answerable": len(answerable),
        "recall_at_5": _mean([o["recall_at_k"] for o in answerable]),
        "hit_at_5": _mean([o["hit_at_k"] for o in answerable]),
        "mrr": _mean([o["rr"] for o in answerable]),
        "cited_precision": _mean([o["cited_precision"] for o in outcomes]),
        "cited_recall": _mean([o["cited_recall"] for o in answerable]),
        "key_term_recall": _mean([o["key_term_recall"] for o in answerable]),
        "refusal_precision": round(len(true_refusals) / len(refused), 4) if refused else None,
        "refusal_recall": round(len(true_refusals) / len(unanswerable), 4) if unanswerable else None,
        "over_refusal": _mean([o["refused"] for o in answerable]),
        "refusal_accuracy": _mean([o["refused"] == (not q.answerable) for q, o in judged]),
        "adversarial_containment": _mean([o["contained"] for o in outcomes]),
        "answers_with_model_sentence": _mean([o["model_sentences"] > 0 for o in outcomes
                                              if o["model_sentences"] is not None]),
        "citations_verified": (round(sum(o["citations_verified"] for o in outcomes)
                                     / sum(o["citation_marks"] for o in outcomes), 4)
                               if sum(o["citation_marks"] for o in outcomes) else None),
        "latency_p50_ms": _percentile(latencies, 0.5),
        "latency_p95_ms": _percentile(latencies, 0.95),
    }
