"""Real document files made by real tools for the ingest tests: PDFs printed by Chromium (Playwright's
`page.pdf`, Debian's chromium), DOCX written by python-docx, a scan-like PDF of pixels by matplotlib, an encrypted
PDF by pypdf, a zip bomb by zipfile."""
from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GOVRAG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGE_BREAK = '<div style="break-before: page"></div>'


def launch_chromium(playwright):  # noqa: ANN001, ANN201
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"these tests need Chromium at {CHROMIUM}: `apt-get install chromium` (.ci/run does), "
                    "or set GOVRAG_CHROMIUM")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


_RUNNING = '<div style="font-size:9px; width:100%; text-align:center">{}</div>'


def print_pdf(browser, path: Path, title: str, body_html: str) -> Path:  # noqa: ANN001
    """Chromium's print-to-PDF of a page, with a running header (the title) and footer ("Page N of M") as
    printed documents have; PAGE_BREAK in body_html starts a new page."""
    page = browser.new_page()
    page.set_content(f"<html><head><title>{title}</title></head><body>{body_html}</body></html>")
    page.pdf(path=str(path), format="A4", display_header_footer=True,
             header_template=_RUNNING.format('<span class="title"></span>'),
             footer_template=_RUNNING.format('Page <span class="pageNumber"></span> of '
                                             '<span class="totalPages"></span>'),
             margin={"top": "60px", "bottom": "60px"})
    page.close()
    return path


def write_docx(path: Path, title: str, author: str, parts: list[tuple[str, str]], table: list[list[str]] = ()
               ) -> Path:
    """parts: (style, text) with style 'Title', 'Heading 1', 'Heading 2' or '' (a body paragraph)."""
    from docx import Document

    document = Document()
    document.core_properties.title, document.core_properties.author = title, author
    for style, text in parts:
        document.add_paragraph(text, style=style or None)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    document.save(str(path))
    return path


def scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF of pixels only, as a scanner makes: images of text, no text layer."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.backends.backend_pdf import PdfPages

    rng = np.random.default_rng(0)
    with PdfPages(path) as pdf:
        for _ in range(pages):
            figure = plt.figure(figsize=(8.27, 11.69))
            figure.figimage(rng.integers(0, 255, (300, 200)), cmap="gray")
            pdf.savefig(figure)
            plt.close(figure)
    return path


def encrypted_copy(source: Path, path: Path, user_password: str) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(source))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    with open(path, "wb") as out:
        writer.write(out)
    return path


def zip_bomb_docx(path: Path, unpacked_mb: int) -> Path:
    """A .docx whose document.xml inflates to `unpacked_mb` MB of zeros (it is ~1000x smaller on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            block = b"0" * 1_000_000
            for _ in range(unpacked_mb):
                member.write(block)
    return path


#: A declaration that is not in the corpus, over three printed pages: each article's fact is on a known page.
DECLARATION_TITLE = "Lakeside Declaration on Frontier AI Safety"
DECLARATION_PAGES = [
    "<h1>Lakeside Declaration on Frontier AI Safety</h1>"
    "<p>The governments meeting at Lakeside on 14 March 2025 agree on the following articles.</p>"
    "<p>Chapter I General provisions</p>"
    "<p>Article 1 Scope</p><p>This declaration covers frontier models (arti\ufb01cial intelligence systems) trained "
    "with more than ten to the power of twenty-six operations, and the laboratories that develop them.</p>"
    "<p>Article 2 Model cards</p><p>Each laboratory shall publish a model card describing capabilities, "
    "limitations and residual hazards before any frontier model is released.</p>",
    "<p>Chapter II Testing and incidents</p>"
    "<p>Article 3 Red teaming</p><p>Every frontier model shall undergo independent adversarial testing for "
    "chemical and biological misuse no fewer than ninety days before its public release.</p>"
    "<p>Article 4 Incident reporting</p><p>Laboratories shall notify the Lakeside Safety Office of every serious "
    "incident within seventy-two hours of discovering it, as Article 2 of this declaration provides.</p>",
    "<p>Chapter III Review</p>"
    "<p>Article 5 Periodic review</p><p>The signatories shall meet every eighteen months to review whether "
    "the compute threshold of Article 1 still captures the most capable systems.</p>",
]


def declaration_pdf(browser, path: Path) -> Path:  # noqa: ANN001
    return print_pdf(browser, path, DECLARATION_TITLE, PAGE_BREAK.join(DECLARATION_PAGES))
