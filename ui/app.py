"""The Gradio chat: streams each answer, shows its sources beside it, and exposes a JSON `/ask` endpoint.

It holds no retrieval or prompt logic: everything comes from the Answerer's events."""
from __future__ import annotations

import logging
from collections.abc import Iterator

import gradio as gr

from rag.answer import Answerer, QuestionError
from rag.types import AnswerEvent, SourcesEvent, TokenEvent
from ui.render import answer_markdown, draft_markdown, sources_panel

log = logging.getLogger(__name__)

EXAMPLES = [
    "Which documents call for an international AI governance institution under the United Nations?",
    "What do the OECD Principles say about international co-operation for trustworthy AI?",
    "How should AI protect children?",
    "What does the Beijing AI Principles say about privacy?",
]


def chat_events(answerer: Answerer, message: str) -> Iterator[tuple[str, str]]:
    """(chat markdown, sources markdown) pairs as the answer API's events arrive."""
    sources_md, draft = "", ""
    try:
        for event in answerer.answer(message):
            if isinstance(event, SourcesEvent):
                sources_md = sources_panel(event.sources)
                yield "*Retrieved sources; writing the answer…*", sources_md
            elif isinstance(event, TokenEvent):
                draft += event.text
                yield draft_markdown(draft), sources_md
            elif isinstance(event, AnswerEvent):
                cited = {c.n for c in event.result.citations}
                yield answer_markdown(event.result), sources_panel(event.result.sources, cited)
    except QuestionError as exc:
        yield f"⚠️ {exc}", sources_md
    except Exception:  # the session must survive a backend failure
        log.exception("answer failed")
        yield "⚠️ Something went wrong while answering; please try again. (The error is in the server log.)", \
            sources_md


def build_app(answerer: Answerer) -> gr.Blocks:
    def respond(message: str, history: list) -> Iterator[tuple[str, str]]:
        yield from chat_events(answerer, message)

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
                gr.ChatInterface(respond, additional_outputs=[sources], examples=EXAMPLES, api_name="chat",
                                 chatbot=gr.Chatbot(height=640, label="govrag"), cache_examples=False,
                                 fill_height=False)
            with gr.Column(scale=2):
                sources.render()
        gr.api(ask, api_name="ask")
    return app
