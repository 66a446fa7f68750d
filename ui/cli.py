"""`govrag` — the composition root: builds settings once and hands each command what it needs."""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

from ingest.offline import offline
from rag.types import Turn
from ui import cli_library
from ui.terminal import print_stages


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govrag", description="Cited answers about AI-governance principles.")
    parser.add_argument("--config", type=Path, help="TOML settings file (GOVRAG_* env vars override it)")
    sub = parser.add_subparsers(dest="command", required=True)

    cli_library.add_parsers(sub)

    for name, text in (("search", "ranked sources only"), ("ask", "a cited answer from the local model")):
        p = sub.add_parser(name, help=text)
        p.add_argument("question", nargs="?")
        p.add_argument("--top-k", type=int)
        p.add_argument("--json", action="store_true", help="print JSON")
        _filter_options(p)
    ask = sub.choices["ask"]
    ask.add_argument("--batch", type=Path, help="JSON Lines file; answers each line's 'question', keeping its 'id'")
    ask.add_argument("--compare", nargs=2, metavar="DOC", help="two document titles (or ids) to compare")
    ask.add_argument("--topic", help="with --compare: what to compare them on")
    ask.add_argument("--stream", action="store_true",
                     help="with --json: one JSON line as soon as the cited quotes are found (\"stage\": \"quotes\"), "
                          "then the final answer's (\"stage\": \"final\")")
    ask.add_argument("--previous", type=Path,
                     help="the previous answer (a file `ask --json` wrote, or its \"turn\"): answer QUESTION as its "
                          "follow-up. In --batch, lines sharing a \"conversation\" id follow each other")

    p = sub.add_parser("chat", help="a conversation in the terminal: follow-ups refer to the previous answer")
    p.add_argument("--top-k", type=int)
    _filter_options(p)

    p = sub.add_parser("related", help="the closest principles in other documents to one indexed principle")
    p.add_argument("node_id", help="a node id, as `search --json` prints it")
    p.add_argument("--top-k", type=int, default=5)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("ui", help="serve the chat UI")
    p.add_argument("--host", help="bind address (default 127.0.0.1; any other needs --auth or --auth-file)")
    p.add_argument("--port", type=int)
    p.add_argument("--auth", help="USER:PASSWORD required to use the UI")
    p.add_argument("--auth-file", type=Path, help="file of USER:PASSWORD lines")

    sub.add_parser("doctor", help="what runs here: Python, CPU, engines (probed), model, embedder, index, disk")

    p = sub.add_parser("eval", help="run the evaluation questions through the answer API")
    p.add_argument("--questions", type=Path, help="question file (JSON Lines; default eval/questions.jsonl)")
    p.add_argument("--split", choices=["dev", "dev2", "test", "both", "all"], default="dev",
                   help="dev: eval/questions.jsonl and dev2: eval/questions_dev2.jsonl (tune on them); test: "
                        "eval/questions_test.jsonl (never tune on it); both: dev and test, all: the three, one run "
                        "of each reported side by side (default dev)")
    p.add_argument("--conversations", action="store_true",
                   help="run the conversation sets (eval/conversations_{dev,dev2,test}.jsonl; --split as above) "
                        "instead of single questions: first turns and follow-ups reported apart")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--ids", help="only these question ids, comma-separated")
    p.add_argument("--run", help="run name (default: a timestamp)")
    p.add_argument("--results-dir", type=Path, help="where run folders go (default eval/results)")
    p.add_argument("--retrieval-only", action="store_true", help="no LLM: retrieval, refusal and citations only")
    p.add_argument("--model", help="the LLM: a .gguf file, a local transformers model folder, or the base URL of "
                                   "an OpenAI-compatible server (with --model-name); default: the bundled model")
    p.add_argument("--model-name", help="with a server URL as --model: the model name the server knows")
    p.add_argument("--baseline", choices=["naive", "none"], default="naive",
                   help="naive: a plain LlamaIndex pipeline measured beside govrag in the same run (default)")
    p.add_argument("--faithfulness", action="store_true", help="also ask the local LLM to judge faithfulness")
    p.add_argument("--compare", nargs=2, metavar="RUN", help="compare two finished runs (names or folders)")
    p.add_argument("--gate", nargs="?", const="", metavar="THRESHOLDS",
                   help="exit 1 when a metric is outside its bounds (default file eval/thresholds.toml)")
    p.add_argument("--gate-subset", action="store_true",
                   help="with --gate: run only the question ids the thresholds file lists for this mode")
    return parser


