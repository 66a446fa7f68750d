"""What defines an index: where it lives, which collection, which embedder built it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Word pieces the bundled MiniLM reads; longer input is silently truncated by the model.
EMBEDDER_MAX_TOKENS = 256


@dataclass(frozen=True)
class IndexConfig:
    data_dir: Path
    collection: str = "govrag"
    #: Folder of a sentence-transformers model; None means the bundled all-MiniLM-L6-v2.
    embed_model: str | None = None
    embed_max_tokens: int = EMBEDDER_MAX_TOKENS
    embed_batch_size: int = 32

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"
