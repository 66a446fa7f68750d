"""What defines an index: where it lives, which collection, which embedder built it."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Word pieces the bundled MiniLM reads; longer input is silently truncated by the model.
EMBEDDER_MAX_TOKENS = 256


def default_cache_dir() -> Path:
    """Where derived copies of installed models live ($XDG_CACHE_HOME/govrag): not index data, shared by every
    index on the machine, and never on the index's own (possibly small) disk."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govrag"


@dataclass(frozen=True)
class IndexConfig:
    data_dir: Path
    collection: str = "govrag"
    #: Folder of a sentence-transformers model; None means the bundled all-MiniLM-L6-v2.
    embed_model: str | None = None
    embed_max_tokens: int = EMBEDDER_MAX_TOKENS
    embed_batch_size: int = 32
    #: The embedder reads Chinese as well as English (a multilingual model): its cosine is then evidence for
    #: Chinese passages and questions too (rag/retrieve.py, rag/relevance.py). The bundled MiniLM reads English only.
    embed_multilingual: bool = False
    #: What runs the embedder (ingest/embedder.BACKENDS): "auto" is ONNX Runtime on a local export, the same
    #: vectors as PyTorch, else PyTorch.
    embed_backend: str = "auto"
    #: A Chroma server (`chroma run`), e.g. http://127.0.0.1:8000; None means the embedded store in data_dir.
    chroma_url: str | None = None
    #: The embedder's ONNX export and the parsed dictionary; None: default_cache_dir().
    cache_dir: Path | None = None

    @property
    def caches(self) -> Path:
        return self.cache_dir or default_cache_dir()

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def location(self) -> str:
        """Where the index lives, for messages."""
        return self.chroma_url or str(self.chroma_path)


@dataclass(frozen=True)
class ReaderLimits:
    """What one document file may be before it is read at all (settings: GOVRAG_MAX_FILE_MB, …)."""
    max_file_mb: float = 50.0
    #: A DOCX's members, unpacked: a zip bomb is refused by its directory, before anything is inflated.
    max_unpacked_mb: float = 200.0
    max_pages: int = 3000
