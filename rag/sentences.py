"""Sentences: where a passage or a model draft splits into the units that are quoted, judged and cited."""
from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[A-Z0-9a-z\u3400-\u9fff])|(?<=[。！？；])")
_BLOCK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)]|[a-z]\))\s)")
_CITATION_MARK = re.compile(r"\s*\[(?:\d+(?:\s*[,;-]\s*\d+)*)\]")


def _pieces(text: str, pattern: re.Pattern[str], offset: int) -> list[tuple[int, int]]:
    """(start, end) of the stripped, non-empty pieces of text between matches of `pattern`."""
    spans, start = [], 0
    for cut in [*pattern.finditer(text), None]:
        end = cut.start() if cut else len(text)
        piece = text[start:end]
        if piece.strip():
            left = len(piece) - len(piece.lstrip())
            spans.append((offset + start + left, offset + start + len(piece.rstrip())))
        start = cut.end() if cut else end
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`: split on sentence punctuation (Latin and CJK), on blank lines
    and before list items; an item such as 'a) ...' stays whole. text[start:end] is the sentence, verbatim."""
    return [span for block_start, block_end in _pieces(text, _BLOCK, 0)
            for span in _pieces(text[block_start:block_end], _SENTENCE_END, block_start)]


def split_sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def strip_citation_marks(text: str) -> str:
    return _CITATION_MARK.sub("", text).strip()
