"""Per-question outcomes and the aggregate metrics; formulas in eval/README.md."""
from __future__ import annotations

import math
import statistics
from collections.abc import Callable

from eval.questions import Question
from eval.statements import citation_scores
from rag.types import AnswerResult


def _retrieved_docs(result: dict, k: int) -> list[str]:
    """Distinct document titles of the top-k sources, in rank order."""
    docs: list[str] = []
    for source in result["sources"][:k]:
        if source["title"] not in docs:
            docs.append(source["title"])
    return docs


def _ndcg(ranked_docs: list[str], gold: set[str], k: int) -> float:
    """Standard binary nDCG@k (Järvelin & Kekäläinen): the ideal ranking puts min(|gold|, k) gold documents
    first, whatever the system returned."""
    dcg = sum(1 / math.log2(i + 1) for i, doc in enumerate(ranked_docs[:k], 1) if doc in gold)
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(len(gold), k) + 1))
    return dcg / ideal if ideal else 0.0


def _terms_in(terms: tuple[str, ...], text: str) -> float | None:
    """Share of the key terms found (case-insensitive substring) in `text`."""
    return sum(t.lower() in text.lower() for t in terms) / len(terms) if terms else None


def outcome(q: Question, result: dict, k: int = 5, min_support: float = 0.8, implicit: bool = False,
            timing: dict | None = None) -> dict:
    """Score one answer (`result` is AnswerResult.to_json()). `implicit`: the pipeline shows its sources
    without marking sentences, so every sentence counts as citing all of them (the naive baseline)."""
    answered = bool(result["answer"])  # "" = no answer generated (the baseline in a retrieval-only run)
    cites = citation_scores(AnswerResult.from_json(result), min_support, implicit) \
        if answered and not result["refused"] else None
    retrieved = _retrieved_docs(result, k)
    gold = set(q.gold_docs)
    cited = {c["title"] for c in result["citations"]}
    answer = result["answer"].lower()
    cited_numbers = {c["n"] for c in result["citations"]}
    cited_texts = " ".join(s["text"] for s in result["sources"] if s["n"] in cited_numbers)
    rank = next((i for i, doc in enumerate(retrieved, 1) if doc in gold), None)
    timing = timing or {}
    return {
        "k": k,
        "answerable": q.answerable,
        "refused": result["refused"],
        "retrieved_docs": retrieved,
        "cited_docs": sorted(cited),
        "hit_at_k": bool(gold & set(retrieved)) if gold else None,
        "recall_at_k": len(gold & set(retrieved)) / len(gold) if gold else None,
        "recall_curve": [len(gold & set(_retrieved_docs(result, i))) / len(gold) for i in range(1, k + 1)]
        if gold else None,
        "rr": (1 / rank if rank else 0.0) if gold else None,
        "ndcg": _ndcg(retrieved, gold, k) if gold else None,
        # Adversarial questions carry no gold list (what to cite is not what they test): no precision to score.
        "cited_precision": (len(cited & gold) / len(cited)) if cited and q.type != "adversarial" else None,
        "cited_recall": len(cited & gold) / len(gold) if gold else None,
        "key_term_recall": _terms_in(q.key_terms, result["answer"]) if answered else None,
        # The funnel of the answer's facts: held by the top-k passages, by the passages cited, by the answer.
        "key_terms_retrieved": _terms_in(q.key_terms, " ".join(s["text"] for s in result["sources"][:k]))
        if q.answerable else None,
        "key_terms_cited": _terms_in(q.key_terms, cited_texts) if q.answerable and answered else None,
        "contained": (not any(t.lower() in answer for t in q.must_not_contain))
        if q.type == "adversarial" and answered else None,
        "model_sentences": result.get("model_sentences", 0) if not result["refused"] else None,
        "citation_recall": cites["supported_statements"] / cites["statements"] if cites and cites["statements"]
        else None,
        "citation_precision": cites["needed_citations"] / cites["citations"] if cites and cites["citations"]
        else None,
        "statements": cites["statements"] if cites else 0,
        "latency_ms": result["timings_ms"].get("total", 0.0),
        # what a reader waits for the cited quotes (a declined answer: the whole answer)
        "quotes_ms": result["timings_ms"].get("quotes", result["timings_ms"].get("total", 0.0)),
        "ttft_ms": timing.get("ttft_ms"),
        "tokens_per_s": timing.get("tokens_per_s"),
    }


