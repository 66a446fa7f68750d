"""The sentence-transformers embedder run by ONNX Runtime, exported locally from its folder (no hub).

Why: a query vector in ~3.5 ms instead of ~12 ms, and a serving process that embeds with onnxruntime, the
Rust tokenizer and numpy only — torch, sentence-transformers and scikit-learn (~5 s of every start) are
imported once, to export, and never again. The fp32 export gives the PyTorch vectors to ~2e-7 (tested to 1e-5),
so an index built either way is the same index. The int8 variant (dynamic quantisation, per channel) embeds
twice as fast; its vectors differ (cosine ≥ 0.98 to fp32 on the default corpus), so it is another embedder:
an index records which one built it (ingest/embedder.embedder_name).

The export (torch.onnx, the `onnx` package) is written under <cache dir>/embedder/ once per model folder and
variant, to a temporary folder renamed when complete: a crash never leaves half a model."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

VARIANTS = ("fp32", "int8")
#: Bumped when the export's layout changes: older exports are then made again, never misread.
EXPORT_FORMAT = 1
MODEL_FILE = "model.onnx"
SETTINGS_FILE = "export.json"


class ExportError(RuntimeError):
    """The model folder cannot be run by ONNX Runtime (not mean pooling, export failed, …)."""


def _max_length(model_path: Path) -> int:
    """The max_seq_length of a sentence-transformers folder whose pooling this encoder reproduces: a
    Transformer, mean pooling, optionally Normalize. Anything else raises ExportError (PyTorch then runs it)."""
    try:
        modules = json.loads((model_path / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling = json.loads((model_path / next(m["path"] for m in modules if m["type"].endswith("Pooling"))
                              / "config.json").read_text(encoding="utf-8"))
        bert = json.loads((model_path / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, KeyError, StopIteration, ValueError) as exc:
        raise ExportError(f"{model_path} is not a sentence-transformers folder ONNX can run: {exc}") from exc
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    if kinds[:2] != ["Transformer", "Pooling"] or set(kinds[2:]) - {"Normalize"} or modes != {
            "pooling_mode_mean_tokens"}:
        raise ExportError(f"{model_path}: modules {kinds}, pooling {sorted(modes)}; the ONNX encoder runs a "
                          "Transformer with mean pooling only")
    return int(bert.get("max_seq_length") or 512)


def export_folder(model_path: Path, cache_dir: Path, variant: str) -> Path:
    """Where this model folder's export lives: keyed by the folder and its files' sizes and times."""
    stamp = hashlib.sha256(str(model_path.resolve()).encode())
    for path in sorted(p for p in model_path.iterdir() if p.is_file()):
        stat = path.stat()
        stamp.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return cache_dir / "embedder" / f"{model_path.name}-{stamp.hexdigest()[:12]}-{variant}-v{EXPORT_FORMAT}"


def export(model_path: Path, target: Path, variant: str) -> None:
    """Export the folder's transformer to ONNX (fp32, or int8 quantised), with what the encoder needs to know."""
    max_length = _max_length(model_path)
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_path))
    model = AutoModel.from_pretrained(str(model_path)).eval()
    inputs = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in tokenizer.model_input_names]

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module):
            super().__init__()
            self.inner = inner

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(inputs, tensors))).last_hidden_state

    sample = tokenizer(["an example", "another, longer example sentence"], padding=True, return_tensors="pt")
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".staged-", dir=target.parent))
    try:
        plain = staged / ("fp32.onnx" if variant == "int8" else MODEL_FILE)
        axes = {name: {0: "batch", 1: "tokens"} for name in [*inputs, "last_hidden_state"]}
        with torch.inference_mode():
            torch.onnx.export(LastHiddenState(model), tuple(sample[n] for n in inputs), str(plain), input_names=inputs,
                              output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=17, dynamo=False)
        if variant == "int8":
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantize_dynamic(str(plain), str(staged / MODEL_FILE), weight_type=QuantType.QInt8, per_channel=True)
            plain.unlink()
        (staged / SETTINGS_FILE).write_text(json.dumps({"inputs": inputs, "max_seq_length": max_length,
                                                        "variant": variant}), encoding="utf-8")
        staged.rename(target)
    except Exception as exc:
        shutil.rmtree(staged, ignore_errors=True)
        if target.is_dir():  # another process exported the same model first
            return
        raise ExportError(f"exporting {model_path} to ONNX failed: {type(exc).__name__}: {exc}") from exc


