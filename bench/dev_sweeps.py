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


def _chinese_rows(settings, questions, variants):
    """Per variant (a name and a function that sets it), the whole answer pipeline without the model on the
    Chinese questions and on the English ones whose evidence is Chinese (recall@5, key terms in the answer,
    refusals), and the English questions' MRR (a Chinese passage must not crowd English answers out)."""
    from rag.answer import Answerer

    for name, apply in variants:
        restore = apply()
        answerer = Answerer.load(settings.index(), settings.rag(), with_llm=False)
        by_kind: dict[str, list] = {"zh": [], "en, Chinese evidence": [], "en": []}
        for q in questions:
            kind = "zh" if q.lang == "zh" else "en, Chinese evidence" if q.evidence_lang == "zh" else "en"
            result = answerer.ask(q.question)
            docs = list(dict.fromkeys(s.title for s in result.sources))
            rank = next((i for i, d in enumerate(docs, 1) if d in q.gold_docs), None)
            by_kind[kind].append((q, result, docs, rank))
        restore()
        out = [name]
        for kind in ("zh", "en, Chinese evidence", "en"):
            rows = [r for r in by_kind[kind] if r[0].answerable]
            if not rows:
                out += ["0", "–", "–", "–", "–"]
                continue
            recall = statistics.fmean(len(set(d[:5]) & set(q.gold_docs)) / len(q.gold_docs) for q, _, d, _ in rows)
            cited = statistics.fmean(len({c.title for c in r.citations} & set(q.gold_docs)) / len(q.gold_docs)
                                     for q, r, _, _ in rows)
            terms = statistics.fmean(sum(t.lower() in r.answer.lower() for t in q.key_terms) / len(q.key_terms)
                                     for q, r, _, _ in rows if q.key_terms)
            over = statistics.fmean(r.refused for _, r, _, _ in rows)
            out += [f"{len(rows)}", f"{recall:.3f}", f"{cited:.3f}", f"{terms:.3f}", f"{over:.3f}"]
        english = [r for r in by_kind["en"] if r[0].answerable]
        out.append(f"{statistics.fmean(1 / rank if rank else 0 for *_, rank in english):.4f}")
        yield out


def _setting(module, name, value):
    """Sets module.name to value; returns the function that restores it."""
    old = getattr(module, name)
    setattr(module, name, value)
    return lambda: setattr(module, name, old)


def _prepared(answerer, questions):
    from rag.quotes import with_quotes

    rows = []
    for q in questions:
        query = answerer.retriever.query(q.question)
        reading = answerer.read(q.question, query)
        sources = with_quotes(query.english, answerer.retrieve(q.question, None, None, reading, query),
                              answerer.retriever.similarities)
        rows.append((q, reading, sources, query))
    return rows


def _gate_rows(answerer, rows, coverage_values):
    from rag.reading import declined
    from rag.relevance import relevant_sources

    for value in coverage_values:
        config = dataclasses.replace(answerer.config, min_term_coverage=value)
        over, answerable, refused, unanswerable = 0, 0, 0, 0
        for q, reading, sources, query in rows:
            if q.type == "adversarial":
                continue
            relevant = relevant_sources(query, sources, config, reading.named, answerer.retriever.idf,
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
    for q, reading, sources, query in rows:
        if q.answerable and q.key_terms:
            relevant = {s.n for s in relevant_sources(query, sources, answerer.config, reading.named,
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

    lists = [row for row in rows if row[0].answerable and row[1].lists]
    for margin in margins:
        config = dataclasses.replace(answerer.config, cite_margin=margin, max_cited=answerer.config.list_max_cited)
        precision, recall = [], []
        for q, reading, sources, query in lists:
            cited = {s.title for s in relevant_sources(query, sources, config, reading.named,
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

    import rag.bridge
    import rag.retrieve
    import rag.terms

    settings = load_settings()
    if "--chinese" in sys.argv:
        questions = [q for split in SPLITS for q in load_questions(FILES[split])]
        groups = ("zh", "en, zh evidence", "en")
        print("# Chinese sweeps (command: .venv/bin/python bench/dev_sweeps.py --chinese; dev + dev2, answerable "
              "questions; test never read)\n\n| setting | " + " | ".join(
                  f"{g}: n | recall@5 | cited recall | key terms | over-refusal" for g in groups)
              + " | en MRR |\n" + "|---" * 17 + "|")
        variants = [(f"CJK_TOKENS={v}", lambda v=v: _setting(rag.terms, "CJK_TOKENS", v))
                    for v in ("words", "bigrams")]
        variants += [(f"UNREAD_COVERAGE={v}", lambda v=v: _setting(rag.retrieve, "UNREAD_COVERAGE", v))
                     for v in (0.3, 0.9)]
        variants += [(f"SENSES_MATCHED={v}", lambda v=v: _setting(rag.bridge, "SENSES_MATCHED", v)) for v in (99,)]
        variants += [(f"LEXICAL_SENSES={v}", lambda v=v: _setting(rag.bridge, "LEXICAL_SENSES", v)) for v in (1, 3)]
        for row in _chinese_rows(settings, questions, variants):
            print("| " + " | ".join(row) + " |")
        return 0
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
