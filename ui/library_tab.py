"""The Library tab: every indexed document in a table with search and filters, a document opened to its principles
(each with its related principles, and "ask about this document"), charts, and — where allowed — upload and remove.

The documents come from the answer API (`Answerer.library`), uploads go through the same ingest as `govrag
ingest` (same readers, same limits, same lock), and the index reloads live for every user."""
from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import gradio as gr

from ingest.config import IndexConfig, ReaderLimits
from ingest.library import IndexedDocument, find_document
from rag.answer import Answerer
from ui.library_stats import coverage, per_value, values
from ui.render import document_html, escape, related_html

log = logging.getLogger(__name__)

COLUMNS = ["title", "issuer", "country", "region", "year", "language", "principles", "file", "id"]
ANY = "any"
UPLOAD_TYPES = [".pdf", ".docx", ".html", ".htm", ".md", ".txt"]
COVERAGE_BY = {"institution type": "institution_type", "country": "country", "region": "region"}


@dataclass(frozen=True)
class LibraryEdits:
    """Uploading and removing documents from the UI, where allowed (ui/cli.py decides): the index written to,
    the reader limits, and the folder that keeps uploaded files (their passages cite them)."""
    index: IndexConfig
    limits: ReaderLimits
    folder: Path


def filtered(documents: list[IndexedDocument], search: str = "", country: str = ANY, region: str = ANY,
             language: str = ANY, institution: str = ANY) -> list[IndexedDocument]:
    """The documents whose title, issuer, country or id hold every word searched, and that match each filter."""
    words = (search or "").lower().split()
    kept = []
    for d in documents:
        haystack = " ".join((d.title, d.issuer, d.country, d.region, d.doc_id)).lower()
        if not all(w in haystack for w in words):
            continue
        if any(wanted not in (None, "", ANY) and wanted not in values(field) for wanted, field in (
                (country, d.country), (region, d.region), (institution, d.institution_type))):
            continue
        if language not in (None, "", ANY) and language not in d.languages:
            continue
        kept.append(d)
    return kept


def rows(documents: list[IndexedDocument]) -> list[list[Any]]:
    return [[d.title, d.issuer, d.country, d.region, d.date[:4], ", ".join(d.languages), len(d.headings),
             Path(d.source_file).name, d.doc_id] for d in documents]


def _choices(documents: list[IndexedDocument], field: str) -> list[str]:
    return [ANY] + sorted(v for v in per_value(documents, field) if not v.startswith("("))


def refresh(answerer: Answerer, search: str, country: str, region: str, language: str, institution: str,
            by: str, reload: bool = False) -> tuple[Any, ...]:
    """Table, count, the document picker, the filter choices and the charts, for the documents shown."""
    from ui.charts import coverage_chart, region_chart, year_chart  # matplotlib: at the first page load, not start

    documents = answerer.library(reload=reload)
    shown = filtered(documents, search, country, region, language, institution)
    count = f"**{len(shown)}** of {len(documents)} indexed documents shown."
    picker = gr.Dropdown(choices=[(d.title[:90], d.doc_id) for d in shown])
    return (gr.Dataframe(value=rows(shown) or [[""] * len(COLUMNS)], headers=COLUMNS), count, picker,
            gr.Dropdown(choices=_choices(documents, "country")), gr.Dropdown(choices=_choices(documents, "region")),
            gr.Dropdown(choices=_choices(documents, "institution_type")),
            year_chart(shown), region_chart(shown), coverage_chart(coverage(shown, COVERAGE_BY[by]), by))


def compare_choices(answerer: Answerer) -> tuple[Any, Any]:
    """The chat's two compare pickers, listing the documents indexed now (uploads and ingests included)."""
    documents = [(title, doc_id) for doc_id, title in answerer.documents()]
    return gr.Dropdown(choices=documents), gr.Dropdown(choices=documents)


def open_document(answerer: Answerer, doc_id: str | None) -> tuple[Any, ...]:
    """The document panel and its principles in the related-principles picker."""
    document = next((d for d in answerer.library() if d.doc_id == doc_id), None) if doc_id else None
    choices = [((f"{p.heading or '(untitled)'}" + (f" — p. {p.page}" if p.page else ""))[:100], p.node_id)
               for p in (document.passages if document else [])]
    return document_html(document), gr.Dropdown(choices=choices, value=choices[0][1] if choices else None), ""


