"""ingest/document_files.py: provenance from the file, then FILE.meta.toml, then the flags; text files split
by their headings; Chinese documents recognised."""
from pathlib import Path

import pytest

from ingest.loaders import load_corpus
from tests.real_files import write_docx


def _docx(tmp_path: Path) -> Path:
    return write_docx(tmp_path / "charter.docx", "Harbour Charter", "Clerk's Office", [
        ("Heading 1", "Fairness"), ("", "Services must not discriminate.")])


def test_flags_over_sidecar_over_file_properties(tmp_path: Path):
    path = _docx(tmp_path)
    [record] = load_corpus([path]).records
    assert (record.title, record.issuer, record.date, record.doc_id) == ("Harbour Charter", "Clerk's Office", "",
                                                                         "harbour-charter")
    (tmp_path / "charter.docx.meta.toml").write_text(
        'issuer = "Harbour City Council"\ndate = 2021-06-30\ncountry = "Narnia"\n', encoding="utf-8")
    [record] = load_corpus([path]).records
    assert (record.issuer, record.date, record.country) == ("Harbour City Council", "2021-06-30", "Narnia")
    [record] = load_corpus([path], overrides={"issuer": "Port Authority", "title": "Harbour AI Charter"}).records
    assert (record.title, record.issuer, record.country, record.doc_id) == (
        "Harbour AI Charter", "Port Authority", "Narnia", "harbour-ai-charter")
    assert [(p.heading, p.text) for p in record.principles] == [("Fairness", "Services must not discriminate.")]
    assert len(record.content_sha) == 64


def test_bad_sidecar_and_bad_override(tmp_path: Path):
    path = _docx(tmp_path)
    (tmp_path / "charter.docx.meta.toml").write_text('publisher = "X"\n', encoding="utf-8")
    result = load_corpus([path])
    assert not result.records and "unknown key(s) publisher" in str(result.errors[0])
    (tmp_path / "charter.docx.meta.toml").write_text('issuer = "unclosed\n', encoding="utf-8")
    assert "invalid TOML" in str(load_corpus([path]).errors[0])
    with pytest.raises(ValueError, match="cannot override colour"):
        load_corpus([path], overrides={"colour": "red"})


def test_text_file_split_by_its_articles_and_chinese_recognised(tmp_path: Path):
    (tmp_path / "accord.txt").write_text(
        "Preamble text.\n\nArticle 1 Aim\nTo be safe.\n\nArticle 2 Means\nBy testing.\n", encoding="utf-8")
    (tmp_path / "准则.txt").write_text("第一条 人工智能应当以人为本。\n第二条 人工智能应当安全可控。\n",
                                     encoding="utf-8")
    records = {r.source_file.rsplit("/", 1)[1]: r for r in load_corpus([tmp_path]).records}
    assert [(p.heading, p.text) for p in records["accord.txt"].principles] == [
        ("", "Preamble text."), ("Article 1 Aim", "To be safe."), ("Article 2 Means", "By testing.")]
    chinese = records["准则.txt"]
    assert chinese.language == "zh" and [p.heading for p in chinese.principles] == ["第一条", "第二条"]


def test_same_content_under_two_names_in_one_run(tmp_path: Path, declaration_pdf: Path):
    (tmp_path / "a.pdf").write_bytes(declaration_pdf.read_bytes())
    (tmp_path / "b.pdf").write_bytes(declaration_pdf.read_bytes())
    result = load_corpus([tmp_path], overrides={"issuer": "Lakeside Summit"})
    assert [Path(r.source_file).name for r in result.records] == ["a.pdf"]
    [error] = result.errors
    assert error.source.endswith("b.pdf") and "same content as" in error.message and "a.pdf" in error.message


def test_provenance_flags_do_not_apply_to_json_lines(tmp_path: Path):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"title": "One", "text": "Be good."}\n', encoding="utf-8")
    result = load_corpus([path], overrides={"issuer": "Someone"})
    assert not result.records and "--issuer cannot apply to a JSON Lines file" in str(result.errors[0])