def _filter_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (case-insensitive; a part of the value is enough)")
    for name in ("issuer", "country", "region", "doc"):
        group.add_argument(f"--{name}")
    group.add_argument("--lang", help="language code, e.g. en or zh")
    group.add_argument("--year", help="2019, 2019..2023, 2019.. or ..2020")


def _filters(args: argparse.Namespace):
    from rag.filters import Filters, parse_years

    start, end = parse_years(args.year)
    return Filters(issuer=args.issuer, country=args.country, region=args.region, language=args.lang, doc=args.doc,
                   year_from=start, year_to=end)


def _print_sources(sources: list) -> None:
    for s in sources:
        meta = ", ".join(x for x in (s.issuer, s.date, f"p. {s.page}" if s.page else "") if x)
        print(f"[{s.n}] {s.score:.3f}  {s.title} ({meta})\n     {s.heading + ': ' if s.heading else ''}{s.quote}")


def cmd_search(args: argparse.Namespace, settings) -> int:
    from rag.answer import Answerer

    answerer = Answerer.load(settings.index(), settings.rag(), with_llm=False)
    sources = answerer.search(args.question or "", args.top_k, _filters(args))
    if args.json:
        print(json.dumps({"question": args.question, "sources": [s.public() for s in sources]}, ensure_ascii=False))
    else:
        _print_sources(sources)
    return 0