def pick_row(table: Any, event: gr.SelectData) -> str:
    """A click on a table row opens its document (the row's last column is the document id)."""
    return str((event.row_value or [""])[-1])


def show_related(answerer: Answerer, node_id: str | None,
                 missing: str = "Open a document and pick one of its principles.",
                 gone: str = "That principle is no longer in the index.") -> str:
    """A principle's closest principles in other documents (the chat's sources use it too, with its own words)."""
    if not node_id:
        return f"<p><i>{missing}</i></p>"
    try:
        return related_html(*answerer.related(node_id))
    except LookupError:
        return f"<p><i>{gone}</i></p>"


def ask_about(answerer: Answerer, doc_id: str | None) -> tuple[Any, ...]:
    """To the chat, with a question about the open document begun in the question box."""
    titles = dict(answerer.documents())
    if not doc_id or doc_id not in titles:
        return gr.skip(), gr.skip()
    return gr.Tabs(selected="chat"), gr.Textbox(value=f"What does the {titles[doc_id]} say about ")


def _saved(upload: str, folder: Path) -> Path:
    """The upload copied into the uploads folder under its own name (a clash gets a number, never overwrites)."""
    name = re.sub(r"[^\w.\- ]+", "_", Path(upload).name).strip() or "upload"
    target = folder / name
    number = 1
    while target.exists():
        target = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
        number += 1
    shutil.copyfile(upload, target)
    return target


def add_documents(answerer: Answerer, edits: LibraryEdits, files: list[str] | None, issuer: str, date: str,
                  country: str, progress: gr.Progress = gr.Progress(track_tqdm=True)) -> Iterator[str]:
    """Upload: copy, ingest (the embedding bar shows as progress), reload, report each file."""
    from ingest.lock import IngestBusyError
    from ingest.pipeline import IngestWriteError, ingest

    if not files:
        yield "⚠ Choose one or more files first."
        return
    edits.folder.mkdir(parents=True, exist_ok=True)
    saved = [_saved(f, edits.folder) for f in files]
    overrides = {"issuer": issuer.strip(), "date": date.strip(), "country": country.strip()}
    yield f"Reading and indexing {len(saved)} file(s)…"
    try:
        report = ingest(saved, edits.index, progress=True, limits=edits.limits, overrides=overrides)
    except (IngestBusyError, IngestWriteError, ValueError) as exc:
        _discard(saved)
        yield f"⚠ {escape(str(exc))}"
        return
    _discard([p for p in saved if str(p) in {e.source for e in report.errors}])
    answerer.library(reload=True)
    lines = [f"Added {report.added}, updated {report.updated}, unchanged {report.unchanged} "
             f"({report.nodes_written} passages written)."]
    lines += [f"- ⚠ {escape(Path(e.source).name)}: {escape(e.message)}" for e in report.errors]
    yield "\n".join(lines)


def _discard(paths: list[Path]) -> None:
    """A file that was not indexed is not kept."""
    for path in paths:
        path.unlink(missing_ok=True)


def remove_document(answerer: Answerer, edits: LibraryEdits, doc_id: str | None) -> str:
    from ingest.library import remove_document as remove

    if not doc_id:
        return "⚠ Open a document first."
    try:
        removed = remove(edits.index, doc_id)
    except Exception as exc:  # noqa: BLE001 - shown to the user; the index is unchanged when it fails
        log.exception("remove failed")
        return f"⚠ {escape(str(exc))}"
    documents = answerer.library(reload=True)
    try:
        find_document(documents, removed.doc_id)
        return f"⚠ {escape(removed.title)} is still listed; reload the page."
    except LookupError:
        return f"Removed {escape(removed.title)} ({len(removed.passages)} passages)."