class OnnxEmbedder:
    """Embeds texts as the sentence-transformers model does (same vectors, normalised), through ONNX Runtime.
    The two methods the index and retrieval call are llama-index's names for them."""

    def __init__(self, model_path: Path, folder: Path, batch_size: int = 32, threads: int | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        settings = json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
        self.inputs: list[str] = settings["inputs"]
        self.variant = settings["variant"]
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(model_path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(settings["max_seq_length"]))
        pad = json.loads((model_path / "special_tokens_map.json").read_text(encoding="utf-8")).get("pad_token", "[PAD]")
        pad = pad["content"] if isinstance(pad, dict) else pad
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id(pad) or 0, pad_token=pad)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        self.session = onnxruntime.InferenceSession(str(folder / MODEL_FILE), options,
                                                    providers=["CPUExecutionProvider"])

    def _embed(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(texts)
        columns = {"input_ids": [e.ids for e in encoded], "attention_mask": [e.attention_mask for e in encoded],
                   "token_type_ids": [e.type_ids for e in encoded]}
        feeds = {name: np.asarray(columns[name], dtype=np.int64) for name in self.inputs}
        hidden = self.session.run(None, feeds)[0]
        mask = feeds["attention_mask"][..., None].astype(np.float32)
        vectors = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        # normalised whether or not the folder ends in Normalize: llama-index's normalize=True did the same, and
        # cosine scores assume unit vectors
        return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)

    def get_text_embedding_batch(self, texts: list[str], **_: Any) -> list[list[float]]:
        """Batches of similar length (less padding), returned in the order given."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[Any] = [None] * len(texts)
        for start in range(0, len(order), self.batch_size):
            chunk = order[start:start + self.batch_size]
            for i, vector in zip(chunk, self._embed([texts[i] for i in chunk])):
                vectors[i] = vector.tolist()
        return vectors

    def get_query_embedding(self, text: str) -> list[float]:
        return self._embed([text])[0].tolist()

    def get_text_embedding(self, text: str) -> list[float]:
        return self.get_query_embedding(text)


def load_onnx_embedder(model_path: Path, cache_dir: Path, variant: str = "fp32", batch_size: int = 32) -> OnnxEmbedder:
    """The folder's ONNX embedder, exported first if this cache dir has none yet (~10 s, once per machine)."""
    if variant not in VARIANTS:
        raise ValueError(f"ONNX embedder variant {variant!r} is not one of {', '.join(VARIANTS)}")
    folder = export_folder(model_path, cache_dir, variant)
    if not (folder / SETTINGS_FILE).exists():
        log.info("exporting the embedder %s to ONNX (%s) in %s, once", model_path.name, variant, folder)
        # In a child process: torch and transformers (~400 MB, ~5 s to import) never enter a serving process.
        done = subprocess.run([sys.executable, "-m", "ingest.onnx_embedder", str(model_path), str(folder), variant],
                              capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
        if done.returncode != 0:
            said = [line for line in done.stderr.strip().splitlines() if line.strip()]
            raise ExportError(said[-1].split("ExportError: ", 1)[1] if said and "ExportError: " in said[-1] else
                              f"exporting {model_path} to ONNX failed (exit {done.returncode}): "
                              f"{' '.join(said[-3:])[-600:]}")
    try:
        return OnnxEmbedder(model_path, folder, batch_size)
    except Exception as exc:  # noqa: BLE001 - a damaged export: said, and the caller falls back or stops
        raise ExportError(f"the ONNX export in {folder} cannot be opened ({type(exc).__name__}: {exc}); delete "
                          "that folder to export again") from exc


if __name__ == "__main__":  # python -m ingest.onnx_embedder MODEL_FOLDER TARGET VARIANT (load_onnx_embedder runs it)
    from ingest.offline import offline

    offline()
    export(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
