"""Convert the Worldwide AI Ethics dataset (JSON Lines, one row per document) into govrag's
document-record format (see corpus/README.md).  Run once by hand; the output is committed:

    python corpus/tools/convert_waie.py ../shared/corpus-sources/worldwide-ai-ethics/documents.jsonl \
        > corpus/worldwide-ai-ethics.jsonl

Values are kept as the dataset has them ("Unspecified" becomes empty); only the shape changes.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys


def _clean(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value.lower() == "unspecified" else value


def _slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
    return f"waie-{words}-{hashlib.sha1(title.encode()).hexdigest()[:6]}"


def _principles(definitions: str) -> list[dict[str, str]]:
    """Split '#Heading: text' paragraphs into heading/text pairs."""
    out = []
    for part in re.split(r"(?m)^\s*#", definitions or ""):
        part = part.strip()
        if not part:
            continue
        heading, _, text = part.partition(":")
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            out.append({"heading": heading.strip(), "text": text})
    return out


def convert(row: dict) -> dict:
    year = _clean(row.get("year_of_publication"))
    return {
        "doc_id": _slug(row["document_name"]),
        "title": row["document_name"].strip(),
        "issuer": _clean(row.get("institution")),
        "date": year,
        "country": _clean(row.get("country")),
        "region": _clean(row.get("world_region")),
        "institution_type": _clean(row.get("institution_type")),
        "language": "en",
        "url": _clean(row.get("document_url")),
        "abstract": re.sub(r"\s+", " ", row.get("abstract") or "").strip(),
        "principles": _principles(row.get("principles_definition") or ""),
        "source": "Worldwide AI Ethics (Corrêa et al. 2023), CC BY-NC 4.0",
    }


def main(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                print(json.dumps(convert(json.loads(line)), ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
