"""The one place govrag reaches into chromadb's internals fails loudly, naming the version, if they move."""
import pytest

from ingest.store import forget_cached_system


def test_forgetting_a_cached_system_drops_only_that_path(tmp_path, monkeypatch):
    from chromadb.api.client import SharedSystemClient

    monkeypatch.setattr(SharedSystemClient, "_identifier_to_system", {str(tmp_path): "a", "/other": "b"})
    monkeypatch.setattr(SharedSystemClient, "_identifier_to_refcount", {str(tmp_path): 1, "/other": 1})
    forget_cached_system(tmp_path)
    assert SharedSystemClient._identifier_to_system == {"/other": "b"}
    assert SharedSystemClient._identifier_to_refcount == {"/other": 1}


def test_a_chromadb_without_the_cache_fails_loudly(tmp_path, monkeypatch):
    from chromadb.api.client import SharedSystemClient

    monkeypatch.delattr(SharedSystemClient, "_identifier_to_system")
    with pytest.raises(RuntimeError, match=r"chromadb .* no longer keeps .* checked with chromadb 1\.5\.9"):
        forget_cached_system(tmp_path)
