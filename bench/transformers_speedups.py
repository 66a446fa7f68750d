"""Measures, one by one, the transformers speed-ups issue 6 proposes for the default model's decode, on the
bench's prompt: dynamic vs static KV cache, 1 vs 2 threads, and (optionally, slow) torch.compile.

    .venv/bin/python bench/transformers_speedups.py [--compile]

Prints decode tokens/s (incl. prefill) per variant, median of 3, side by side in one process."""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.offline import offline  # noqa: E402

offline()


def main() -> int:
    import torch

    from rag.config import LLMConfig
    from rag.llm_transformers import TransformersChatModel

    messages = [{"role": "system", "content": "Answer from the sources, citing them as [n]."},
                {"role": "user", "content": "Sources:\n[1] " + "Governments should cooperate on AI safety. " * 30
                 + "\n\nQuestion: What should governments do about AI safety?"}]
    with tempfile.TemporaryDirectory() as cache:
        model = TransformersChatModel(LLMConfig(engine="transformers", cache_dir=Path(cache)))
        inputs = model.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                     return_dict=True)

        def rate(**kwargs) -> float:
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                with torch.inference_mode():
                    out = model.model.generate(**inputs, max_new_tokens=80, min_new_tokens=80, do_sample=False,
                                               pad_token_id=model.tokenizer.eos_token_id, **kwargs)
                runs.append((out.shape[1] - inputs["input_ids"].shape[1]) / (time.perf_counter() - started))
            return round(statistics.median(runs), 1)

        rows = []
        for threads in (2, 1):
            torch.set_num_threads(threads)
            rows.append((f"dynamic cache, {threads} threads", rate()))
            rows.append((f"static cache, {threads} threads", rate(cache_implementation="static")))
        torch.set_num_threads(2)
        if "--compile" in sys.argv:
            model.model.forward = torch.compile(model.model.forward, mode="reduce-overhead")
            started = time.perf_counter()
            rate(cache_implementation="static")
            rows.append(("static cache + torch.compile (first 3 runs incl. compile)",
                         f"{time.perf_counter() - started:.0f} s"))
            rows.append(("static cache + torch.compile, 2 threads", rate(cache_implementation="static")))
    print(f"prompt tokens: {inputs['input_ids'].shape[1]}, 80 new tokens\n")
    print("| variant | tok/s incl. prefill |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
