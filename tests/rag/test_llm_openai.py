"""The OpenAI-compatible backend against a real server on loopback: llama-cpp-python's server (the `[llamacpp]`
extra) serving the bundled SmolLM2 GGUF. It is the engine the README recommends for CPU machines and the
only OpenAI-compatible server that installs from PyPI and runs without a GPU or a model hub."""
import time

import pytest

from rag.config import LLMConfig
from rag.llm import load_chat_model
from rag.llm_openai import BackendError, OpenAIChatModel
from tests.conftest import free_port, start_llama_server

MESSAGES = [{"role": "user", "content": "Say one short sentence about AI governance."}]


def test_unreachable_server_is_a_clear_error_not_a_hang():
    model = load_chat_model(LLMConfig(url=f"http://127.0.0.1:{free_port()}/v1", model="smollm2", timeout_s=5))
    assert isinstance(model, OpenAIChatModel)
    started = time.perf_counter()
    with pytest.raises(BackendError, match="cannot reach the model server at http://127.0.0.1:.*unset GOVRAG_LLM_URL"):
        list(model.stream(MESSAGES, 8))
    assert time.perf_counter() - started < 5


@pytest.mark.slow
def test_a_server_that_never_answers_times_out_into_a_quotes_only_answer(retriever):
    """A listening socket that accepts and then says nothing: the stuck server a timeout is for."""
    import socket

    from rag.answer import Answerer
    from rag.config import RagConfig

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/v1"
        model = OpenAIChatModel(LLMConfig(url=url, model="smollm2", timeout_s=2))
        started = time.perf_counter()
        with pytest.raises(BackendError, match="did not answer within 2 s"):
            list(model.stream(MESSAGES, 8))
        assert time.perf_counter() - started < 10
        result = Answerer(retriever, model, RagConfig()).ask("What does the Beijing AI Principles say about privacy?")
    assert "did not answer within 2 s" in result.notice
    assert result.citations and result.verdict != "refused"


def test_a_url_without_a_model_name_is_refused():
    with pytest.raises(ValueError, match="needs a URL and a model name"):
        load_chat_model(LLMConfig(url="http://127.0.0.1:9/v1"))


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """`python -m llama_cpp.server` on a free loopback port; yields its base URL and process."""
    url, server = start_llama_server(tmp_path_factory.mktemp("llama"))
    yield url, server
    server.kill()
    server.wait()


@pytest.mark.slow
def test_streams_from_a_real_llama_cpp_server(llama_server):
    url, _ = llama_server
    tokens = list(OpenAIChatModel(LLMConfig(url=url, model="smollm2")).stream(MESSAGES, 24))
    assert len(tokens) > 3 and "".join(tokens).strip()


@pytest.mark.slow
def test_answers_through_the_server_then_survive_its_death(llama_server, retriever):
    from rag.answer import Answerer
    from rag.config import RagConfig

    url, server = llama_server
    answerer = Answerer(retriever, OpenAIChatModel(LLMConfig(url=url, model="smollm2", timeout_s=30)), RagConfig())
    question = "What do the Asilomar AI Principles say about an arms race in lethal autonomous weapons?"
    result = answerer.ask(question)
    assert result.draft.strip() and not result.notice and "Asilomar AI Principles" in {c.title for c in
                                                                                        result.citations}
    server.kill()
    server.wait()
    after = answerer.ask(question)
    assert "cannot reach the model server" in after.notice and after.citations == result.citations
