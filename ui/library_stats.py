"""What an analyst would otherwise count in a spreadsheet: documents per year and per region, and which principle
themes each country or institution type covers — from the indexed documents (ingest/library.IndexedDocument).

Themes are the corpus's own headings, normalised: a heading that at least MIN_THEME_DOCUMENTS documents use is a
theme ("Transparency/Explainability/Auditability"); any heading falls under the theme one of whose "/"-parts it
names word for word, stemmed ("Article 2 Transparency" and "Principle 4: transparent systems" → that theme)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from ingest.library import IndexedDocument

#: A heading that this many documents share is one of the corpus's principle themes.
MIN_THEME_DOCUMENTS = 5
_WORD = re.compile(r"[a-z]+")
#: Several values in one field ("Academic, Non-profit Organization") count for each.
_SEPARATOR = re.compile(r"\s*[,;]\s*")
UNKNOWN = "(not stated)"


@lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    import Stemmer

    return frozenset(Stemmer.Stemmer("english").stemWords(_WORD.findall(text.lower())))


@dataclass(frozen=True)
class Themes:
    names: tuple[str, ...]
    #: Each theme's "/"-parts as stem sets: a heading holding every stem of one part is about that theme.
    parts: tuple[tuple[frozenset[str], ...], ...]

    @classmethod
    def of(cls, documents: list[IndexedDocument]) -> "Themes":
        used = Counter(h for d in documents for h in set(d.headings))
        names = tuple(sorted(h for h, n in used.items() if n >= MIN_THEME_DOCUMENTS and _stems(h)))
        return cls(names, tuple(tuple(s for s in (_stems(p) for p in name.split("/")) if s) for name in names))

    def of_heading(self, heading: str) -> str | None:
        """The theme the heading is, else the one with the longest part the heading names ("Fair Competition"
        is Open source/Fair Competition/Cooperation, not Fairness), else None."""
        if heading in self.names:
            return heading
        words = _stems(heading)
        named = [(len(part), name) for name, parts in zip(self.names, self.parts) for part in parts if part <= words]
        return max(named)[1] if named else None

    def covered(self, document: IndexedDocument) -> set[str]:
        return {t for t in (self.of_heading(h) for h in document.headings) if t}


def values(field: str) -> list[str]:
    return list(dict.fromkeys(v for v in _SEPARATOR.split(field.strip()) if v)) or [UNKNOWN]


def per_year(documents: Iterable[IndexedDocument]) -> dict[int, int]:
    counts = Counter(int(d.date[:4]) for d in documents if d.date[:4].isdigit())
    return dict(sorted(counts.items()))


def per_value(documents: Iterable[IndexedDocument], field: str) -> Counter[str]:
    return Counter(v for d in documents for v in values(getattr(d, field)))


@dataclass(frozen=True)
class Coverage:
    """Share of each group's documents (rows) that have a principle under each theme (columns)."""
    groups: list[str]
    themes: list[str]
    share: list[list[float]]
    sizes: list[int]


def coverage(documents: list[IndexedDocument], field: str, top: int = 12) -> Coverage:
    """Rows: the `top` most common values of `field` (country, institution_type, region)."""
    themes = Themes.of(documents)
    groups = [g for g, _ in per_value(documents, field).most_common() if g != UNKNOWN][:top]
    key: Callable[[IndexedDocument], list[str]] = lambda d: values(getattr(d, field))  # noqa: E731
    members = {g: [d for d in documents if g in key(d)] for g in groups}
    covered = {d.doc_id: themes.covered(d) for d in documents}
    share = [[sum(t in covered[d.doc_id] for d in members[g]) / len(members[g]) for t in themes.names]
             for g in groups]
    return Coverage(groups, list(themes.names), share, [len(members[g]) for g in groups])
