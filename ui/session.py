"""One user's conversation, kept in Gradio's session state (gr.State): never shared between users."""
from __future__ import annotations

from dataclasses import dataclass, field

from rag.types import AnswerResult, Source, Turn
from ui.render import answer_markdown, draft_markdown, pending_markdown, turn_section


@dataclass
class ChatSession:
    """The chat messages, each answer with its sources (and its turn: what the next follow-up refers to)."""
    messages: list[dict[str, str]] = field(default_factory=list)
    results: list[AnswerResult] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    #: The answer being written: its cited quotes, shown while the model's summary follows.
    pending: AnswerResult | None = None

    @property
    def previous(self) -> Turn | None:
        """The last turn answered: what a follow-up refers to (its question, topic and documents)."""
        return self.results[-1].turn if self.results else None

    @property
    def turn(self) -> int:
        """The number the next answer gets; its [n] links point into that turn's sources."""
        return len(self.results) + 1

    def ask(self, text: str, pending: str) -> None:
        self.messages += [{"role": "user", "content": text}, {"role": "assistant", "content": pending}]

    def show(self, text: str) -> None:
        """Replace the last assistant message (streaming, or an error in place of an answer)."""
        self.messages[-1] = {"role": "assistant", "content": text}

    def show_sources(self, result_question: str, sources: list[Source], cited: set[int] | None = None) -> None:
        section = turn_section(self.turn, result_question, sources, cited or set())
        if len(self.sections) == len(self.results):
            self.sections.append(section)
        else:
            self.sections[-1] = section

    def show_quotes(self, quotes: AnswerResult) -> None:
        """The cited quotes (and their sources, marked cited) at once; the summary's draft follows under them."""
        self.pending = quotes
        self.show_sources(quotes.question, quotes.sources, {c.n for c in quotes.citations})
        self.show_draft("")

    def show_draft(self, draft: str) -> None:
        self.show(pending_markdown(self.pending, self.turn, draft) if self.pending else draft_markdown(draft))

    def finish(self, result: AnswerResult) -> None:
        """The verified answer replaces the draft and becomes a turn of the conversation."""
        self.pending = None
        self.show_sources(result.question, result.sources, {c.n for c in result.citations})
        self.show(answer_markdown(result, self.turn))
        self.results.append(result)

    def drop_pending_sources(self) -> None:
        """An answer that failed leaves no sources behind."""
        self.pending = None
        if len(self.sections) > len(self.results):
            self.sections.pop()
