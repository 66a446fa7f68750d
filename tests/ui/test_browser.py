"""The chat in a real browser: Debian's chromium driven by Playwright (never `playwright install`).

One user's page goes through a conversation in order (ask, click a citation, follow up, export, related,
compare, filter, errors, clear); two more browser contexts act as two users at once. Screenshots are
saved under tests/artifacts/ for a person to look at."""
import re
from pathlib import Path

import pytest

from tests.browser import FINAL, WAIT_MS, chromium_session
from tests.browser import ask as _ask, open_page as _open, pick as _pick, shot as _shot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    yield from chromium_session()


@pytest.fixture(scope="module")
def page(browser, ui_url: str):
    page = _open(browser, ui_url)
    yield page
    page.context.close()


def test_ask_and_click_a_citation_to_see_its_quote_in_its_source(page):
    chat = _ask(page, "What do the OECD Principles say about international co-operation for trustworthy AI?")
    assert "What the sources say" in chat and "OECD Principles on Artificial Intelligence" in chat
    mark = page.locator('#chat a[href^="#govrag-src-1-"]').first
    target = mark.get_attribute("href")[1:]
    mark.click()
    card = page.locator(f"#{target}")
    assert "active" in card.get_attribute("class") and card.is_visible()
    assert card.locator("mark").inner_text() in chat  # the highlighted words are the quote in the answer
    assert "International co operation" in card.inner_text() and "✓ cited" in card.inner_text()
    _shot(page, "browser-citation.png")


def test_follow_up_then_an_older_answers_citation_shows_that_answers_sources(page):
    chat = _ask(page, "and what does the G20 say about that?")
    assert "Follow-up read as: “What does the G20 say about international co-operation for trustworthy AI?”" in chat
    assert "G20 AI Principles" in chat.split("Follow-up read as")[-1]
    assert page.locator('.govrag-turn.current').get_attribute("data-turn") == "2"
    page.locator('#chat a[href^="#govrag-src-1-"]').first.click()
    assert page.locator('.govrag-turn.current').get_attribute("data-turn") == "1"
    _shot(page, "browser-follow-up.png")


def test_a_three_turn_conversation_about_one_document_ends_in_a_comparison(browser, ui_url: str):
    page = _open(browser, ui_url)
    try:
        _ask(page, "What does the Toronto Declaration say about discrimination?")
        chat = _ask(page, "What does it say about accountability of states?")
        assert "Follow-up read as: “What does the Toronto Declaration say about accountability of states?”" in chat
        assert "Searching within: The Toronto Declaration" in chat
        chat = _ask(page, "How does that compare with the Montreal Declaration?")
        last = chat.split("Follow-up read as")[-1]
        assert "Compare The Toronto Declaration and" in last and "Montréal declaration" in last
        other = page.locator("#other-reading")
        other.wait_for(state="visible", timeout=WAIT_MS)  # shown once the answer is in
        assert other.inner_text().startswith("What does the Montreal Declaration say about")
        _shot(page, "browser-conversation.png")
        before = len(re.findall(FINAL, chat))
        other.click()  # the other reading, asked in one click
        page.wait_for_function("([done, n]) => (document.querySelector('#chat').innerText.match(new RegExp(done, 'g'))"
                               " || []).length > n", arg=[FINAL, before], timeout=WAIT_MS)
        assert "What does the Montreal Declaration say about accountability of states?" in \
            page.locator("#chat").inner_text()
    finally:
        page.context.close()


def test_export_downloads_the_answer_with_its_references(page):
    with page.expect_download() as download:
        page.locator("#export").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename.startswith("govrag-002-and-what-does-the-g20")
    assert text.startswith("# govrag answer") and "**Read as:** What does the G20 say about" in text
    assert "## References" in text and "[1] G20 AI Principles. G20 Ministerial Meeting" in text and "Quote: “" in text


def test_related_principles_of_a_cited_source(page):
    page.locator("#related-button").click()
    page.wait_for_function("document.querySelector('#related').innerText.includes('Principles related to')")
    assert page.locator("#related article").count() == 5
    _shot(page, "browser-related.png")


