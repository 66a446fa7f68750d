"""Conversations: multi-turn questions run through the same answer API as a chat (each turn's `previous` is the
last answer's turn), scored per turn and reported for first turns and follow-ups apart, by kind and language.

Files: eval/conversations_dev.jsonl and conversations_dev2.jsonl (tune on them) and eval/conversations_test.jsonl
(never tuned on), each written blind by a helper who never read rag/ (eval/README.md, "Conversations"). Per turn:
- reading right — a first turn is read as asked; a follow-up about the previous document ("document", "else",
  "absent", "language") is searched within exactly the expected document (one of `within`); a "compare" turn
  compares two of the expected documents; a "topic" turn that moves the topic to one named document is
  searched inside it (or cites it first), one naming an issuer of several is rewritten with the previous topic
  (whether that topic was the right one shows in its recall and key terms: the helpers' topic_words are labels
  such as "transparency" for "opening up source code", not words a rewrite must contain);
- recall@5 of the gold documents in the turn's sources, key-term recall of the answer text, refusal of an
  "absent" turn (the document does not state it), over-refusal of an answerable one."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from pathlib import Path

from rag.answer import Answerer
from rag.types import AnswerResult, Turn

HERE = Path(__file__).resolve().parent
SPLITS = {"dev": HERE / "conversations_dev.jsonl", "dev2": HERE / "conversations_dev2.jsonl",
          "test": HERE / "conversations_test.jsonl"}
KINDS = ("first", "document", "else", "topic", "compare", "absent", "language")
#: Follow-up kinds read as being about the previous document: searched within it.
WITHIN_KINDS = ("document", "else", "absent", "language")


@dataclass(frozen=True)
class ConversationTurn:
    question: str
    lang: str
    kind: str
    gold_docs: tuple[str, ...]
    key_terms: tuple[str, ...]
    answerable: bool
    within: tuple[str, ...]
    topic_words: tuple[str, ...]


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[ConversationTurn, ...]


def load_conversations(path: Path) -> list[Conversation]:
    """The conversations of a file; a clear error naming the line and field when one is malformed."""
    conversations = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            turns = tuple(ConversationTurn(t["question"], t.get("lang", "en"), t["kind"],
                                           tuple(t.get("gold_docs", ())), tuple(t.get("key_terms", ())),
                                           bool(t.get("answerable", True)), tuple(t.get("within", ())),
                                           tuple(t.get("topic_words", ()))) for t in raw["turns"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a conversation record ({exc}); each line needs id and turns, "
                             "each turn question and kind") from None
        if bad := [t.kind for t in turns if t.kind not in KINDS]:
            raise ValueError(f"{path}:{number}: unknown turn kind {bad[0]!r}; use one of {list(KINDS)}")
        if not turns or turns[0].kind != "first":
            raise ValueError(f"{path}:{number}: a conversation starts with a turn of kind 'first'")
        conversations.append(Conversation(str(raw["id"]), turns))
    return conversations


def reading_right(turn: ConversationTurn, result: AnswerResult) -> bool:
    """Whether the turn was read as the conversation means it (module docstring)."""
    within = set(result.within)
    if turn.kind == "first":
        return not result.asked and not within
    if turn.kind in WITHIN_KINDS:
        return len(within) == 1 and within <= set(turn.within)
    if turn.kind == "compare":
        return len(within) == 2 and within <= set(turn.within)
    if len(turn.within) == 1:  # the topic moved to one named document: searched inside it, or cited first
        first = result.citations[0].title if result.citations else ""
        return within == set(turn.within) or (not within and first in turn.within)
    return bool(result.asked) and (not within or within <= set(turn.within))


def score_turn(turn: ConversationTurn, result: AnswerResult, k: int = 5) -> dict:
    titles: list[str] = []
    for source in result.sources:
        if source.title not in titles:
            titles.append(source.title)
    compared = len(result.within) == 2  # a comparison's sources are both sides': all count
    top = set(titles if compared else titles[:k])
    gold = set(turn.gold_docs)
    answer = result.answer.lower()
    return {
        "reading_right": reading_right(turn, result),
        "recall_at_5": len(gold & top) / len(gold) if gold and turn.answerable else None,
        "key_term_recall": (sum(t.lower() in answer for t in turn.key_terms) / len(turn.key_terms)
                            if turn.key_terms and turn.answerable else None),
        "refused": result.refused,
    }


def _mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 4) if values else None


def aggregate(rows: list[dict]) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    absent = [r for r in rows if not r["answerable"]]
    return {"turns": len(rows), "reading_right": _mean([r["outcome"]["reading_right"] for r in rows]),
            "recall_at_5": _mean([r["outcome"]["recall_at_5"] for r in answerable]),
            "key_term_recall": _mean([r["outcome"]["key_term_recall"] for r in answerable]),
            "refusal_recall": _mean([r["outcome"]["refused"] for r in absent]),
            "over_refusal": _mean([r["outcome"]["refused"] for r in answerable])}


def metrics(rows: list[dict]) -> dict:
    """First turns and follow-ups apart, then follow-ups by kind and every turn by language."""
    follow = [r for r in rows if r["kind"] != "first"]
    return {"first": aggregate([r for r in rows if r["kind"] == "first"]), "follow_up": aggregate(follow),
            "by_kind": {kind: aggregate([r for r in follow if r["kind"] == kind]) for kind in KINDS[1:]
                        if any(r["kind"] == kind for r in follow)},
            "by_lang": {lang: aggregate([r for r in follow if r["lang"] == lang])
                        for lang in sorted({r["lang"] for r in follow})}}


def run_conversations(answerer: Answerer, split: str, out_dir: Path) -> dict:
    """Answer every conversation of a split turn by turn (each follow-up given the previous answer's turn),
    write results.jsonl and metrics.json under out_dir, return the metrics."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    # A Chinese answer names a document by its Chinese title where one is indexed; the sets name it in English.
    titles = dict(answerer.documents())
    english = {chinese: titles[doc] for doc, chinese in answerer.retriever.catalogue().chinese_titles if doc in titles}
    with (out_dir / "results.jsonl").open("w", encoding="utf-8") as out:
        for conversation in load_conversations(SPLITS[split]):
            previous: Turn | None = None
            for number, turn in enumerate(conversation.turns, 1):
                started = time.perf_counter()
                result = answerer.ask(turn.question, previous=previous)
                previous = result.turn
                result = replace(result, within=tuple(english.get(t, t) for t in result.within))
                row = {"conversation": conversation.id, "turn": number, "kind": turn.kind, "lang": turn.lang,
                       "asked": turn.question, "answerable": turn.answerable, "gold_docs": list(turn.gold_docs),
                       "expected_within": list(turn.within), "read_as": result.question,
                       "within": list(result.within), "verdict": result.verdict,
                       "cited": sorted({c.title for c in result.citations}),
                       "sources": [s.title for s in result.sources], "answer": result.answer,
                       "latency_ms": round((time.perf_counter() - started) * 1000, 1),
                       "outcome": score_turn(turn, result)}
                rows.append(row)
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    scored = metrics(rows)
    (out_dir / "metrics.json").write_text(json.dumps(scored, indent=2, ensure_ascii=False), encoding="utf-8")
    return scored


def report(by_split: dict[str, dict], command: str) -> str:
    """The Markdown table: per split, first turns, follow-ups and each follow-up kind and language."""
    keys = ("turns", "reading_right", "recall_at_5", "key_term_recall", "refusal_recall", "over_refusal")
    lines = [f"# govrag eval — conversations\n\n`{command}`\n",
             "| split | turns | n | reading right | recall@5 | key terms | refusal recall | over-refusal |",
             "|---|---|---|---|---|---|---|---|"]
    for split, scored in by_split.items():
        groups = [("first turns", scored["first"]), ("follow-ups", scored["follow_up"])]
        groups += [(f"follow-ups: {kind}", m) for kind, m in scored["by_kind"].items()]
        groups += [(f"follow-ups: {lang}", m) for lang, m in scored["by_lang"].items()]
        for name, m in groups:
            lines.append(f"| {split} | {name} | " + " | ".join("–" if m[k] is None else str(m[k]) for k in keys)
                         + " |")
    return "\n".join(lines) + "\n"
