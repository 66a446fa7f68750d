"""The Gradio chat: streams each answer, links its [n] marks to the sources panel, and keeps each user's
conversation in Gradio's session state. It holds no retrieval or prompt logic: everything comes from the
Answerer (rag/answer.py)."""
from __future__ import annotations

import logging
import tempfile
import weakref
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import gradio as gr

from rag.answer import Answerer, QuestionError
from rag.filters import FilterError, Filters, parse_years
from rag.types import AnswerEvent, AnswerResult, QuotesEvent, SourcesEvent, TokenEvent, Turn
from ui.export import export_file, prune_exports
from ui.library_tab import LibraryEdits, build_library_tab, show_related
from ui.render import escape, sources_html
from ui.session import ChatSession

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
EXAMPLES = [
    "Which documents call for an international AI governance institution under the United Nations?",
    "What do the OECD Principles say about international co-operation for trustworthy AI?",
    "How should AI protect children?",
    "What does the Beijing AI Principles say about privacy?",
]
FAILED = "⚠ Something went wrong while answering; please try again. (The error is in the server log.)"
#: A question longer than this is shown shortened in the chat (the limit itself is the answer API's).
SHOWN_CHARS = 400
#: Requests waiting beyond this are turned away with Gradio's "queue is full" (memory stays bounded).
QUEUE_MAX = 64
#: Answers worked on at once (Gradio worker threads). Retrieval and the cited quotes run in them side by side;
#: the model writes LLMConfig.parallel answers at a time inside (rag/answer.py), so one user's slow generation
#: never holds back another's quotes: an answer waiting for the model holds a thread (for LLMConfig.wait_s at
#: most), so there is one for every request the queue admits. 20 users at once: bench/concurrency.py.
ANSWERS_AT_ONCE = QUEUE_MAX
#: Without uploads the UI takes no files; Gradio's upload route stays, capped.
MAX_UPLOAD = "1mb"

Outputs = tuple[Any, ...]


def ui_filters(issuer: str | None = "", country: str | None = "", region: str | None = "",
               language: str | None = "any", years: str | None = "") -> Filters:
    """The filter controls' values as the answer API's Filters (blank, None or 'any' means no filter)."""
    start, end = parse_years(years)
    return Filters(issuer=(issuer or "").strip() or None, country=(country or "").strip() or None,
                   region=(region or "").strip() or None,
                   language=None if language in (None, "", "any") else language, year_from=start, year_to=end)


def _shown(text: str) -> str:
    text = text.strip() or "(empty question)"
    return escape(text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}… ({len(text)} characters)")


def _related_choices(result: AnswerResult) -> Any:
    choices = [(f"[{s.n}] {s.title} — {s.heading}"[:100] if s.heading else f"[{s.n}] {s.title}"[:100], s.node_id)
               for s in result.sources]
    cited = [s.node_id for s in result.sources if s.n in {c.n for c in result.citations}]
    return gr.Dropdown(choices=choices, value=(cited or [c[1] for c in choices] or [None])[0])


def _finished(session: ChatSession, result: AnswerResult, exports: Path) -> Outputs:
    session.finish(result)
    prune_exports(exports)
    folder = Path(tempfile.mkdtemp(dir=exports))  # one folder per export: users never overwrite each other's
    download = gr.DownloadButton(value=str(export_file(result, folder, len(session.results))), visible=True)
    return session.messages, sources_html(session.sections), session, download, _related_choices(result)


def _failed(session: ChatSession, message: str) -> Outputs:
    session.drop_pending_sources()
    session.show(message)
    return session.messages, sources_html(session.sections), session, gr.skip(), gr.skip()


