"""ui/library_tab.py's handlers on a real index (embedded Chroma, bundled embedder) through the answer API:
browse, filter, open a document, ask about it, upload (good and bad files), remove."""
import shutil
from pathlib import Path

import gradio as gr
import pytest

from ingest.config import IndexConfig, ReaderLimits
from ingest.pipeline import ingest
from rag.answer import Answerer
from rag.config import RagConfig
from tests.conftest import corpus_records, write_jsonl
from ui.library_tab import (ANY, LibraryEdits, add_documents, ask_about, compare_choices, filtered, open_document,
                            refresh, remove_document, rows)


@pytest.fixture()
def edits(tmp_path: Path) -> LibraryEdits:
    config = IndexConfig(data_dir=tmp_path / "data")
    write_jsonl(tmp_path / "corpus" / "seed.jsonl", corpus_records("seed-principles.jsonl"))
    assert not ingest([tmp_path / "corpus"], config, progress=False).errors
    return LibraryEdits(config, ReaderLimits(), tmp_path / "data" / "uploads")


@pytest.fixture()
def answerer(edits: LibraryEdits) -> Answerer:
    return Answerer.load(edits.index, RagConfig(), with_llm=False)


def test_browse_filter_open_and_ask_about(answerer: Answerer):
    documents = answerer.library()
    assert len(documents) == 5
    chinese = filtered(documents, language="zh")
    assert [d.title for d in chinese] == ["Global AI Governance Initiative"]
    assert [d.title for d in filtered(documents, search="g20 principles")] == ["G20 AI Principles"]
    assert filtered(documents, country="China", search="oecd") == []
    assert rows(chinese)[0][-1] == chinese[0].doc_id  # the id is the last column: a row click opens it
    table, count, picker, *_, years, regions, themes = refresh(answerer, "", ANY, ANY, "zh", ANY, "country")
    assert count == "**1** of 5 indexed documents shown."
    assert picker.choices == [("Global AI Governance Initiative", chinese[0].doc_id)]
    panel, principle, related = open_document(answerer, chinese[0].doc_id)
    assert "Global AI Governance Initiative" in panel and "联合国" in panel and principle.value
    tab, question = ask_about(answerer, chinese[0].doc_id)
    assert tab.selected == "chat" and question.value == "What does the Global AI Governance Initiative say about "


def test_upload_good_and_bad_files_then_remove(answerer: Answerer, edits: LibraryEdits, declaration_pdf: Path,
                                               tmp_path: Path):
    gradio_copy = tmp_path / "gradio-tmp" / "lakeside-declaration.pdf"  # Gradio hands the handler its own copy
    gradio_copy.parent.mkdir()
    shutil.copy(declaration_pdf, gradio_copy)
    broken = gradio_copy.parent / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 nothing")
    messages = list(add_documents(answerer, edits, [str(gradio_copy), str(broken)], "Lakeside AI Safety Summit",
                                  "2025-03-14", ""))
    assert messages[0] == "Reading and indexing 2 file(s)…"
    assert messages[-1].startswith("Added 1, updated 0, unchanged 0")
    assert "broken.pdf: not a readable PDF" in messages[-1]
    assert sorted(p.name for p in edits.folder.iterdir()) == ["lakeside-declaration.pdf"]  # the bad one not kept
    lakeside = [d for d in answerer.library() if d.title.startswith("Lakeside")]
    assert lakeside and lakeside[0].issuer == "Lakeside AI Safety Summit" and lakeside[0].pages == 3
    assert Path(lakeside[0].source_file).parent == edits.folder  # its passages cite the kept copy
    first, second = compare_choices(answerer)  # the chat's compare pickers list it too
    assert ("Lakeside Declaration on Frontier AI Safety", lakeside[0].doc_id) in first.choices == second.choices

    again = list(add_documents(answerer, edits, [str(gradio_copy)], "", "", ""))
    assert "same content as the indexed document" in again[-1]  # a second upload of the same file
    assert list(add_documents(answerer, edits, None, "", "", "")) == ["⚠ Choose one or more files first."]

    assert remove_document(answerer, edits, lakeside[0].doc_id).startswith("Removed Lakeside Declaration")
    assert len(answerer.library()) == 5
    assert remove_document(answerer, edits, None) == "⚠ Open a document first."
    assert isinstance(open_document(answerer, lakeside[0].doc_id)[1], gr.Dropdown)
