"""The sweeps behind the thresholds chosen in issue 14, on the two dev splits only, each alone (the test split is
never read here). Prints one table per setting: the gate's term coverage (RagConfig.min_term_coverage), the
quote lengths (QuoteRules) and the cite margin of which-documents questions (RagConfig.list_cite_margin).
English questions only (Chinese is served by other means). Run: .venv/bin/python bench/dev_sweeps.py"""
from __future__ import annotations

import dataclasses
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.offline import offline  # noqa: E402

offline()

SPLITS = ("dev", "dev2")


def _prepared(answerer, questions):
    from rag.quotes import with_quotes

    rows = []
    for q in questions:
        reading = answerer.read(q.question)
        sources = with_quotes(q.question, answerer.retrieve(q.question, None, None, reading),
                              answerer.retriever.similarities)
        rows.append((q, reading, sources))
    return rows


def _gate_rows(answerer, rows, coverage_values):
    from rag.reading import declined
    from rag.relevance import relevant_sources

    for value in coverage_values:
        config = dataclasses.replace(answerer.config, min_term_coverage=value)
        over, answerable, refused, unanswerable = 0, 0, 0, 0
        for q, reading, sources in rows:
            if q.type == "adversarial":
                continue
            relevant = relevant_sources(q.question, sources, config, reading.named, answerer.retriever.idf,
                                        reading.about_document)
            out = declined(q.question, reading, relevant, answerer.retriever.catalogue().documents,
                           answerer.retriever.document_text) is not None
            if q.answerable:
                answerable, over = answerable + 1, over + out
            else:
                unanswerable, refused = unanswerable + 1, refused + out
        yield value, round(over / answerable, 3), round(refused / unanswerable, 3)


def _quote_rows(answerer, rows, lengths):
    from rag.answer_text import source_label
    from rag.quotes import QuoteRules, with_quotes
    from rag.relevance import relevant_sources

    kept = []
    for q, reading, sources in rows:
        if q.answerable and q.key_terms:
            relevant = {s.n for s in relevant_sources(q.question, sources, answerer.config, reading.named,
                                                      answerer.retriever.idf, reading.about_document)}
            kept.append((q, [s for s in sources if s.n in relevant]))
    for whole in lengths:
        rules = QuoteRules(whole_chars=whole, max_chars=max(450, whole))
        found, chars = [], []
        for q, relevant in kept:
            quoted = with_quotes(q.question, relevant, answerer.retriever.similarities, rules)
            text = " ".join(f"{source_label(s)} {s.quote}" for s in quoted).lower()
            found.append(sum(t.lower() in text for t in q.key_terms) / len(q.key_terms))
            chars.append(sum(len(s.quote) for s in quoted))
        yield whole, round(statistics.fmean(found), 3), statistics.median(chars) if chars else 0


def _list_rows(answerer, rows, margins):
    from rag.relevance import relevant_sources

    lists = [(q, reading, sources) for q, reading, sources in rows if q.answerable and reading.lists]
    for margin in margins:
        config = dataclasses.replace(answerer.config, cite_margin=margin, max_cited=answerer.config.list_max_cited)
        precision, recall = [], []
        for q, reading, sources in lists:
            cited = {s.title for s in relevant_sources(q.question, sources, config, reading.named,
                                                       answerer.retriever.idf, reading.about_document)}
            gold = set(q.gold_docs)
            if cited:
                precision.append(len(cited & gold) / len(cited))
            recall.append(len(cited & gold) / len(gold))
        yield margin, len(lists), round(statistics.fmean(precision), 3), round(statistics.fmean(recall), 3)


def main() -> int:
    from eval.questions import SPLITS as FILES
    from eval.questions import load_questions
    from rag.answer import Answerer
    from rag.settings import load_settings

    settings = load_settings()
    answerer = Answerer.load(settings.index(), settings.rag(), with_llm=False)
    print("# Dev sweeps (command: .venv/bin/python bench/dev_sweeps.py; English questions; test never read)\n")
    for split in SPLITS:
        rows = _prepared(answerer, [q for q in load_questions(FILES[split]) if q.lang == "en"])
        print(f"## {split}\n\n| min_term_coverage | over-refusal | refusal recall |\n|---|---|---|")
        for row in _gate_rows(answerer, rows, (0.2, 0.3, 0.4, 0.5)):
            print("| " + " | ".join(map(str, row)) + " |")
        print("\n| whole_chars | key terms in the quotes | median quoted chars |\n|---|---|---|")
        for row in _quote_rows(answerer, rows, (320, 450, 600)):
            print("| " + " | ".join(map(str, row)) + " |")
        print("\n| list cite margin | which-documents questions | cited precision | cited recall |\n|---|---|---|---|")
        for row in _list_rows(answerer, rows, (0.03, 0.05, 0.08, 0.1, 0.15)):
            print("| " + " | ".join(map(str, row)) + " |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
