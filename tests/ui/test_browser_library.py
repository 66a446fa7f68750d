"""The Library tab in a real browser (Debian's chromium under Playwright): the 205 documents browsed, filtered,
opened, charted; and, on a copy of that index, a PDF uploaded beside them, asked about, its citation clicked to
its page, then removed. Screenshots under tests/artifacts/."""
import re
import shutil
import time
from pathlib import Path

import pytest

from ingest.config import IndexConfig, ReaderLimits
from ingest.pipeline import ingest
from rag.retrieve import RELOAD_CHECK_S
from tests.browser import WAIT_MS, ask, chromium_session, open_page, pick, shot
from tests.conftest import served_app
from ui.library_tab import LibraryEdits

pytestmark = pytest.mark.slow
QUESTION = "How soon must laboratories report a serious incident under the Lakeside Declaration?"


@pytest.fixture(scope="module")
def browser(declaration_pdf: Path):
    """(The PDF is printed first: Playwright's sync API runs one browser session at a time.)"""
    yield from chromium_session()


def _library(page) -> None:  # noqa: ANN001
    page.get_by_role("tab", name="Library").click()
    page.wait_for_selector("#library-table")


def _count(page, text: str) -> None:  # noqa: ANN001
    page.wait_for_function("t => document.querySelector('#library-count').innerText.includes(t)", arg=text,
                           timeout=WAIT_MS)


def _open_row(page, title: str) -> None:  # noqa: ANN001
    page.locator("#library-table").get_by_text(title).filter(visible=True).first.click()
    page.wait_for_function("t => document.querySelector('#library-document').innerText.includes(t)", arg=title,
                           timeout=WAIT_MS)


def test_browse_filter_open_related_and_ask_about_a_document(browser, ui_url: str):
    page = open_page(browser, ui_url)
    try:
        _library(page)
        _count(page, "205 of 205 indexed documents shown")
        assert page.locator("#chart-years img, #chart-years canvas, #chart-years svg").count() >= 1
        assert not page.locator("#library-remove").is_visible()  # this app was built without uploads
        assert not page.locator("#library-upload").is_visible()
        shot(page, "browser-library.png")
        pick(page, "#library-country", "China")
        page.wait_for_function("() => { const m = document.querySelector('#library-count').innerText"
                               ".match(/(\\d+) of 205 indexed/); return m && +m[1] < 205; }", timeout=WAIT_MS)
        count = int(re.search(r"(\d+) of 205", page.locator("#library-count").inner_text()).group(1))
        assert 3 <= count < 30
        _open_row(page, "Global AI Governance Initiative")
        document = page.locator("#library-document").inner_text()
        assert "Cyberspace Administration of China" in document and "联合国" in document
        page.locator("#library-related-button").click()
        page.wait_for_function("document.querySelector('#library-related').innerText.includes('Principles related')")
        assert page.locator("#library-related article").count() == 5
        shot(page, "browser-library-document.png")
        page.locator("#library-ask").click()
        box = page.locator("#question textarea").first
        box.wait_for(state="visible")
        assert box.input_value() == "What does the Global AI Governance Initiative say about "
    finally:
        page.context.close()


@pytest.fixture()
def uploads_app(tmp_path: Path, full_index: IndexConfig, chat_model):
    """An app that takes uploads, on a copy of the full index (the session's own stays as it is): (url, index)."""
    from rag.answer import Answerer
    from rag.config import RagConfig
    from rag.retrieve import Retriever

    shutil.copytree(full_index.data_dir, tmp_path / "data")
    config = IndexConfig(data_dir=tmp_path / "data")
    answerer = Answerer(Retriever(config), chat_model, RagConfig())
    with served_app(answerer, LibraryEdits(config, ReaderLimits(), tmp_path / "data" / "uploads")) as url:
        yield url, config


def test_a_document_ingested_elsewhere_shows_at_the_next_page_load(browser, uploads_app, declaration_pdf: Path):
    url, config = uploads_app
    assert ingest([declaration_pdf], config, progress=False).added == 1  # as `govrag ingest` would, meanwhile
    time.sleep(RELOAD_CHECK_S + 0.5)
    page = open_page(browser, url)
    try:
        _library(page)
        _count(page, "206 of 206 indexed documents shown")
        page.get_by_role("tab", name="Chat").click()
        page.get_by_text("Compare two documents").click()
        pick(page, "#compare-b", "Lakeside Declaration")
    finally:
        page.context.close()


def test_upload_a_pdf_ask_click_its_citation_to_the_page_and_remove_it(browser, uploads_app,
                                                                        declaration_pdf: Path):
    page = open_page(browser, uploads_app[0])
    try:
        _library(page)
        _count(page, "205 of 205 indexed documents shown")
        page.get_by_text("Add documents").click()
        page.locator("#library-files input[type=file]").set_input_files(str(declaration_pdf))
        page.locator("#upload-issuer textarea, #upload-issuer input").first.fill("Lakeside AI Safety Summit")
        page.locator("#upload-date textarea, #upload-date input").first.fill("2025-03-14")
        page.wait_for_timeout(1000)  # the file is sent to the server as soon as it is chosen
        page.locator("#library-add").click()
        page.wait_for_function("document.querySelector('#library-status').innerText.includes('Added 1')",
                               timeout=WAIT_MS)
        _count(page, "206 of 206 indexed documents shown")
        page.wait_for_timeout(2000)  # the charts redraw after the count
        shot(page, "browser-library-206.png")  # the uploaded declaration beside the 205, with the charts
        page.locator("#library-search textarea, #library-search input").first.fill("Lakeside")
        page.locator("#library-search textarea, #library-search input").first.press("Enter")
        _count(page, "1 of 206 indexed documents shown")
        _open_row(page, "Lakeside Declaration on Frontier AI Safety")
        assert "Article 4 Incident reporting p. 2" in page.locator("#library-document").inner_text()
        shot(page, "browser-upload.png")

        page.get_by_role("tab", name="Chat").click()
        page.get_by_text("Compare two documents").click()
        pick(page, "#compare-a", "Lakeside Declaration")  # the compare pickers list the upload too
        page.get_by_text("Compare two documents").click()
        chat = ask(page, QUESTION)
        assert "Lakeside Declaration on Frontier AI Safety" in chat and "seventy-two hours" in chat
        marks = page.locator('#chat a[href^="#govrag-src-1-"]')
        clicked = None
        for i in range(marks.count()):
            marks.nth(i).click()
            card = page.locator(f"#{marks.nth(i).get_attribute('href')[1:]}")
            if "seventy-two hours" in card.inner_text():
                clicked = card
                break
        assert clicked is not None and "active" in clicked.get_attribute("class")
        assert "p. 2" in clicked.locator(".govrag-meta").inner_text()
        assert clicked.locator("mark").inner_text() in chat
        shot(page, "browser-upload-citation.png")

        _library(page)
        pick(page, "#library-pick", "Lakeside Declaration")
        page.locator("#library-remove").click()
        page.wait_for_function("document.querySelector('#library-status').innerText.includes('Removed')",
                               timeout=WAIT_MS)
        _count(page, "of 205 indexed documents shown")
    finally:
        page.context.close()
