"""What a serving process derives from the index (the passages' texts and metadata, the BM25 index, the
catalogue of names), saved beside the index per index version, so that the next process opens it at once
instead of reading every record back from Chroma and tokenising it again (37 s at 100x the default corpus).

Layout: <data dir>/snapshots/<collection>-<hash of where the index is>-<version>/ with `bm25/` (bm25s' own
files: numpy arrays, opened memory-mapped) and `data.pickle` (the rest). Written to a temporary folder and
renamed, so a crash leaves no half snapshot; a snapshot that cannot be read is rebuilt from Chroma. Pickle is
the trust model of the data dir itself: Chroma keeps its own index metadata there as a pickle too."""
from __future__ import annotations

import hashlib
import logging
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ingest.config import IndexConfig

if TYPE_CHECKING:
    from rag.named import Catalogue

log = logging.getLogger(__name__)

#: Bumped whenever what is saved changes shape: older snapshots are then rebuilt, never misread.
FORMAT = 1


@dataclass(frozen=True)
class IndexData:
    """Everything a search needs besides Chroma itself, derived from the index's records."""
    ids: list[str]
    texts: dict[str, str]
    meta: dict[str, dict[str, Any]]
    #: In how many passages each BM25 token occurs.
    document_frequency: dict[str, int]
    documents: list[tuple[str, str]]
    names: frozenset[str]
    catalogue: "Catalogue"
    chinese_rows: np.ndarray


def _folder(config: IndexConfig, version: int) -> Path:
    where = hashlib.sha256(config.location.encode()).hexdigest()[:12]
    return config.data_dir / "snapshots" / f"{config.collection}-{where}-{version}-v{FORMAT}"


def load_snapshot(config: IndexConfig, version: int | None) -> tuple[IndexData, Any] | None:
    """The saved data and BM25 index of this index version, or None (none saved, or unreadable: rebuild)."""
    if version is None:
        return None
    folder = _folder(config, version)
    if not folder.is_dir():
        return None
    try:
        import bm25s

        with (folder / "data.pickle").open("rb") as file:
            data = pickle.load(file)
        bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=True, show_progress=False) if data.ids else None
    except Exception as exc:  # noqa: BLE001 - any damage: the index itself is intact, rebuild from it
        log.warning("index snapshot %s unreadable (%s: %s); rebuilding it from the index", folder,
                    type(exc).__name__, exc)
        shutil.rmtree(folder, ignore_errors=True)
        return None
    if not isinstance(data, IndexData):
        return None
    return data, bm25


def save_snapshot(config: IndexConfig, version: int | None, data: IndexData, bm25: Any) -> None:
    """Save this version's data (best effort: a full disk or a read-only data dir only costs the next start
    its time) and remove the collection's older snapshots."""
    if version is None:
        return
    folder = _folder(config, version)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".staged-", dir=folder.parent))
        try:
            if data.ids:
                bm25.save(str(staged / "bm25"), show_progress=False)
            with (staged / "data.pickle").open("wb") as file:
                pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
            staged.rename(folder)
        except OSError:
            shutil.rmtree(staged, ignore_errors=True)
            if not folder.is_dir():  # not another process saving the same version first
                raise
    except OSError as exc:
        log.warning("could not save the index snapshot in %s (%s); the next start reads the index again",
                    folder.parent, exc)
        return
    prefix = folder.name.rsplit("-", 2)[0] + "-"
    for old in folder.parent.glob(f"{prefix}*"):
        if old != folder and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