def build_library_tab(app: gr.Blocks, answerer: Answerer, edits: LibraryEdits | None, tabs: gr.Tabs,
                      question: gr.Textbox, pickers: list[gr.Dropdown]) -> None:
    """The tab's components and events, inside the app's gr.Blocks and gr.Tabs. `pickers`: the chat's compare
    dropdowns, which list new documents after an upload or removal. At every page load the table, filters and
    charts (and the pickers) are read afresh, so a document ingested from the command line shows to the next
    visitor."""
    # Built empty, filled by the page-load event below: the page is served without reading the library or
    # drawing a chart (~1 s of a cold start), and every visitor sees the index as it is when they come.
    with gr.Tab("Library", id="library", elem_id="library-tab"):
        count = gr.Markdown("Reading the library…", elem_id="library-count")
        with gr.Row():
            search = gr.Textbox(label="Search title, issuer, country", elem_id="library-search", scale=3)
            country = gr.Dropdown([ANY], value=ANY, label="Country", elem_id="library-country")
            region = gr.Dropdown([ANY], value=ANY, label="Region", elem_id="library-region")
            language = gr.Dropdown([ANY, "en", "zh"], value=ANY, label="Language", elem_id="library-language")
            institution = gr.Dropdown([ANY], value=ANY, label="Institution type", elem_id="library-institution")
        table = gr.Dataframe([[""] * len(COLUMNS)], headers=COLUMNS, interactive=False, wrap=True, max_height=420,
                             column_widths=["30%", "16%", "9%", "9%", "5%", "6%", "7%", "9%", "9%"],
                             elem_id="library-table")
        pick = gr.Dropdown([], value=None, label="Open a document", elem_id="library-pick")
        document = gr.HTML(document_html(None), elem_id="library-document")
        with gr.Row():
            principle = gr.Dropdown([], label="Principle", elem_id="library-principle", scale=3)
            related_button = gr.Button("Related principles", elem_id="library-related-button", scale=1)
            ask_button = gr.Button("Ask about this document", elem_id="library-ask", scale=1)
            remove_button = gr.Button("Remove this document", elem_id="library-remove", variant="stop",
                                      visible=edits is not None, scale=1)
        related = gr.HTML("", elem_id="library-related")
        with gr.Accordion("Charts", open=True, elem_id="library-charts"):
            with gr.Row():
                years = gr.Plot(None, elem_id="chart-years", show_label=False)
                regions = gr.Plot(None, elem_id="chart-regions", show_label=False)
            by = gr.Radio(list(COVERAGE_BY), value="institution type", label="Themes covered, by",
                          elem_id="coverage-by")
            themes = gr.Plot(None, elem_id="chart-themes", show_label=False)
        status = gr.Markdown("", elem_id="library-status")
        if edits is not None:
            with gr.Accordion("Add documents (PDF, DOCX, HTML, Markdown, text)", open=False, elem_id="library-upload"):
                files = gr.File(file_count="multiple", file_types=UPLOAD_TYPES, label="Files",
                                elem_id="library-files")
                with gr.Row():
                    issuer = gr.Textbox(label="Issuer (optional)", elem_id="upload-issuer")
                    date = gr.Textbox(label="Date, YYYY[-MM[-DD]] (optional)", elem_id="upload-date")
                    where = gr.Textbox(label="Country (optional)", elem_id="upload-country")
                add = gr.Button("Add to the library", elem_id="library-add", variant="primary")

    controls = [search, country, region, language, institution, by]
    shown = [table, count, pick, country, region, institution, years, regions, themes]
    app.load(partial(refresh, answerer), controls, shown, api_name=False, concurrency_limit=4).then(
        partial(compare_choices, answerer), None, pickers, api_name=False)
    for control in controls:
        trigger = control.submit if control is search else control.change
        trigger(partial(refresh, answerer), controls, shown, api_name=False, concurrency_limit=4)
    table.select(pick_row, [table], [pick], api_name=False)
    pick.change(partial(open_document, answerer), [pick], [document, principle, related], api_name=False)
    related_button.click(partial(show_related, answerer), [principle], [related], api_name=False,
                         concurrency_limit=4)
    ask_button.click(partial(ask_about, answerer), [pick], [tabs, question], api_name=False)
    if edits is not None:
        reloaded = partial(refresh, answerer, reload=True)
        add.click(partial(add_documents, answerer, edits), [files, issuer, date, where], [status],
                  api_name=False, concurrency_limit=1).then(reloaded, controls, shown, api_name=False).then(
            partial(compare_choices, answerer), None, pickers, api_name=False)
        remove_button.click(partial(remove_document, answerer, edits), [pick], [status], api_name=False,
                            concurrency_limit=1).then(reloaded, controls, shown, api_name=False).then(
            partial(open_document, answerer), [pick], [document, principle, related], api_name=False).then(
            partial(compare_choices, answerer), None, pickers, api_name=False)
