"""The Gradio app served on loopback, called through gradio_client like any API user would.

Each gradio_client.Client is its own Gradio session, like a browser tab of a different user."""
from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client

pytestmark = pytest.mark.slow

NO_FILTERS = ("", "", "", "any", "", 5)  # issuer, country, region, language, years, top-k
OECD_QUESTION = "What do the OECD Principles say about international co-operation for trustworthy AI?"


def _client(url: str) -> Client:
    return Client(url, verbose=False)


def _chat(client: Client, question: str, *filters) -> tuple[list[dict], str]:
    """Ask through the /chat endpoint; returns the whole chat and the sources panel's HTML."""
    result = client.predict(question, *(filters or NO_FILTERS), api_name="/chat")
    return result[0], result[1]


def _text(message: dict) -> str:
    content = message["content"]
    return content if isinstance(content, str) else " ".join(part.get("text", "") for part in content)


def _last_answer(chat: list[dict]) -> str:
    return _text(chat[-1])


@pytest.fixture(scope="module")
def served(ui_url: str) -> Client:
    return _client(ui_url)


def test_chat_streams_a_cited_answer_with_linked_marks(served: Client):
    job = served.submit("What do the Asilomar AI Principles say about an arms race in lethal autonomous weapons?",
                        *NO_FILTERS, api_name="/chat")
    chat, sources = job.result(timeout=300)[:2]
    answer = _last_answer(chat)
    assert "Asilomar AI Principles" in answer and "](#govrag-src-" in answer and "Supported" in answer
    assert 'class="govrag-source cited"' in sources and "<mark>" in sources and "Future of Life Institute" in sources
    assert len(job.outputs()) >= 3  # streamed: question shown, sources, then the answer


def test_ask_endpoint_returns_json(served: Client):
    result = served.predict("How should AI protect children?", 5, api_name="/ask")
    assert result["refused"] is False and result["verdict"] in {"supported", "partly_supported"}
    assert result["citations"] and all(c["n"] in {s["n"] for s in result["sources"]} for c in result["citations"])
    assert any("children" in c["title"].lower() for c in result["citations"])


def test_ask_stream_endpoint_gives_the_cited_quotes_first_then_the_final_answer(served: Client):
    job = served.submit("How should AI protect children?", 5, None, api_name="/ask_stream")
    final = job.result(timeout=300)
    stages = job.outputs()
    assert [s["stage"] for s in stages] == ["quotes", "final"] and stages[-1] == final
    quotes = stages[0]
    assert quotes["verdict"] == "quotes_only" and quotes["parts"]["synthesis"] == [] and quotes["citations"]
    assert final["citations"] == quotes["citations"] and final["parts"]["evidence"] == quotes["parts"]["evidence"]
    assert final["verdict"] in {"supported", "partly_supported"}
    declined = served.submit("What is the capital of Australia?", 5, None, api_name="/ask_stream")
    declined.result(timeout=300)
    assert [s["stage"] for s in declined.outputs()] == ["final"] and declined.outputs()[0]["refused"] is True


def test_ask_endpoint_takes_the_previous_turn_for_a_follow_up(served: Client):
    first = served.predict("What does the Toronto Declaration say about discrimination?", 5, api_name="/ask")
    follow = served.predict("Does it set out fines?", first["turn"], 5, api_name="/follow_up")
    assert follow["verdict"] == "not_stated" and follow["within"] == ["The Toronto Declaration"]
    bad = served.predict("Does it set out fines?", {"documents": 3}, 5, api_name="/follow_up")
    assert "previous turn" in bad["error"]


def test_bad_questions_get_a_message_and_the_session_lives_on(ui_url: str):
    client = _client(ui_url)
    assert "the question is empty" in _last_answer(_chat(client, "   ")[0])
    chat, _ = _chat(client, "What about privacy? " * 150)
    assert "the limit is 2000: shorten it" in _last_answer(chat) and "… \\(2999 characters" in _text(chat[-2])
    chat, _ = _chat(client, "privacy", "", "", "", "any", "last year", 5)
    assert "year filter 'last year' not understood" in _last_answer(chat)
    chat, _ = _chat(client, "What does the Beijing AI Principles say about privacy?")
    assert "Beijing AI Principles" in _last_answer(chat) and len(chat) == 8  # all four turns kept


def test_chat_filters_and_top_k_reach_retrieval(ui_url: str):
    _, sources = _chat(_client(ui_url), "What is said about privacy and data protection?", "", "china", "", "any",
                       "2019..2019", 3)
    assert sources.count("<article") == 3  # top-k 3
    assert sources.count(" · 2019 · China · ") == 3


def test_two_users_never_share_history_or_follow_ups(ui_url: str):
    alice, bob = _client(ui_url), _client(ui_url)
    with ThreadPoolExecutor(2) as pool:  # at the same time, through the queue
        a = pool.submit(_chat, alice, OECD_QUESTION)
        b = pool.submit(_chat, bob, "How should AI protect children?")
        (alice_chat, _), (bob_chat, _) = a.result(timeout=600), b.result(timeout=600)
    assert "OECD" not in _text(bob_chat[0]) and "children" not in _text(alice_chat[0])
    alice_chat, _ = _chat(alice, "and what does the G20 say about that?")
    bob_chat, _ = _chat(bob, "and what does the G20 say about that?")
    assert "Follow-up read as: “What does the G20 say about international co-operation" in _last_answer(alice_chat)
    assert "Follow-up read as: “What does the G20 say about ‘how should AI protect children’?”" in \
        _last_answer(bob_chat)
    assert len(alice_chat) == len(bob_chat) == 4
    assert not any("children" in _text(m) for m in alice_chat[:3])


def test_compare_and_related_principles(ui_url: str):
    client = _client(ui_url)
    result = client.predict("seed-oecd-principles-on-ai", "seed-global-ai-governance-initiative",
                            "international cooperation", api_name="/compare")
    chat, sources, related_pick = result[0], result[1], result[-1]
    answer = _last_answer(chat)
    assert answer.startswith("OECD Principles on Artificial Intelligence") and "Global AI Governance Initiative" in answer
    assert "Compare **OECD Principles on Artificial Intelligence** and **Global AI Governance Initiative**" in \
        _text(chat[-2])
    assert "Global AI Governance Initiative" in sources
    node_id = related_pick["value"]
    related = client.predict(node_id, api_name="/related")
    assert "Principles related to" in related and related.count("<article") == 5
    assert related.count("OECD Principles on Artificial Intelligence") == 1  # in the heading; others are other docs
    chat = client.predict(None, "seed-global-ai-governance-initiative", "privacy", api_name="/compare")[0]
    assert "Pick two documents to compare" in _last_answer(chat)


def test_model_backend_failure_answers_with_quotes_and_a_notice(retriever):
    from rag.answer import Answerer
    from rag.config import RagConfig
    from tests.conftest import BrokenBackend, served_app

    with served_app(Answerer(retriever, BrokenBackend(), RagConfig())) as url:
        client = _client(url)
        for _ in range(2):  # the session lives on
            chat, sources = _chat(client, "How should AI protect children?")
            answer = _last_answer(chat)
            assert "language model failed" in answer and "ConnectionError" in answer and "What the sources say" in answer
            assert "children" in sources