def respond(answerer: Answerer, exports: Path, message: str, session: ChatSession, issuer: str, country: str,
            region: str, language: str, years: str, top_k: float) -> Iterator[Outputs]:
    """Stream one answer into the chat: sources first, then the cited quotes (before the model writes), the
    summary's draft under them, then the verified answer.
    Outputs: chat, sources panel, session, question box, export button, related-principles picker."""
    session.ask(_shown(message or ""), "*Searching the documents…*")
    yield session.messages, gr.skip(), session, "", gr.skip(), gr.skip()
    draft = ""
    try:
        filters = ui_filters(issuer, country, region, language, years)
        for event in answerer.answer(message or "", int(top_k or answerer.config.top_k), filters, session.previous):
            if isinstance(event, SourcesEvent):
                session.show_sources(event.question, event.sources)
                session.show("*Retrieved sources; choosing the quotes…*")
                yield session.messages, sources_html(session.sections), session, gr.skip(), gr.skip(), gr.skip()
            elif isinstance(event, QuotesEvent):
                session.show_quotes(event.result)
                yield session.messages, sources_html(session.sections), session, gr.skip(), gr.skip(), gr.skip()
            elif isinstance(event, TokenEvent):
                draft += event.text
                session.show_draft(draft)
                yield session.messages, gr.skip(), session, gr.skip(), gr.skip(), gr.skip()
            elif isinstance(event, AnswerEvent):
                chat, panel, session, download, related = _finished(session, event.result, exports)
                yield chat, panel, session, gr.skip(), download, related
    except (QuestionError, FilterError) as exc:
        chat, panel, session, _, _ = _failed(session, f"⚠ {escape(str(exc))}")
        yield chat, panel, session, gr.skip(), gr.skip(), gr.skip()
    except Exception:  # the session must survive a backend failure
        log.exception("answer failed")
        chat, panel, session, _, _ = _failed(session, FAILED)
        yield chat, panel, session, gr.skip(), gr.skip(), gr.skip()


def compare(answerer: Answerer, exports: Path, doc_a: str | None, doc_b: str | None, topic: str,
            session: ChatSession) -> Outputs:
    """What two documents say on a topic, as a chat turn. Outputs: chat, sources, session, export, related."""
    titles = dict(answerer.documents())
    session.ask(f"Compare **{escape(titles.get(doc_a or '', doc_a or '?'))}** and "
                f"**{escape(titles.get(doc_b or '', doc_b or '?'))}** on: {_shown(topic or '')}", "")
    if not doc_a or not doc_b:
        return _failed(session, "⚠ Pick two documents to compare.")
    try:
        return _finished(session, answerer.compare(doc_a, doc_b, topic or ""), exports)
    except (QuestionError, FilterError) as exc:
        return _failed(session, f"⚠ {escape(str(exc))}")
    except Exception:
        log.exception("compare failed")
        return _failed(session, FAILED)


def clear() -> Outputs:
    """A fresh conversation: history, sources, export and related principles all reset."""
    return (ChatSession(), [], sources_html([]), gr.DownloadButton(value=None, visible=False),
            gr.Dropdown(choices=[], value=None), "")


def other_reading_button(session: ChatSession) -> Any:
    """The last answer's other reading of an ambiguous follow-up, as a button that asks it; hidden when none."""
    text = session.results[-1].other_reading if session.results else ""
    return gr.Button(value=text or " ", visible=bool(text))


def ask_json_stream(answerer: Answerer, question: str, top_k: int = 5,
                    previous: dict | str | None = None) -> Iterator[dict]:
    """One answer as JSON objects as it firms up: {"stage": "quotes", …} (the cited quotes, before the model
    writes), then {"stage": "final", …}; a declined question gets the final one only. `previous`: the previous
    answer's "turn" (or its question), for a follow-up."""
    try:
        for stage, result in answerer.stages(question, top_k, previous=Turn.from_json(previous) if previous else None):
            yield {"stage": stage, **result.to_json()}
    except (QuestionError, ValueError) as exc:
        yield {"question": question, "error": str(exc)}


def ask_json(answerer: Answerer, question: str, top_k: int = 5, previous: dict | str | None = None) -> dict:
    """One answer as JSON (its final stage)."""
    *_, last = ask_json_stream(answerer, question, top_k, previous)
    return last


