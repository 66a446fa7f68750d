"""The embedder on ONNX Runtime: exported locally from the bundled folder, the PyTorch vectors to 1e-5, a serving
query path without torch, and a clear fallback or error when the export cannot be had. Real models only."""
import json
import logging
import shutil
import subprocess
import sys

import numpy as np
import pytest

from ingest.embedder import embed_model_path, embedder_name, load_embedder
from ingest.onnx_embedder import ExportError, OnnxEmbedder, export_folder
from tests.conftest import ROOT

TEXTS = ["What do the OECD principles say about transparency?", "人工智能治理应当以人为本。", "x" * 3000,
         " ", "AI actors should respect the rule of law, human rights and democratic values. " * 30, "Privacy."]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("onnx-data")


@pytest.fixture(scope="module")
def onnx(data_dir) -> OnnxEmbedder:
    embedder = load_embedder(None, 4, "onnx", data_dir)
    assert isinstance(embedder, OnnxEmbedder)
    return embedder


def test_onnx_vectors_are_the_pytorch_vectors(onnx):
    torch_embedder = load_embedder(None, 4, "torch")
    for text in TEXTS:
        assert np.abs(np.asarray(onnx.get_query_embedding(text))
                      - np.asarray(torch_embedder.get_query_embedding(text))).max() < 1e-5
    # batches (of 4, sorted by length inside) come back in the order given
    ours, theirs = (np.asarray(e.get_text_embedding_batch(TEXTS)) for e in (onnx, torch_embedder))
    assert ours.shape == (len(TEXTS), 384) and np.abs(ours - theirs).max() < 1e-5
    assert embedder_name(None, "onnx") == embedder_name(None, "torch")  # one index serves both


def test_the_serving_query_path_imports_no_torch_even_when_it_exports(tmp_path):
    """The export runs in a child process: torch never enters a serving process, even on its first start."""
    code = ("import sys; from pathlib import Path; from ingest.embedder import load_embedder, query_encoder; "
            f"e = load_embedder(None, 32, 'auto', Path({str(tmp_path)!r})); v = query_encoder(e)('privacy'); "
            "heavy = sorted({'torch', 'sentence_transformers', 'sklearn', 'transformers'} & set(sys.modules)); "
            "print(len(v), type(e).__name__, heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["384", "OnnxEmbedder", "[]"]


def test_a_damaged_export_falls_back_to_pytorch_on_auto_and_is_a_clear_error_on_onnx(data_dir, tmp_path, caplog):
    damaged = tmp_path / "data"
    shutil.copytree(data_dir / "embedder", damaged / "embedder")
    folder = export_folder(embed_model_path(None), damaged, "fp32")
    (folder / "model.onnx").write_bytes(b"not a model")
    with caplog.at_level(logging.WARNING, logger="ingest.embedder"):
        embedder = load_embedder(None, 32, "auto", damaged)
    assert type(embedder).__name__ == "HuggingFaceEmbedding" and "cannot be opened" in caplog.text
    with pytest.raises(ExportError, match="delete that folder to export again.*GOVRAG_EMBED_BACKEND=torch"):
        load_embedder(None, 32, "onnx", damaged)


def test_a_model_without_mean_pooling_is_not_exported(tmp_path):
    folder = tmp_path / "cls-pooled"
    shutil.copytree(embed_model_path(None), folder)
    config = json.loads((folder / "1_Pooling" / "config.json").read_text())
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(
        config | {"pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}))
    with pytest.raises(ExportError, match="mean pooling only"):
        load_embedder(str(folder), 32, "onnx", tmp_path / "data")
    assert type(load_embedder(str(folder), 32, "auto", tmp_path / "data")).__name__ == "HuggingFaceEmbedding"


@pytest.mark.slow
def test_the_int8_export_is_close_but_another_embedder(onnx, data_dir):
    int8 = load_embedder(None, 32, "onnx-int8", data_dir)
    cosines = (np.asarray(int8.get_text_embedding_batch(TEXTS)) * np.asarray(onnx.get_text_embedding_batch(TEXTS))
               ).sum(axis=1)
    assert cosines.min() > 0.95 and cosines.max() < 1 - 1e-5  # close, not the same vectors
    assert embedder_name(None, "onnx-int8") != embedder_name(None, "onnx")