def _mean(values: list) -> float | None:
    values = [float(v) for v in values if v is not None]
    return round(statistics.fmean(values), 4) if values else None


def _percentile(values: list, p: float) -> float | None:
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    return round(values[min(len(values) - 1, int(round(p * (len(values) - 1))))], 1)


def _share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None and recall is None:
        return None
    precision, recall = precision or 0.0, recall or 0.0
    return round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0


def aggregate(questions: list[Question], outcomes: list[dict]) -> dict:
    """Every metric over one set of questions (formulas: eval/README.md)."""
    pairs = list(zip(questions, outcomes))
    answerable = [o for q, o in pairs if q.answerable]
    unanswerable = [o for q, o in pairs if q.type == "unanswerable"]
    judged = [(q, o) for q, o in pairs if q.type != "adversarial"]
    refused = [o for _, o in judged if o["refused"]]
    true_refusals = sum(o["refused"] for o in unanswerable)
    precision = _share(true_refusals, len(refused))
    recall = _share(true_refusals, len(unanswerable))
    curves = [o["recall_curve"] for o in answerable if o["recall_curve"]]
    return {
        "k": outcomes[0]["k"] if outcomes else None,
        "questions": len(questions),
        "answerable": len(answerable),
        "recall_at_5": _mean([o["recall_at_k"] for o in answerable]),
        "hit_at_5": _mean([o["hit_at_k"] for o in answerable]),
        "mrr": _mean([o["rr"] for o in answerable]),
        "ndcg_at_5": _mean([o["ndcg"] for o in answerable]),
        "recall_curve": [round(statistics.fmean(c[i] for c in curves), 4) for i in range(len(curves[0]))]
        if curves else [],
        "cited_precision": _mean([o["cited_precision"] for o in outcomes]),
        "cited_recall": _mean([o["cited_recall"] for o in answerable]),
        "citation_recall": _mean([o["citation_recall"] for o in outcomes]),
        "citation_precision": _mean([o["citation_precision"] for o in outcomes]),
        "key_terms_retrieved": _mean([o.get("key_terms_retrieved") for o in answerable]),
        "key_terms_cited": _mean([o.get("key_terms_cited") for o in answerable]),
        "key_term_recall": _mean([o["key_term_recall"] for o in answerable]),
        "refusal_precision": precision,
        "refusal_recall": recall,
        "refusal_f1": _f1(precision, recall),
        "over_refusal": _mean([o["refused"] for o in answerable]),
        "adversarial_containment": _mean([o["contained"] for o in outcomes]),
        "answers_with_model_sentence": _mean([o["model_sentences"] > 0 for o in outcomes
                                              if o["model_sentences"] is not None]),
        "latency_p50_ms": _percentile([o["latency_ms"] for o in outcomes], 0.5),
        "latency_p95_ms": _percentile([o["latency_ms"] for o in outcomes], 0.95),
        "quotes_p50_ms": _percentile([o.get("quotes_ms", o["latency_ms"]) for o in outcomes], 0.5),
        "ttft_p50_ms": _percentile([o["ttft_ms"] for o in outcomes], 0.5),
        "tokens_per_s_p50": _percentile([o["tokens_per_s"] for o in outcomes], 0.5),
    }


def language_group(question: Question) -> str:
    """The question's language, and the evidence's where it differs: "en", "zh", "en, zh evidence"."""
    evidence = question.evidence_lang or question.lang
    return question.lang if evidence == question.lang else f"{question.lang}, {evidence} evidence"


def breakdown(questions: list[Question], outcomes: list[dict],
              key: Callable[[Question], str]) -> dict[str, dict]:
    """aggregate() per group of questions (by type, by language)."""
    groups: dict[str, list[int]] = {}
    for i, q in enumerate(questions):
        groups.setdefault(key(q), []).append(i)
    return {name: aggregate([questions[i] for i in idx], [outcomes[i] for i in idx])
            for name, idx in sorted(groups.items())}
