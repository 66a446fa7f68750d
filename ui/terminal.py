"""Answers as the terminal shows them (`govrag ask`, `govrag chat`): the cited quotes first, as soon as they are
found, then the model's checked summary."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rag.answer_text import synthesis_text
from rag.wording import wording

if TYPE_CHECKING:
    from rag.answer import Stage
    from rag.types import AnswerResult


def print_stages(stages: Iterable[tuple[Stage, AnswerResult]]) -> AnswerResult:
    """An answer as the terminal shows it, as it firms up: how it was read and searched, the cited quotes as
    soon as they are found, then the model's checked summary (or why there is none), the other reading."""
    quoted = False
    for stage, result in stages:
        words = wording(result.language)
        if not quoted:
            said = [words.read_as.format(question=result.question)] if result.asked else []
            said += [words.within.format(titles="; ".join(result.within))] if result.within else []
            said += [result.searched_as] if result.searched_as else []
            for line in said:
                print(f"({line})")
            print(("\n" if said else "") + result.answer, flush=True)
        if stage == "quotes":
            quoted = True
            print(f"\n(cited quotes in {result.timings_ms.get('quotes', 0.0) / 1000:.1f} s; the model's summary "
                  "follows…)", flush=True)
            continue
        if quoted and (summary := synthesis_text(result)):
            print(f"\n{summary}")
        if result.notice:
            print(f"\n⚠ {result.notice}")
        if result.other_reading:
            print("\n" + words.other_reading.format(question=result.other_reading))
        print(f"\n({result.timings_ms.get('total', 0.0) / 1000:.1f} s)")
        return result
    raise RuntimeError("the answer stream ended without an answer")
