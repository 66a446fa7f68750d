"""The model through transformers: a model folder, or a GGUF dequantised to float32 (the engine when
llama-cpp-python is not installed)."""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

from ingest.offline import offline
from rag.config import LLMConfig
from rag.llm import looped, model_path

log = logging.getLogger(__name__)


class _RepeatStop:
    """transformers' StoppingCriteria for `looped`, on the tokens generated after the prompt."""

    def __init__(self, prompt_length: int):
        self.start = prompt_length

    def __call__(self, input_ids, scores, **kwargs):  # noqa: ANN001 - transformers' StoppingCriteria protocol
        import torch

        return torch.tensor([looped(input_ids[0, self.start:].tolist())])


def _dequantised_copy(path: Path, cache_dir: Path | None) -> Path | None:
    """Where this GGUF's float32 conversion is (or will be) kept: converting the tokenizer and dequantising
    every tensor takes ~17 s at each start, loading the saved copy ~0.2 s (bench/run.py measures both)."""
    if cache_dir is None or path.suffix != ".gguf":
        return None
    stat = path.stat()
    return cache_dir / f"{path.stem}-{stat.st_size}-{stat.st_mtime_ns}"


class TransformersChatModel:
    """Greedy decoding with repetition control: a 135M model otherwise loops ("The answer is: The answer is")."""

    def __init__(self, config: LLMConfig):
        offline()
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        if config.threads:
            torch.set_num_threads(config.threads)
        path = model_path(config)
        self.name = path.name
        self.config = config
        cached = _dequantised_copy(path, config.cache_dir)
        if cached is not None and (cached / "config.json").exists():
            folder, kwargs = str(cached), {}
        else:
            kwargs = {"gguf_file": path.name} if path.suffix == ".gguf" else {}
            folder = str(path.parent if path.suffix == ".gguf" else path)
        self.tokenizer = AutoTokenizer.from_pretrained(folder, **kwargs)
        self.model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, **kwargs)
        self.model.eval()
        if cached is not None and kwargs:
            self._save(cached)
        self._lock = threading.Lock()  # one generation at a time per loaded model

    def _save(self, target: Path) -> None:
        """Write the converted model beside the others, atomically (a rename), so a crash leaves no half copy."""
        import shutil
        import tempfile

        import torch

        kinds = {p.dtype for p in self.model.parameters()}
        quantizer = getattr(self.model, "hf_quantizer", None)
        if kinds != {torch.float32} or not hasattr(quantizer, "remove_quantization_config"):
            import transformers

            log.warning("not keeping a converted copy: transformers %s left the GGUF model with weights %s and "
                        "quantizer %r (govrag expects float32 weights and a quantizer that can be removed, as "
                        "in transformers 5.x); every load converts the GGUF again", transformers.__version__,
                        sorted(map(str, kinds)), type(quantizer).__name__)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        # transformers marks a model loaded from a GGUF as "gguf-quantized" and refuses to save it, though
        # its weights are plain float32 by now (checked above): its own call lifts the mark, for good — this
        # model runs as the float32 model it now is, the same one the saved copy loads as.
        quantizer.remove_quantization_config(self.model)
        try:
            self.model.save_pretrained(staging)
            self.tokenizer.save_pretrained(staging)
            staging.rename(target)
        except OSError:  # no space, read-only data dir, or another process won the rename: run uncached
            shutil.rmtree(staging, ignore_errors=True)

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