def cmd_ask(args: argparse.Namespace, settings) -> int:
    from rag.answer import Answerer, QuestionError

    if sum(map(bool, (args.batch, args.question, args.compare))) != 1:
        print("error: give one of: a question, --batch FILE, or --compare DOC DOC --topic TOPIC", file=sys.stderr)
        return 2
    if args.compare and not args.topic:
        print("error: --compare needs --topic (what to compare the two documents on)", file=sys.stderr)
        return 2
    filters = _filters(args)
    answerer = Answerer.load(settings.index(), settings.rag())
    if args.compare:
        result = answerer.compare(args.compare[0], args.compare[1], args.topic)
        print(json.dumps(result.to_json(), ensure_ascii=False) if args.json else result.answer)
        return 0
    if not args.batch:
        previous = _previous_turn(args.previous) if args.previous else None
        stages = answerer.stages(args.question, args.top_k, filters, previous)
        if not args.json:
            print_stages(stages)
            return 0
        for stage, result in stages:
            if args.stream or stage == "final":
                print(json.dumps({"stage": stage, **result.to_json()} if args.stream else result.to_json(),
                                 ensure_ascii=False), flush=True)
        return 0
    failures = 0
    turns: dict[str, Turn | None] = {}
    for number, line in enumerate(args.batch.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            conversation = str(item.get("conversation", ""))
            previous = Turn.from_json(item["previous"]) if item.get("previous") else turns.get(conversation)
            result = answerer.ask(str(item["question"]), args.top_k, filters, previous)
            if conversation:
                turns[conversation] = result.turn
            out = {"id": item.get("id", number), **result.to_json()}
        except (json.JSONDecodeError, KeyError, AttributeError, QuestionError, ValueError) as exc:
            failures += 1
            out = {"id": number, "error": f"{args.batch}:{number}: {exc}"}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failures else 0


def _previous_turn(path: Path) -> Turn:
    """The turn in a file `ask --json` wrote (its "turn"), or a turn object itself."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not JSON ({exc}); give a file `govrag ask --json` wrote") from exc
    raw = raw.get("turn", raw) if isinstance(raw, dict) else raw
    try:
        return Turn.from_json(raw)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc


def cmd_chat(args: argparse.Namespace, settings) -> int:
    """Questions from the terminal, one per line; each follow-up refers to the previous answer. An empty line or
    /clear starts a new conversation; end with Ctrl-D."""
    from rag.answer import Answerer, QuestionError

    answerer = Answerer.load(settings.index(), settings.rag())
    filters = _filters(args)
    previous = None
    print("govrag chat: ask a question; follow-ups refer to the previous answer. /clear starts over, Ctrl-D ends.")
    while True:
        try:
            line = input("\n> ").strip()
        except EOFError:
            print()
            return 0
        if not line or line == "/clear":
            previous = None
            print("(new conversation)")
            continue
        try:
            previous = print_stages(answerer.stages(line, args.top_k, filters, previous)).turn
        except QuestionError as exc:
            print(f"error: {exc}")


def cmd_related(args: argparse.Namespace, settings) -> int:
    from rag.answer import Answerer

    answerer = Answerer.load(settings.index(), settings.rag(), with_llm=False)
    origin, related = answerer.related(args.node_id, args.top_k)
    if args.json:
        print(json.dumps({"principle": origin.public(),
                          "related": [s.public() for s in related]}, ensure_ascii=False))
    else:
        print(f"{origin.title} — {origin.heading}\n{origin.text}\n\nRelated principles in other documents:")
        _print_sources(related)
    return 0


def cmd_ui(args: argparse.Namespace, settings) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from rag.answer import Answerer
    from ui.exposure import check_exposure, edits_allowed, read_auth

    host, port = args.host or settings.host, args.port or settings.port
    credentials = read_auth(args.auth, args.auth_file)
    warning = check_exposure(host, credentials)  # before the slow model load: fail fast
    if warning:
        print(warning, file=sys.stderr)
    # The index and models load (their native parts free of the GIL) while Gradio is imported (~2 s).
    with ThreadPoolExecutor(1, thread_name_prefix="load") as pool:
        loading = pool.submit(Answerer.load, settings.index(), settings.rag())
        from ui.app import build_app, serve
        from ui.library_tab import LibraryEdits

        answerer = loading.result()
    threading.Thread(target=answerer.warm_up, name="warm-up", daemon=True).start()  # while the page is built
    edits = LibraryEdits(settings.index(), settings.limits(), settings.data_dir.expanduser() / "uploads") \
        if edits_allowed(host, settings.ui_uploads) else None
    app = build_app(answerer, library_edits=edits)
    print(f"govrag UI on http://{host}:{port}", flush=True)
    serve(app, host, port, credentials, max_upload_mb=settings.max_file_mb if edits else None)
    return 0


def _run_dir(name: str) -> Path:
    from eval.runner import RESULTS_DIR

    return Path(name) if Path(name).is_dir() else RESULTS_DIR / name


def cmd_eval(args: argparse.Namespace, settings) -> int:
    from eval.gate import THRESHOLDS, bounds_for, load_thresholds
    from eval.questions import SPLITS
    from eval.runner import RESULTS_DIR, run_eval
    from rag.answer import Answerer

    if args.compare:
        from eval.compare import compare_runs

        print(compare_runs(*(_run_dir(name) for name in args.compare)))
        return 0
    thresholds = load_thresholds(Path(args.gate) if args.gate else THRESHOLDS) if args.gate is not None else None
    mode = "retrieval_only" if args.retrieval_only else "full"
    ids = args.ids.split(",") if args.ids else None
    if args.gate_subset:
        if thresholds is None:
            raise ValueError("--gate-subset needs --gate")
        ids = bounds_for(thresholds, mode, "test" if args.split == "test" else "dev").get("ids") or ids
    if args.model and args.model.startswith(("http://", "https://")):
        if not args.model_name:
            raise ValueError("--model with a server URL needs --model-name (the model the server serves)")
        settings = settings.model_copy(update={"llm_url": args.model, "llm_model": args.model_name})
    elif args.model:
        settings = settings.model_copy(update={"llm_model": args.model, "llm_url": None})
    answerer = Answerer.load(settings.index(), settings.rag(), with_llm=not args.retrieval_only)
    if args.conversations:
        return _eval_conversations(answerer, args)
    if args.split in ("both", "all"):
        if args.questions or ids:
            raise ValueError("--split both runs the two whole split files: without --questions or --ids")
        return _eval_both(answerer, args, thresholds)
    run_dir = run_eval(answerer, questions=args.questions or SPLITS[args.split], limit=args.limit, ids=ids,
                       run_name=args.run, results_dir=args.results_dir or RESULTS_DIR,
                       command="govrag " + " ".join(sys.argv[1:]), baseline=args.baseline,
                       faithfulness=args.faithfulness)
    print((run_dir / "report.md").read_text(encoding="utf-8"))
    print(f"written: {run_dir}")
    if thresholds is None:
        return 0
    split = "dev" if args.questions else args.split
    return _gate({split: json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))}, thresholds)


def _eval_conversations(answerer, args: argparse.Namespace) -> int:
    from eval.conversations import SPLITS, report, run_conversations
    from eval.runner import RESULTS_DIR

    splits = {"both": ["dev", "test"], "all": list(SPLITS)}.get(args.split, [args.split])
    if unknown := [s for s in splits if s not in SPLITS]:
        raise ValueError(f"--conversations has no {unknown[0]!r} split: use {', '.join(SPLITS)}, both or all")
    run_dir = (args.results_dir or RESULTS_DIR) / (args.run or time.strftime("%Y%m%d-%H%M%S"))
    scored = {split: run_conversations(answerer, split, run_dir / f"conversations-{split}") for split in splits}
    text = report(scored, "govrag " + " ".join(sys.argv[1:]))
    (run_dir / "conversations.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"written: {run_dir}")
    return 0


def _gate(saved: dict[str, dict], thresholds: dict) -> int:
    """Check each split's metrics against its bounds (dev2 has none: it is for tuning); print every violation;
    1 when any."""
    from eval.gate import check

    problems = [f"{split}: {problem}" for split, metrics in saved.items() if split != "dev2"
                for problem in check(metrics, thresholds, split)]
    for problem in problems:
        print(f"gate: {problem}", file=sys.stderr)
    print("gate: passed" if not problems else f"gate: FAILED ({len(problems)} metric(s) out of bounds)",
          file=sys.stderr)
    return 1 if problems else 0


def _eval_both(answerer, args: argparse.Namespace, thresholds: dict | None) -> int:
    """The dev and the test split in one run folder (RUN/dev, RUN/test) and their metrics side by side."""
    import time

    from eval.questions import SPLITS
    from eval.report import splits_table
    from eval.runner import RESULTS_DIR, run_eval

    name = args.run or time.strftime("%Y%m%d-%H%M%S")
    folder = (args.results_dir or RESULTS_DIR) / name
    saved = {}
    for split, path in SPLITS.items():
        if args.split == "both" and split == "dev2":
            continue
        run_dir = run_eval(answerer, questions=path, limit=args.limit, run_name=split, results_dir=folder,
                           command="govrag " + " ".join(sys.argv[1:]), baseline=args.baseline,
                           faithfulness=args.faithfulness)
        saved[split] = json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))
    table = f"# govrag eval — {name}: dev and test side by side\n\n" + splits_table(saved)
    (folder / "splits.md").write_text(table, encoding="utf-8")
    print(table)
    print(f"written: {folder}")
    return _gate(saved, thresholds) if thresholds is not None else 0


def cmd_doctor(args: argparse.Namespace, settings) -> int:
    from ui.doctor import doctor

    return doctor(settings, lambda line: print(line, flush=True))


COMMANDS = {"ingest": cli_library.cmd_ingest, "docs": cli_library.cmd_docs, "search": cmd_search, "ask": cmd_ask,
            "related": cmd_related, "ui": cmd_ui,
            "eval": cmd_eval, "doctor": cmd_doctor, "chat": cmd_chat}


def main(argv: list[str] | None = None) -> int:
    offline()
    args = _parser().parse_args(argv)
    from ingest.lock import IngestBusyError
    from ingest.store import ChromaUnavailableError, IndexMissingError, IngestWriteError
    from rag.answer import QuestionError
    from ui.exposure import ExposureError
    from rag.settings import load_settings

    try:
        settings = load_settings(args.config)
        return COMMANDS[args.command](args, settings)
    except (IndexMissingError, ChromaUnavailableError, IngestWriteError, IngestBusyError, QuestionError, ExposureError,
            FileNotFoundError, LookupError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
