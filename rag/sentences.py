"""Sentences: where a passage or a model draft splits into the units that are quoted, judged and cited.

Blocks (blank lines, list items) and CJK sentence ends are cut by rule here; Latin text is cut by pysbd, a
rule-based segmenter (the Golden Rules) that keeps "e.g.", "U.S.", "Art. 5" or "No. 4" inside their sentence. A
plain punctuation regex cut those into fragments that were then shown as quotes: `bench/sentence_fragments.py`
measures both on the whole corpus. (NLTK's Punkt, shipped with llama-index, cut all four of those.)"""
from __future__ import annotations

import re

import pysbd

_CJK_END = re.compile(r"(?<=[。！？；])")
_BLOCK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)]|[a-z]\))\s)")
_CITATION_MARK = re.compile(r"\s*\[(?:\d+(?:\s*[,;-]\s*\d+)*)\]")
_LATIN_END = re.compile(r"[.!?]")


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


def _latin_spans(text: str, offset: int) -> list[tuple[int, int]]:
    """pysbd's sentences of one piece, as stripped spans; the piece whole when no sentence end precedes its
    last character (most list items and headings: pysbd is the slow part of a quote)."""
    if not _LATIN_END.search(text.rstrip()[:-1]):
        return [(offset, offset + len(text))]
    spans, at = [], 0
    for sentence in pysbd.Segmenter(language="en", clean=False).segment(text):
        found = text.find(sentence.strip(), at)
        if not sentence.strip() or found < 0:  # never expected with clean=False: keep the rest whole
            break
        spans.append((offset + found, offset + found + len(sentence.strip())))
        at = found + len(sentence.strip())
    if at < len(text.rstrip()):
        rest = text[at:]
        spans.append((offset + at + len(rest) - len(rest.lstrip()), offset + len(text.rstrip())))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`: blocks first (blank lines, list items; an item such as
    'a) ...' stays whole), then CJK sentence ends, then pysbd. text[start:end] is the sentence, verbatim."""
    return [span for block_start, block_end in _pieces(text, _BLOCK, 0)
            for piece_start, piece_end in _pieces(text[block_start:block_end], _CJK_END, block_start)
            for span in _latin_spans(text[piece_start:piece_end], piece_start)]


def split_sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def strip_citation_marks(text: str) -> str:
    return _CITATION_MARK.sub("", text).strip()
