"""The chat in a real browser: Debian's chromium driven by Playwright (never `playwright install`).

Screenshots are saved under tests/artifacts/ for a person to look at."""
import os
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = os.environ.get("GOVRAG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def page(ui_url: str):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"browser tests need Chromium at {CHROMIUM}: `apt-get install chromium` "
                    "(.ci/run does), or set GOVRAG_CHROMIUM")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(ui_url)
        page.wait_for_selector("textarea")
        yield page
        browser.close()


def _ask(page, question: str) -> None:
    box = page.locator("#question textarea").first
    box.fill(question)
    box.press("Enter")


def test_ask_stream_and_see_cited_sources(page):
    _ask(page, "What do the Asilomar AI Principles say about an arms race in lethal autonomous weapons?")
    page.wait_for_function("document.body.innerText.includes('What the sources say')", timeout=180_000)
    chat = page.locator(".bubble-wrap, [role=log]").first.inner_text()
    assert "Asilomar AI Principles" in chat and "[1]" in chat
    panel = page.locator("#sources").inner_text()
    assert "Sources" in panel and "cited" in panel and "Future of Life Institute" in panel
    page.screenshot(path=str(ARTIFACTS / "browser-answer.png"), full_page=True)


def test_filter_by_country_changes_the_sources(page):
    page.get_by_text("Filters and settings").click()
    page.locator("#filter-country textarea, #filter-country input").first.fill("China")
    _ask(page, "What is said about privacy and data protection?")
    try:
        page.wait_for_function("document.body.innerText.split('What the sources say').length > 2", timeout=180_000)
    finally:
        page.screenshot(path=str(ARTIFACTS / "browser-filter-china.png"), full_page=True)
    panel = page.locator("#sources").inner_text()
    assert panel.count("China") >= 3 and "United States of America" not in panel
