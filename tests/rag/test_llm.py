"""Engine choice and the two local engines on the bundled GGUF (llama.cpp, transformers)."""
import pytest

from rag.config import LLMConfig
from rag.llm import engine_for, engine_order, load_engine, looped

MESSAGES = [{"role": "system", "content": "Answer in one sentence."},
            {"role": "user", "content": "What is the OECD?"}]


def test_looped_sees_a_repeat_inside_the_generation_only():
    assert not looped(list("abcdefgh"))
    assert looped(list("abcdefghXabcdefgh"))
    assert not looped(list("abcdefghXabcdefgY"))
    assert not looped(list("abcdefg") + list("abcdefgh"))  # a repeat shorter than 8 tokens is no loop


def test_auto_engine_picks_llama_cpp_for_the_bundled_gguf_and_transformers_for_a_folder(tmp_path):
    assert engine_for(LLMConfig()) == "llamacpp"  # the test install has the [llamacpp] extra
    assert engine_order(LLMConfig()) == ["llamacpp", "transformers"]  # transformers: the fallback
    assert engine_order(LLMConfig(engine="transformers")) == ["transformers", "llamacpp"]
    assert engine_for(LLMConfig(url="http://127.0.0.1:9/v1", model="m")) == "openai"
    (tmp_path / "config.json").write_text("{}")
    assert engine_order(LLMConfig(model=str(tmp_path))) == ["transformers"]  # llama.cpp runs GGUF files only
    with pytest.raises(ValueError, match="runs .gguf files"):
        engine_for(LLMConfig(model=str(tmp_path), engine="llamacpp"))
    with pytest.raises(ValueError, match="not one of auto, llamacpp, transformers"):
        engine_for(LLMConfig(engine="vllm"))
    with pytest.raises(FileNotFoundError, match="GOVRAG_LLM_MODEL"):
        engine_for(LLMConfig(model=str(tmp_path / "missing.gguf")))


def test_llama_cpp_engine_answers_greedily(chat_model):
    assert chat_model.ready()["engine"] == "llamacpp" and chat_model.notice == ""  # in its worker process
    first = "".join(chat_model.stream(MESSAGES, 40))
    assert "OECD" in first or "Organisation" in first or "Organization" in first
    assert "".join(chat_model.stream(MESSAGES, 40)) == first  # temperature 0: the same words every time


def test_llama_cpp_engine_stops_a_loop_early(chat_model):
    pieces = list(chat_model.stream([{"role": "user", "content": "Write the word 'data' 300 times, "
                                                                 "separated by spaces."}], 300))
    assert looped(pieces)  # the stream ended on the loop stop, not on the token limit
    assert len(pieces) < 300


@pytest.mark.slow
def test_transformers_engine_keeps_the_dequantised_gguf_and_answers_the_same_from_it(tmp_path):
    converted = load_engine(LLMConfig(engine="transformers", cache_dir=tmp_path), "transformers")
    copies = list(tmp_path.iterdir())
    assert len(copies) == 1 and (copies[0] / "model.safetensors").exists()  # no staging folder left behind
    reloaded = load_engine(LLMConfig(engine="transformers", cache_dir=tmp_path), "transformers")
    assert getattr(reloaded.model, "hf_quantizer", None) is None  # loaded from the saved float32 copy
    answer = "".join(converted.stream(MESSAGES, 30))
    assert answer.strip()
    assert "".join(reloaded.stream(MESSAGES, 30)) == answer
