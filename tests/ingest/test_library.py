"""Documents of one's own in a real index (embedded Chroma, the bundled embedder): ingested from real files,
listed, shown in order with pages, removed; every bad file reported by name with the index left as it was."""
import shutil
from pathlib import Path

import pytest

from ingest.config import IndexConfig, ReaderLimits
from ingest.library import find_document, list_documents, remove_document
from ingest.pipeline import ingest
from ingest.store import VERSION_FILE, open_collection, stored_nodes
from tests.conftest import write_jsonl
from tests.real_files import encrypted_copy, scanned_pdf, zip_bomb_docx

LAKESIDE = {"issuer": "Lakeside AI Safety Summit", "date": "2025-03-14"}


def _ids(config: IndexConfig) -> set[str]:
    return {n.node_id for n in stored_nodes(open_collection(config, create=False))}


@pytest.fixture()
def library(tmp_path: Path, declaration_pdf: Path) -> IndexConfig:
    config = IndexConfig(data_dir=tmp_path / "data")
    write_jsonl(tmp_path / "corpus" / "docs.jsonl", [{"title": "Harbour Charter", "issuer": "Harbour City",
                                                      "principles": [{"heading": "Care", "text": "Be careful."}]}])
    assert not ingest([tmp_path / "corpus"], config, progress=False).errors
    report = ingest([declaration_pdf], config, progress=False, overrides=LAKESIDE)
    assert not report.errors and report.added == 1
    return config


def test_listed_shown_in_order_with_pages_and_removed(library: IndexConfig):
    documents = list_documents(library)
    assert [d.title for d in documents] == ["Harbour Charter", "Lakeside Declaration on Frontier AI Safety"]
    lakeside = find_document(documents, "lakeside")
    assert (lakeside.issuer, lakeside.date, lakeside.pages, lakeside.languages) == (
        "Lakeside AI Safety Summit", "2025-03-14", 3, ["en"])
    assert lakeside.source_file.endswith("lakeside-declaration.pdf")
    assert [(p.heading, p.page) for p in lakeside.passages] == [
        ("", 1), ("Chapter I General provisions › Article 1 Scope", 1),
        ("Chapter I General provisions › Article 2 Model cards", 1),
        ("Chapter II Testing and incidents › Article 3 Red teaming", 2),
        ("Chapter II Testing and incidents › Article 4 Incident reporting", 2),
        ("Chapter III Review › Article 5 Periodic review", 3)]
    assert "seventy-two hours" in lakeside.passages[4].text
    with pytest.raises(LookupError, match="matches 2 documents"):
        find_document(documents, "ar")
    with pytest.raises(LookupError, match="no indexed document"):
        find_document(documents, "EU AI Act")

    version = (library.data_dir / VERSION_FILE).read_text()
    removed = remove_document(library, lakeside.doc_id)
    assert removed.doc_id == lakeside.doc_id
    assert [d.title for d in list_documents(library)] == ["Harbour Charter"]
    assert (library.data_dir / VERSION_FILE).read_text() != version  # serving processes reload


def test_every_bad_file_is_named_and_the_index_is_left_as_it_was(library: IndexConfig, tmp_path: Path,
                                                                 declaration_pdf: Path):
    before = _ids(library)
    bad = tmp_path / "incoming"
    bad.mkdir()
    encrypted_copy(declaration_pdf, bad / "locked.pdf", user_password="secret")
    scanned_pdf(bad / "scan.pdf")
    (bad / "corrupt.pdf").write_bytes(b"%PDF-1.7 nothing more")
    zip_bomb_docx(bad / "bomb.docx", unpacked_mb=30)
    with open(bad / "huge.pdf", "wb") as handle:
        handle.truncate(200 * 1_000_000)
    (tmp_path / "sheet.xlsx").write_bytes(b"PK\x03\x04")  # named: a folder's other files are not corpus files
    shutil.copy(declaration_pdf, bad / "renamed-copy.pdf")  # the same content under a second name
    report = ingest([bad, tmp_path / "sheet.xlsx"], library, progress=False, limits=ReaderLimits(max_unpacked_mb=20))
    messages = {Path(e.source).name: e.message for e in report.errors}
    assert "encrypted PDF" in messages["locked.pdf"]
    assert "no text layer" in messages["scan.pdf"] and "OCR" in messages["scan.pdf"]
    assert "not a readable PDF" in messages["corrupt.pdf"]
    assert "zip bomb" in messages["bomb.docx"]
    assert "over the 50 MB limit" in messages["huge.pdf"]
    assert "unsupported file type '.xlsx'" in messages["sheet.xlsx"]
    assert "same content as the indexed document 'lakeside-declaration-on-frontier-ai-safety'" in \
        messages["renamed-copy.pdf"]
    assert len(messages) == 7 and report.writes == 0
    assert _ids(library) == before


def test_a_file_that_went_bad_keeps_its_indexed_document(library: IndexConfig, tmp_path: Path,
                                                         declaration_pdf: Path):
    before = _ids(library)
    damaged = tmp_path / "lakeside-declaration.pdf"
    damaged.write_bytes(declaration_pdf.read_bytes()[:200])
    ingest([damaged], library, progress=False)  # another path: nothing of it is indexed, nothing is deleted
    copy = tmp_path / "copy" / "decl.pdf"
    copy.parent.mkdir()
    shutil.copy(declaration_pdf, copy)
    assert not ingest([copy], IndexConfig(data_dir=tmp_path / "other"), progress=False).errors
    report = ingest([declaration_pdf.parent], library, progress=False, overrides=LAKESIDE)
    assert report.unchanged == 1 and report.writes == 0 and _ids(library) == before


def test_a_title_flag_names_one_document(library: IndexConfig, tmp_path: Path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / "two" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "two" / name).write_text(f"Text of {name}.", encoding="utf-8")
    before = _ids(library)
    with pytest.raises(ValueError, match="--title names one document"):
        ingest([tmp_path / "two"], library, progress=False, overrides={"title": "One title"})
    assert _ids(library) == before
