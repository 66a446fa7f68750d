"""llama.cpp in-process (llama-cpp-python) on a GGUF: the default engine when the [llamacpp] extra is
installed. On the bundled SmolLM2 it loads in 0.2 s (transformers: ~17 s to dequantise) and decodes ~8x
faster than transformers on 2 cores (bench/run.py)."""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator

from rag.config import LLMConfig
from rag.llm import looped, model_path

#: Prompt + answer tokens: the prompt holds at most a few hundred-word sources.
CONTEXT_TOKENS = 4096


class LlamaCppChatModel:
    """Greedy decoding (temperature 0, no repeat penalty: the citation check wants the sources' own words),
    the GGUF's own chat template, and the same loop stop as the transformers engine."""

    def __init__(self, config: LLMConfig):
        from llama_cpp import Llama

        path = model_path(config)
        self.name = path.name
        self.config = config
        self.llama = Llama(model_path=str(path), n_ctx=CONTEXT_TOKENS,
                           n_threads=config.threads or max(1, os.cpu_count() or 1), verbose=False)
        self._lock = threading.Lock()  # a Llama context runs one generation at a time

    def stream(self, messages: list[dict[str, str]], max_new_tokens: int) -> Iterator[str]:
        with self._lock:
            # Forget the previous prompt: llama-cpp-python would reuse its shared prefix, and a prefix
            # evaluated in another batch can tip a greedy choice, so the same question could get different
            # words depending on who asked before (tests/ui/test_robustness.py checks it does not).
            self.llama.reset()
            pieces: list[str] = []
            chunks = self.llama.create_chat_completion(
                messages=messages, max_tokens=max_new_tokens, temperature=0, top_k=1,
                repeat_penalty=self.config.repetition_penalty, stream=True)
            try:
                for chunk in chunks:
                    piece = chunk["choices"][0]["delta"].get("content")
                    if not piece:
                        continue
                    pieces.append(piece)  # one token per streamed piece
                    yield piece
                    if looped(pieces):
                        return
            finally:
                chunks.close()  # stops llama.cpp's generation when the caller stops reading
