"""`govrag ingest` and `govrag docs list|show|remove`: what goes into the index and what it holds."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
#: Provenance flags of `govrag ingest` (each overrides the file's own properties and its FILE.meta.toml).
PROVENANCE_FLAGS = ("title", "issuer", "date", "country", "region", "url", "language")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="index corpus files and documents: PDF, DOCX, HTML, Markdown, text, JSON Lines "
                                      "(default: the bundled corpus/)")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    for flag in PROVENANCE_FLAGS:
        p.add_argument(f"--{flag}", help=f"the document's {flag} (overrides the file's own and FILE.meta.toml)")

    p = sub.add_parser("docs", help="the indexed documents: list, show one, remove one")
    verbs = p.add_subparsers(dest="verb", required=True)
    listing = verbs.add_parser("list", help="every indexed document, one line each")
    listing.add_argument("--json", action="store_true", help="print JSON")
    for verb, text in (("show", "one document's provenance and principles"), ("remove", "delete one document")):
        q = verbs.add_parser(verb, help=text)
        q.add_argument("document", help="its id (see `govrag docs list`), title, or a fragment naming only it")
        q.add_argument("--json", action="store_true", help="print JSON")


def cmd_ingest(args: argparse.Namespace, settings) -> int:
    from ingest.pipeline import ingest

    paths = args.paths or [DEFAULT_CORPUS]
    overrides = {flag: getattr(args, flag) for flag in PROVENANCE_FLAGS if getattr(args, flag)}
    report = ingest(paths, settings.index(), progress=not args.quiet, limits=settings.limits(), overrides=overrides)
    print(f"index: {settings.index().location}")
    print(report.summary())
    return 1 if report.errors else 0


def cmd_docs(args: argparse.Namespace, settings) -> int:
    from ingest.library import find_document, list_documents, remove_document

    if args.verb == "remove":
        removed = remove_document(settings.index(), args.document)
        print(json.dumps(removed.summary(), ensure_ascii=False) if args.json else
              f"removed {removed.doc_id} ({removed.title}): {len(removed.passages)} passages")
        return 0
    documents = list_documents(settings.index())
    if args.verb == "list":
        if args.json:
            print(json.dumps([d.summary() for d in documents], ensure_ascii=False, indent=1))
        for d in [] if args.json else documents:
            where = ", ".join(x for x in (d.issuer, d.date[:4], d.country) if x)
            print(f"{d.doc_id}\t{d.title}" + (f" ({where})" if where else "")
                  + f"\t{len(d.headings)} principles" + (f", {d.pages} pages" if d.pages else ""))
        if not args.json:
            print(f"{len(documents)} documents in {settings.index().location}")
        return 0
    document = find_document(documents, args.document)
    if args.json:
        print(json.dumps({**document.summary(), "passages": [
            {"heading": p.heading, "page": p.page, "text": p.text} for p in document.passages]},
            ensure_ascii=False, indent=1))
        return 0
    for key, value in document.summary().items():
        if value:
            print(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    for passage in document.passages:
        page = f" (p. {passage.page})" if passage.page else ""
        print(f"\n## {passage.heading or '(untitled)'}{page}\n{passage.text}")
    return 0
