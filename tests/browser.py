"""Helpers of the browser tests (tests/ui/test_browser*.py): a page of the app, a question asked and its answer
awaited, a dropdown picked, a screenshot saved under tests/artifacts/ for a person to look at."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tests.real_files import launch_chromium

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
#: What ends every final answer: its verdict line (supported, partly supported, not covered).
FINAL = "upported: |Not covered by the corpus"
WAIT_MS = 180_000


def chromium_session() -> Iterator:
    """Debian's Chromium under Playwright, for a module's tests (yield from it in a fixture)."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


def open_page(browser, url: str):  # noqa: ANN001, ANN201
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
    page.goto(url)
    page.wait_for_selector("#question textarea")
    return page


def ask(page, question: str, done: str = FINAL) -> str:  # noqa: ANN001
    """Type a question, press Enter, wait until one more `done` (a regex) is in the chat; return its text."""
    before = len(re.findall(done, page.locator("#chat").inner_text()))
    box = page.locator("#question textarea").first
    box.fill(question)
    box.press("Enter")
    page.wait_for_function("([done, n]) => (document.querySelector('#chat').innerText.match(new RegExp(done, 'g'))"
                           " || []).length > n",
                           arg=[done, before], timeout=WAIT_MS)
    return page.locator("#chat").inner_text()


def shot(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def pick(page, dropdown: str, text: str) -> None:  # noqa: ANN001
    box = page.locator(f"{dropdown} input").first
    box.click()
    box.fill("")  # a dropdown showing a value ("any") would otherwise read "anyChina"
    box.press_sequentially(text, delay=10)
    page.locator("[role=option]").filter(has_text=text).first.click()
