from pathlib import Path

from ingest.loaders import load_corpus
from tests.conftest import CORPUS, write_jsonl


def test_default_corpus_loads_completely():
    result = load_corpus([CORPUS])
    assert not result.errors
    titles = {r.title for r in result.records}
    assert len(result.records) == 205
    assert {"Global AI Governance Initiative", "G20 AI Principles", "OECD Principles on Artificial Intelligence",
            "UNESCO Recommendation on the Ethics of Artificial Intelligence"} <= titles
    gaigi = next(r for r in result.records if r.title == "Global AI Governance Initiative")
    assert gaigi.date == "2023-10-18" and gaigi.issuer == "Cyberspace Administration of China"
    assert [p.language for p in gaigi.principles] == ["zh", "en"]
    assert "联合国框架下" in gaigi.principles[0].text
    assert not any(f.endswith("README.md") for f in result.files)  # corpus docs, not the folder's README


def test_markdown_with_front_matter_and_plain_text(tmp_path: Path):
    (tmp_path / "charter.md").write_text(
        "---\ntitle: Test Charter\nissuer: Test Ministry\ndate: 2022-05-01\ncountry: Narnia\n---\n"
        "Intro paragraph about the charter.\n\n## Fairness\nSystems must not discriminate.\n\n"
        "## Safety\nSystems must be safe.\n", encoding="utf-8")
    (tmp_path / "open_letter_on_ai.txt").write_text("We ask for care.\n\nAnd for openness.", encoding="utf-8")
    result = load_corpus([tmp_path])
    assert not result.errors
    md = next(r for r in result.records if r.title == "Test Charter")
    assert (md.issuer, md.date, md.country) == ("Test Ministry", "2022-05-01", "Narnia")
    assert [p.heading for p in md.principles] == ["", "Fairness", "Safety"]
    txt = next(r for r in result.records if r.source_file.endswith(".txt"))
    assert txt.title == "open letter on ai" and "openness" in txt.principles[0].text


def test_bad_lines_and_files_are_reported_with_file_and_line(tmp_path: Path):
    good = {"title": "Good Doc", "issuer": "X", "date": "2020", "principles": [{"heading": "A", "text": "Be good."}]}
    path = write_jsonl(tmp_path / "docs.jsonl", [good])
    path.write_text(path.read_text() + '{"title": "broken", \n' + '{"title": "No principles"}\n'
                    + '{"title": "Bad date", "date": "May 2020", "text": "x"}\n', encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "gbk.txt").write_bytes("人工智能治理原则".encode("gbk"))
    (tmp_path / "nofront.md").write_text("# Just a heading\ntext", encoding="utf-8")
    result = load_corpus([tmp_path])
    assert [r.title for r in result.records] == ["Good Doc"]
    messages = sorted(str(e) for e in result.errors)
    assert any("docs.jsonl:2: invalid JSON" in m for m in messages)
    assert any("docs.jsonl:3:" in m and "principles" in m for m in messages)
    assert any("docs.jsonl:4:" in m and "YYYY" in m for m in messages)
    assert any("binary.txt" in m and "binary" in m for m in messages)
    assert any("gbk.txt" in m and "UTF-8" in m for m in messages)
    assert any("nofront.md:1" in m and "front matter" in m for m in messages)


def test_duplicate_doc_ids_keep_the_first(tmp_path: Path):
    doc = {"doc_id": "same", "title": "One", "text": "First text."}
    write_jsonl(tmp_path / "a.jsonl", [doc])
    write_jsonl(tmp_path / "b.jsonl", [{**doc, "title": "Two"}])
    result = load_corpus([tmp_path])
    assert [r.title for r in result.records] == ["One"]
    assert "doc_id 'same' already used" in str(result.errors[0])