def engine_banner(answerer: Answerer) -> str:
    """Markdown saying the language model engine fell back (empty while the configured one runs)."""
    notice = answerer.engine_notice
    return f"⚠ {escape(notice)}" if notice else ""


def build_app(answerer: Answerer, exports: Path | None = None, library_edits: LibraryEdits | None = None
              ) -> gr.Blocks:
    """The UI around one loaded Answerer. `exports`: where answer exports are written (by default a temporary
    folder removed with the app; Gradio serves its own copies and deletes them after an hour). `library_edits`:
    upload and remove documents in the Library tab (None: browse only)."""
    folder = None if exports else tempfile.TemporaryDirectory(prefix="govrag-exports-")
    exports = exports or Path(folder.name)
    with gr.Blocks(title="govrag — AI-governance principles, cited", delete_cache=(3600, 3600),
                   analytics_enabled=False) as app:
        session = gr.State(ChatSession())
        gr.Markdown("## govrag\nAnswers about AI-governance principles, quoted and cited from the indexed "
                    "documents. Click a citation mark such as [1] to see its source.")
        # Read at every page load: an engine given up while serving shows on the next visit.
        gr.Markdown(lambda: engine_banner(answerer), elem_id="engine-notice")
        with gr.Tabs(selected="chat", elem_id="tabs") as tabs:
            with gr.Tab("Chat", id="chat", elem_id="chat-tab"):
                with gr.Row():
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(height=560, label="govrag", elem_id="chat", buttons=["copy", "copy_all"])
                        question = gr.Textbox(placeholder="Ask about AI-governance principles…", elem_id="question",
                                              show_label=False, submit_btn=True)
                        other = gr.Button(" ", visible=False, elem_id="other-reading", size="sm", variant="secondary")
                        with gr.Row():
                            clear_button = gr.Button("Clear chat", elem_id="clear", size="sm")
                            export = gr.DownloadButton("Export answer (Markdown)", visible=False, elem_id="export",
                                                       size="sm")
                        gr.Examples(EXAMPLES, inputs=[question], label="Example questions")
                        with gr.Accordion("Filters and settings", open=False, elem_id="filters"):
                            with gr.Row():
                                issuer = gr.Textbox(label="Issuer contains", elem_id="filter-issuer")
                                country = gr.Textbox(label="Country contains", elem_id="filter-country")
                                region = gr.Textbox(label="Region contains", elem_id="filter-region")
                            with gr.Row():
                                language = gr.Dropdown(["any", "en", "zh"], value="any", label="Language",
                                                       elem_id="filter-language")
                                years = gr.Textbox(label="Years (2019..2023)", elem_id="filter-years")
                                top_k = gr.Slider(1, 20, value=answerer.config.top_k, step=1, label="Sources (top-k)",
                                                  elem_id="top-k")
                        with gr.Accordion("Compare two documents", open=False, elem_id="compare"):
                            documents = [(title, doc_id) for doc_id, title in answerer.documents()]
                            with gr.Row():
                                doc_a = gr.Dropdown(documents, value=None, label="First document", elem_id="compare-a")
                                doc_b = gr.Dropdown(documents, value=None, label="Second document", elem_id="compare-b")
                            with gr.Row():
                                topic = gr.Textbox(label="Topic", placeholder="e.g. privacy", elem_id="compare-topic")
                                compare_button = gr.Button("Compare", elem_id="compare-button")
                    with gr.Column(scale=2):
                        sources = gr.HTML(sources_html([]), elem_id="sources")
                        with gr.Row():
                            related_pick = gr.Dropdown([], label="Related principles of source", elem_id="related-pick",
                                                       scale=3)
                            related_button = gr.Button("Show related", elem_id="related-button", scale=1)
                        related = gr.HTML("", elem_id="related")
            build_library_tab(app, answerer, library_edits, tabs, question, [doc_a, doc_b])
        filters = [issuer, country, region, language, years, top_k]
        answered = [chat, sources, session, question, export, related_pick]
        answering = {"concurrency_limit": ANSWERS_AT_ONCE, "concurrency_id": "answer"}
        question.submit(partial(respond, answerer, exports), [question, session, *filters], answered, api_name="chat",
                        **answering).then(other_reading_button, [session], [other], api_name=False)
        # The other reading of an ambiguous follow-up, asked in one click (as if typed).
        other.click(lambda text: text, [other], [question], api_name=False).then(
            partial(respond, answerer, exports), [question, session, *filters], answered, api_name=False,
            **answering).then(other_reading_button, [session], [other], api_name=False)
        compare_button.click(partial(compare, answerer, exports), [doc_a, doc_b, topic, session],
                             [chat, sources, session, export, related_pick], api_name="compare",
                             concurrency_limit=4).then(other_reading_button, [session], [other], api_name=False)
        related_button.click(partial(show_related, answerer, missing="Ask a question first, then pick one of its "
                                     "sources.", gone="That source is no longer in the index; ask again."),
                             [related_pick], [related], api_name="related",
                             concurrency_limit=4)
        for cleared in (clear_button.click, chat.clear):  # the chat's own bin icon clears the session too
            cleared(clear, None, [session, chat, sources, export, related_pick, related], api_name=False).then(
                other_reading_button, [session], [other], api_name=False)

        def ask(question: str, top_k: int = 5) -> dict:
            """Answer one question; returns the answer, citations, sources, verdict, timings and its "turn" as
            JSON."""
            return ask_json(answerer, question, top_k)

        def follow_up(question: str, previous: dict | str, top_k: int = 5) -> dict:
            """Answer a follow-up to an earlier answer: `previous` is that answer's "turn" ("what does it say
            about fines?" is then about the document it discussed). /ask keeps its two arguments for the
            clients that send exactly two."""
            return ask_json(answerer, question, top_k, previous)

        def ask_stream(question: str, top_k: int = 5, previous: dict | str | None = None) -> Iterator[dict]:
            """Answer a question as it firms up: first {"stage": "quotes", …}, the cited quotes, as soon as they
            are found (before the model writes), then {"stage": "final", …}, the verified answer with the model's
            checked summary. `previous`: an earlier answer's "turn", for a follow-up."""
            yield from ask_json_stream(answerer, question, top_k, previous)

        gr.api(ask, api_name="ask", **answering)
        gr.api(follow_up, api_name="follow_up", **answering)
        gr.api(ask_stream, api_name="ask_stream", **answering)
    if folder is not None:
        weakref.finalize(app, folder.cleanup)
    return app


def serve(app: gr.Blocks, host: str = "127.0.0.1", port: int | None = None,
          auth: list[tuple[str, str]] | None = None, block: bool = True, max_upload_mb: float | None = None) -> None:
    """Queue and launch: ANSWERS_AT_ONCE answers side by side (the model writes LLMConfig.parallel at a time).
    Exposed as little as
    Gradio allows (SECURITY.md): never a share link, no traffic monitor, no MCP server, no run history
    (whose page offers to upload runs to a Hugging Face bucket), uploads capped: at max_upload_mb where the
    Library tab takes documents, else 1 MB (the UI takes none)."""
    app.queue(default_concurrency_limit=1, max_size=QUEUE_MAX).launch(
        server_name=host, server_port=port, share=False, show_error=False, auth=auth or None,
        prevent_thread_lock=not block, quiet=not block, enable_monitoring=False, mcp_server=False,
        run_history=False, max_threads=ANSWERS_AT_ONCE + 16,
        max_file_size=f"{max_upload_mb:g}mb" if max_upload_mb else MAX_UPLOAD,
        css=(STATIC / "govrag.css").read_text(encoding="utf-8"),
        head=f"<script>{(STATIC / 'govrag.js').read_text(encoding='utf-8')}</script>")
