import numpy as np

from ingest.embedder import load_embedder, query_encoder


def test_query_encoder_gives_llama_index_query_vectors():
    """The fast query path must put a question where the index's own embedding call would."""
    embedder = load_embedder(None)
    encode = query_encoder(embedder)
    assert encode is not embedder.get_query_embedding  # the fast path is the one in use for MiniLM
    for text in ("What do the OECD principles say about transparency?", "人工智能治理", "x" * 3000, " "):
        ours, theirs = np.asarray(encode(text)), np.asarray(embedder.get_query_embedding(text))
        assert ours.shape == theirs.shape == (384,)
        assert np.abs(ours - theirs).max() < 1e-5