def test_compare_two_documents(page):
    page.get_by_text("Compare two documents").click()
    _pick(page, "#compare-a", "OECD Principles on Artificial Intelligence")
    _pick(page, "#compare-b", "Global AI Governance Initiative")
    page.locator("#compare-topic textarea, #compare-topic input").first.fill("international cooperation")
    before = page.locator("#chat").inner_text().count("Compare OECD")
    page.locator("#compare-button").click()
    page.wait_for_function("n => document.querySelector('#chat').innerText.split('Compare OECD').length - 1 > n",
                           arg=before)
    page.wait_for_function("document.querySelector('#sources').innerText.includes('Global AI Governance')")
    panel = page.locator("#sources .govrag-turn.current").inner_text()
    assert "OECD Principles on Artificial Intelligence" in panel and "Global AI Governance Initiative" in panel
    _shot(page, "browser-compare.png")


def test_filter_by_country_changes_the_sources(page):
    page.get_by_text("Filters and settings").click()
    page.locator("#filter-country textarea, #filter-country input").first.fill("China")
    _ask(page, "What is said about privacy and data protection?")
    _shot(page, "browser-filter-china.png")
    panel = page.locator("#sources .govrag-turn.current").inner_text()
    assert panel.count("· China ·") == 5 and "United States of America" not in panel
    page.locator("#filter-country textarea, #filter-country input").first.fill("")


def test_long_question_gets_a_friendly_message_and_the_chat_goes_on(page):
    _ask(page, "What about privacy? " * 120, done="shorten it")
    _shot(page, "browser-long-question.png")
    assert "the limit is 2000" in page.locator("#chat").inner_text()
    assert "How should AI protect children?" not in page.locator("#chat").inner_text()
    _ask(page, "How should AI protect children?")


def test_clear_chat_starts_a_fresh_conversation(page):
    page.locator("#clear").click()
    page.wait_for_function("!document.querySelector('#chat').innerText.includes('What the sources say')")
    assert "Sources appear here" in page.locator("#sources").inner_text()
    assert not page.locator("#export").is_visible()
    chat = _ask(page, "and what does the G20 say about that?")  # nothing to follow up on
    assert "Follow-up read as" not in chat


def test_two_users_at_once_never_see_each_others_filters_or_history(browser, ui_url: str):
    alice, bob = _open(browser, ui_url), _open(browser, ui_url)
    alice.get_by_text("Filters and settings").click()
    alice.locator("#filter-country textarea, #filter-country input").first.fill("China")
    _ask(alice, "What is said about privacy and data protection?")
    _ask(bob, "What is said about privacy and data protection?")
    bob.get_by_text("Filters and settings").click()
    assert bob.locator("#filter-country textarea, #filter-country input").first.input_value() == ""
    bob_panel = bob.locator("#sources .govrag-turn.current").inner_text()
    assert bob_panel.count("· China ·") < 5  # Alice's country filter did not reach Bob
    _ask(bob, "How should AI protect children?")
    assert "children" not in alice.locator("#chat").inner_text()
    assert bob.locator("#chat").inner_text().count("What is said about privacy") == 1
    _shot(alice, "browser-two-users-alice.png")
    _shot(bob, "browser-two-users-bob.png")
    for user in (alice, bob):
        user.context.close()


def test_a_document_containing_html_shows_as_text(browser, tmp_path, chat_model):
    from ingest.config import IndexConfig
    from ingest.pipeline import ingest
    from rag.answer import Answerer
    from rag.config import RagConfig
    from rag.retrieve import Retriever
    from tests.conftest import served_app, write_jsonl

    write_jsonl(tmp_path / "corpus" / "html.jsonl", [{
        "title": "Charter <b>for</b> Safe Web Algorithms", "issuer": "Markup Test Org", "date": "2024",
        "principles": [{"heading": "Transparency <i>first</i>", "text":
                        "Public algorithms must be transparent <script>window.pwned = 1</script> and explainable "
                        "<img src=x onerror=\"window.pwned = 2\"> to the people they affect."}]}])
    config = IndexConfig(data_dir=tmp_path / "data")
    ingest([tmp_path / "corpus"], config, progress=False)
    with served_app(Answerer(Retriever(config), chat_model, RagConfig())) as url:
        page = _open(browser, url)
        _ask(page, "Must public algorithms be transparent and explainable?")
        _shot(page, "browser-html-escaped.png")
        panel = page.locator("#sources").inner_text()
        assert "<script>window.pwned = 1</script>" in panel and "<b>for</b>" in panel
        assert page.evaluate("window.pwned") is None
        assert page.locator("#sources script, #sources img, #chat img[src=x]").count() == 0
        page.context.close()
