"""Quotes first: the cited quotes reach the reader before the model writes a word, and stand unchanged in the
final answer; a model busy with another user's answer delays nobody's quotes and, past LLMConfig.wait_s,
drops only the summary. Real retrieval on the whole corpus; the model is the bundled one, or a stand-in held
busy by the test (what a slow generation for another user looks like to the Answerer)."""
import threading
from dataclasses import replace

import pytest

from rag.answer import Answerer
from rag.config import RagConfig
from rag.types import AnswerEvent, QuotesEvent, SourcesEvent, TokenEvent, VerdictEvent

pytestmark = pytest.mark.slow

QUESTION = "What do the Asilomar AI Principles say about an arms race in lethal autonomous weapons?"


class HeldModel:
    """A model that writes one sentence once the test lets it: a generation as long as the test wants."""
    name = "held"

    def __init__(self):
        self.writing, self.release = threading.Event(), threading.Event()

    def stream(self, messages, max_new_tokens):
        self.writing.set()
        assert self.release.wait(30), "the test never let the model finish"
        yield "An arms race in lethal autonomous weapons should be avoided."


def test_the_quotes_come_before_any_token_and_stand_in_the_final_answer(answerer):
    events = list(answerer.answer(QUESTION))
    kinds = [type(e) for e in events]
    assert kinds[:2] == [SourcesEvent, QuotesEvent] and kinds[-2:] == [AnswerEvent, VerdictEvent]
    assert set(kinds[2:-2]) <= {TokenEvent}
    quotes, final = events[1].result, events[-2].result
    assert quotes.verdict == "quotes_only" and not quotes.synthesis and "Asilomar AI Principles" in {
        c.title for c in quotes.citations}
    # what the model adds is its checked summary; what is cited, quoted and carried on is already final
    assert (final.citations, final.evidence, final.turn, final.documents) == (
        quotes.citations, quotes.evidence, quotes.turn, quotes.documents)
    assert {s.source for s in final.synthesis} <= {c.n for c in quotes.citations}
    assert 0 < quotes.timings_ms["quotes"] <= final.timings_ms["total"]


def test_a_declined_question_is_answered_at_once_without_a_quotes_stage(answerer):
    stages = list(answerer.stages("What is the capital of Australia?"))
    assert [stage for stage, _ in stages] == ["final"] and stages[0][1].refused


def test_a_busy_model_holds_back_no_one_s_quotes_and_drops_only_the_summary(retriever):
    model = HeldModel()
    config = RagConfig()
    answerer = Answerer(retriever, model, replace(config, llm=replace(config.llm, wait_s=0.5)))
    first = answerer.answer(QUESTION)
    assert isinstance(next(first), SourcesEvent) and isinstance(next(first), QuotesEvent)
    writer = threading.Thread(target=lambda: list(first))  # the first user's answer: the model writes it
    writer.start()
    assert model.writing.wait(30)
    try:
        # a second user while the model is busy: the quotes at once, then the answer without a summary
        stages = list(answerer.stages("How should AI protect children?"))
        assert not model.release.is_set() and [stage for stage, _ in stages] == ["quotes", "final"]
        quotes, final = stages[0][1], stages[1][1]
        assert quotes.citations and final.citations == quotes.citations and final.evidence == quotes.evidence
        assert final.verdict == "quotes_only" and not final.synthesis
        assert "busy with other questions for 0.5 s" in final.notice and final.to_json()["notice"] == final.notice
    finally:
        model.release.set()
        writer.join(30)
    # the model free again: the next answer gets its summary
    model.release.set()
    result = answerer.ask(QUESTION)
    assert not result.notice and result.verdict in ("supported", "partly_supported")
