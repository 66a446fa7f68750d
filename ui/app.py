"""The Gradio chat: streams each answer, shows its sources beside it, and exposes a JSON `/ask` endpoint.

It holds no retrieval or prompt logic: everything comes from the Answerer's events."""
from __future__ import annotations

import logging
from collections.abc import Iterator

import gradio as gr

from rag.answer import Answerer, QuestionError
from rag.filters import FilterError, Filters, parse_years
from rag.types import AnswerEvent, SourcesEvent, TokenEvent
from ui.render import answer_markdown, draft_markdown, sources_panel

log = logging.getLogger(__name__)

EXAMPLES = [
    "Which documents call for an international AI governance institution under the United Nations?",
    "What do the OECD Principles say about international co-operation for trustworthy AI?",
    "How should AI protect children?",
    "What does the Beijing AI Principles say about privacy?",
]


def ui_filters(issuer: str | None = "", country: str | None = "", region: str | None = "",
               language: str | None = "any", years: str | None = "") -> Filters:
    """The filter controls' values as the answer API's Filters (blank, None or 'any' means no filter)."""
    start, end = parse_years(years)
    return Filters(issuer=(issuer or "").strip() or None, country=(country or "").strip() or None,
                   region=(region or "").strip() or None,
                   language=None if language in (None, "", "any") else language, year_from=start, year_to=end)


def chat_events(answerer: Answerer, message: str, filters: Filters | None = None,
                top_k: int | None = None) -> Iterator[tuple[str, str]]:
    """(chat markdown, sources markdown) pairs as the answer API's events arrive."""
    sources_md, draft = "", ""
    try:
        for event in answerer.answer(message, top_k, filters):
            if isinstance(event, SourcesEvent):
                sources_md = sources_panel(event.sources)
                yield "*Retrieved sources; writing the answer…*", sources_md
            elif isinstance(event, TokenEvent):
                draft += event.text
                yield draft_markdown(draft), sources_md
            elif isinstance(event, AnswerEvent):
                cited = {c.n for c in event.result.citations}
                yield answer_markdown(event.result), sources_panel(event.result.sources, cited)
    except (QuestionError, FilterError) as exc:
        yield f"⚠️ {exc}", sources_md
    except Exception:  # the session must survive a backend failure
        log.exception("answer failed")
        yield "⚠️ Something went wrong while answering; please try again. (The error is in the server log.)", \
            sources_md


def build_app(answerer: Answerer) -> gr.Blocks:
    def respond(message: str, history: list, issuer: str = "", country: str = "", region: str = "",
                language: str = "any", years: str = "", top_k: int = answerer.config.top_k
                ) -> Iterator[tuple[str, str]]:
        try:
            filters = ui_filters(issuer, country, region, language, years)
        except FilterError as exc:
            yield f"⚠️ {exc}", ""
            return
        yield from chat_events(answerer, message, filters, int(top_k or answerer.config.top_k))

    def ask(question: str, top_k: int = 5) -> dict:
        """Answer one question; returns the answer, citations, sources, refusal flag and timings as JSON."""
        try:
            return answerer.ask(question, top_k).to_json()
        except QuestionError as exc:
            return {"question": question, "error": str(exc)}

    with gr.Blocks(title="govrag — AI-governance principles, cited") as app:
        gr.Markdown("## govrag\nAnswers about AI-governance principles, quoted and cited from the indexed documents.")
        with gr.Row():
            with gr.Column(scale=3):
                sources = gr.Markdown("*Sources appear here.*", render=False, elem_id="sources")
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
                gr.ChatInterface(respond, additional_inputs=[issuer, country, region, language, years, top_k],
                                 additional_outputs=[sources], api_name="chat",
                                 examples=[[e, "", "", "", "any", "", answerer.config.top_k] for e in EXAMPLES],
                                 chatbot=gr.Chatbot(height=640, label="govrag"), cache_examples=False,
                                 textbox=gr.Textbox(placeholder="Ask about AI-governance principles…",
                                                    elem_id="question", show_label=False),
                                 fill_height=False)
            with gr.Column(scale=2):
                sources.render()
        gr.api(ask, api_name="ask")
    return app
