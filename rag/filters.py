"""Metadata filters (issuer, country, region, year range, language, document), applied inside retrieval.

Users type "OECD" or "china", not exact stored strings, so each filter is resolved against the values the
index holds (case-insensitive substring) into an exact `in` list that Chroma's `where` and the BM25 candidate
set both use."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

#: filter name → the node metadata keys it matches against.
_KEYS = {"issuer": ("issuer",), "country": ("country",), "region": ("region",), "language": ("language",),
         "doc": ("doc_id", "title")}


class FilterError(ValueError):
    """A filter that matches nothing in the index, or is malformed."""


@dataclass(frozen=True)
class Filters:
    issuer: str | None = None
    country: str | None = None
    region: str | None = None
    language: str | None = None
    doc: str | None = None
    year_from: int | None = None
    year_to: int | None = None

    def active(self) -> bool:
        return any(getattr(self, f.name) not in (None, "") for f in fields(self))

    def describe(self) -> str:
        return ", ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self) if getattr(self, f.name))


def parse_years(text: str | None) -> tuple[int | None, int | None]:
    """'2019', '2019..2023', '2019..' or '..2020' → (from, to)."""
    if not text:
        return None, None
    match = re.fullmatch(r"\s*(\d{4})?\s*(\.\.)?\s*(\d{4})?\s*", text)
    if not match or not (match.group(1) or match.group(3)):
        raise FilterError(f"year filter {text!r} not understood: use 2019, 2019..2023, 2019.. or ..2020")
    start, dots, end = match.groups()
    low = int(start) if start else None
    high = int(end) if end else (None if dots else low)
    if low and high and low > high:
        raise FilterError(f"year range {text!r} is empty: the first year is after the second")
    return low, high


@dataclass(frozen=True)
class ResolvedFilters:
    """Exact allowed values per metadata key, plus a year range."""
    allowed: Mapping[str, frozenset[str]]
    year_from: int | None
    year_to: int | None

    def matches(self, meta: Mapping[str, Any]) -> bool:
        for key, values in self.allowed.items():
            if str(meta.get(key, "")) not in values:
                return False
        year = meta.get("year")
        if self.year_from is not None and (not isinstance(year, int) or year < self.year_from):
            return False
        if self.year_to is not None and (not isinstance(year, int) or year > self.year_to):
            return False
        return True

    def chroma_where(self) -> dict[str, Any] | None:
        """The same conditions as a Chroma `where` clause."""
        clauses: list[dict[str, Any]] = [{key: {"$in": sorted(values)}} for key, values in self.allowed.items()]
        if self.year_from is not None:
            clauses.append({"year": {"$gte": self.year_from}})
        if self.year_to is not None:
            clauses.append({"year": {"$lte": self.year_to}})
        if len(clauses) > 1:
            return {"$and": clauses}
        return clauses[0] if clauses else None


def resolve(filters: Filters, metadatas: Iterable[Mapping[str, Any]]) -> ResolvedFilters:
    """Match each text filter against the index's values; raise FilterError naming a filter that matches none."""
    metadatas = list(metadatas)
    allowed: dict[str, frozenset[str]] = {}
    for name, keys in _KEYS.items():
        wanted = getattr(filters, name)
        if not wanted:
            continue
        needle = wanted.strip().lower()
        exact = [m for m in metadatas if any(str(m.get(k, "")).lower() == needle for k in keys)]
        hits = exact or [m for m in metadatas if any(needle in str(m.get(k, "")).lower() for k in keys)]
        if not hits:
            raise FilterError(f"no indexed document has {name} matching {wanted!r}; "
                              f"check the spelling or run `govrag search` without --{name}")
        key = keys[0]
        allowed[key] = frozenset(str(m.get(key, "")) for m in hits)
    return ResolvedFilters(allowed, filters.year_from, filters.year_to)
