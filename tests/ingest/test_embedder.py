import json
import shutil

import numpy as np

from ingest.embedder import embed_model_path, load_embedder, query_encoder

QUESTIONS = ("What do the OECD principles say about transparency?", "人工智能治理", "x" * 3000, " ")


def test_query_encoder_gives_llama_index_query_vectors():
    """The fast query path must put a question where the index's own embedding call would."""
    embedder = load_embedder(None)
    encode = query_encoder(embedder)
    assert getattr(encode, "__self__", None) is None  # our forward pass, not llama-index's bound method
    for text in QUESTIONS:
        ours, theirs = np.asarray(encode(text)), np.asarray(embedder.get_query_embedding(text))
        assert ours.shape == theirs.shape == (384,)
        assert np.abs(ours - theirs).max() < 1e-5


def test_query_vectors_are_unit_length_for_a_model_without_a_normalize_module(tmp_path):
    folder = tmp_path / "minilm-without-normalize"
    shutil.copytree(embed_model_path(None), folder)
    modules = json.loads((folder / "modules.json").read_text())
    (folder / "modules.json").write_text(json.dumps([m for m in modules if not m["type"].endswith("Normalize")]))
    embedder = load_embedder(str(folder))
    encode = query_encoder(embedder)
    assert getattr(encode, "__self__", None) is None
    for text in QUESTIONS[:2]:
        ours, theirs = np.asarray(encode(text)), np.asarray(embedder.get_query_embedding(text))
        assert abs(np.linalg.norm(ours) - 1) < 1e-5 and np.abs(ours - theirs).max() < 1e-5


def test_a_llama_index_that_moved_its_model_is_said_and_its_own_call_is_used(caplog):
    embedder = load_embedder(None)
    object.__setattr__(embedder, "_model", None)  # as if a release renamed the private attribute
    with caplog.at_level("WARNING", logger="ingest.embedder"):
        encode = query_encoder(embedder)
    assert "HuggingFaceEmbedding._model is NoneType, not a SentenceTransformer" in caplog.text
    assert getattr(encode, "__self__", None) is embedder  # llama-index's own call
