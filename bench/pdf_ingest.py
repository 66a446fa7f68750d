"""Ingest speed of a 100-page PDF (issue 17), side by side with the raw reader on the same file.

The PDF is printed by Chromium from the corpus's own principles (one document, 100 A4 pages, "Article N" headings,
running header and footer, as a printed declaration has). Rows: pypdf's own text extraction (the raw reader),
govrag's read (pypdf + header/footer removal + principle-aware splitting: `load_corpus`), and the whole
`ingest` (read, chunk, embed with the bundled MiniLM, write to a fresh embedded Chroma). Reads are medians of 3,
alternated; the whole ingest runs once (embedding dominates it). Run: .venv/bin/python bench/pdf_ingest.py"""
from __future__ import annotations

import html
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.offline import offline  # noqa: E402

offline()
PAGES = 100


def make_pdf(path: Path) -> int:
    from playwright.sync_api import sync_playwright

    from tests.real_files import PAGE_BREAK, launch_chromium, print_pdf

    principles = [p for line in (ROOT / "corpus" / "worldwide-ai-ethics.jsonl").read_text().splitlines()
                  for p in json.loads(line)["principles"] if p.get("language", "en") == "en"]
    pages, article = [], 0
    for start in range(0, PAGES * 3, 3):
        body = ""
        for p in principles[start:start + 3]:
            article += 1
            heading = html.escape(p["heading"] or "Principle")
            body += f"<p>Article {article} {heading}</p><p>{html.escape(p['text'])}</p>"
        pages.append(body)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        print_pdf(browser, path, "Bench Declaration of One Hundred Pages", PAGE_BREAK.join(pages))
        browser.close()
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def raw_read(path: Path) -> None:
    from pypdf import PdfReader

    for page in PdfReader(str(path)).pages:
        page.extract_text()


def govrag_read(path: Path) -> None:
    from ingest.loaders import load_corpus

    assert not load_corpus([path]).errors


def main() -> int:
    from ingest.config import IndexConfig
    from ingest.pipeline import ingest

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "bench-declaration.pdf"
        pages = make_pdf(pdf)
        times: dict[str, list[float]] = {"raw": [], "read": []}
        for _ in range(3):
            for name, read in (("raw", raw_read), ("read", govrag_read)):
                started = time.perf_counter()
                read(pdf)
                times[name].append(time.perf_counter() - started)
        started = time.perf_counter()
        report = ingest([pdf], IndexConfig(data_dir=Path(tmp) / "index"), progress=False)
        whole = time.perf_counter() - started
        assert not report.errors, report.summary()
    raw, read = (statistics.median(times[k]) for k in ("raw", "read"))
    print(f"`.venv/bin/python bench/pdf_ingest.py`: one {pages}-page PDF printed by Chromium, "
          f"{report.nodes} passages\n")
    print("| step | seconds | pages/s | vs raw reader |\n|---|---|---|---|")
    for name, seconds in (("pypdf extract_text, every page (raw reader)", raw),
                          ("govrag read: + headers/footers, principle-aware split", read),
                          ("govrag ingest: read + chunk + embed + write (once)", whole)):
        print(f"| {name} | {seconds:.2f} | {pages / seconds:.1f} | {raw / seconds:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
