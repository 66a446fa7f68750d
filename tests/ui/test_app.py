"""The Gradio app served on loopback, called through gradio_client like any API user would."""
import pytest
from gradio_client import Client

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(ui_url: str):
    return Client(ui_url, verbose=False)


NO_FILTERS = ("", "", "", "any", "", 5)  # issuer, country, region, language, years, top-k


def test_chat_round_trip_streams_a_cited_answer(served: Client):
    job = served.submit("What do the Asilomar AI Principles say about an arms race in lethal autonomous weapons?",
                        *NO_FILTERS, api_name="/chat")
    final = job.result(timeout=300)
    answer, sources = final if isinstance(final, (list, tuple)) else (final, "")
    assert "Asilomar AI Principles" in answer and "[1]" in answer
    assert "### Sources" in sources and "cited" in sources
    assert len(job.outputs()) >= 2  # streamed: sources first, then the answer


def test_ask_endpoint_returns_json(served: Client):
    result = served.predict("How should AI protect children?", 5, api_name="/ask")
    assert result["refused"] is False
    assert result["citations"] and all(c["n"] in {s["n"] for s in result["sources"]} for c in result["citations"])
    assert any("children" in c["title"].lower() for c in result["citations"])


def test_empty_question_gets_a_message_and_the_session_lives_on(served: Client):
    result = served.predict("   ", *NO_FILTERS, api_name="/chat")
    answer = result[0] if isinstance(result, (list, tuple)) else result
    assert "empty" in answer
    bad_years = served.predict("privacy", "", "", "", "any", "last year", 5, api_name="/chat")
    assert "year filter 'last year' not understood" in bad_years[0]
    assert served.predict("What is the capital of Australia?", 5, api_name="/ask")["refused"] is True


def test_chat_filters_and_top_k_reach_retrieval(served: Client):
    answer, sources = served.predict("What is said about privacy and data protection?", "", "china", "", "any",
                                     "2019..2019", 3, api_name="/chat")
    assert sources.count("score ") == 3  # top-k 3
    assert sources.count("· China ·") == 3 and sources.count("· 2019 ·") == 3
