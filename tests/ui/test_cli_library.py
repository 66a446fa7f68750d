"""`govrag ingest FILE --issuer … --date …`, `govrag ask … --json` citing the file's page, and `govrag docs
list|show|remove`, as a user runs them (subprocesses, a real index, the bundled models)."""
import json
from pathlib import Path

import pytest

from tests.conftest import corpus_records, govrag, write_jsonl

QUESTION = "How soon must laboratories report a serious incident under the Lakeside Declaration?"


@pytest.mark.slow
def test_own_pdf_ingested_cited_with_its_page_listed_and_removed(tmp_path: Path, declaration_pdf: Path):
    data = tmp_path / "data"
    write_jsonl(tmp_path / "corpus" / "seed.jsonl", corpus_records("seed-principles.jsonl"))
    assert govrag("ingest", str(tmp_path / "corpus"), "--quiet", data_dir=data).returncode == 0
    done = govrag("ingest", str(declaration_pdf), "--issuer", "Lakeside AI Safety Summit", "--date", "2025-03-14",
                  "--quiet", data_dir=data)
    assert done.returncode == 0, done.stderr
    assert "added 1" in done.stdout
    assert ("lakeside-declaration-on-frontier-ai-safety: “Lakeside Declaration on Frontier AI Safety” (issuer: "
            "Lakeside AI Safety Summit, date: 2025-03-14, 6 sections, 3 pages)") in done.stdout

    asked = govrag("ask", QUESTION, "--json", data_dir=data)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    cited = {c["n"]: c for c in answer["citations"]}
    incident = [c for c in cited.values() if "seventy-two hours" in c["quote"]]
    assert incident and incident[0]["page"] == 2
    assert incident[0]["title"] == "Lakeside Declaration on Frontier AI Safety"
    assert incident[0]["issuer"] == "Lakeside AI Safety Summit" and incident[0]["date"] == "2025-03-14"
    assert "2025-03-14, p. 2" in answer["answer"] or "(p. 2)" in answer["answer"]
    assert answer["verdict"] in ("supported", "partly_supported")

    listed = json.loads(govrag("docs", "list", "--json", data_dir=data).stdout)
    lakeside = [d for d in listed if d["title"].startswith("Lakeside")]
    assert len(listed) == 6 and lakeside[0]["pages"] == 3 and lakeside[0]["principles"] == 5
    shown = govrag("docs", "show", "Lakeside", data_dir=data).stdout
    assert "## Chapter II Testing and incidents › Article 4 Incident reporting (p. 2)" in shown

    removed = govrag("docs", "remove", lakeside[0]["doc_id"], data_dir=data)
    assert removed.returncode == 0 and "removed lakeside-declaration-on-frontier-ai-safety" in removed.stdout
    assert len(json.loads(govrag("docs", "list", "--json", data_dir=data).stdout)) == 5
    again = govrag("docs", "remove", lakeside[0]["doc_id"], data_dir=data)
    assert again.returncode == 2 and "no indexed document" in again.stderr


def test_bad_file_from_the_command_line(tmp_path: Path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    done = govrag("ingest", str(path), "--quiet", data_dir=tmp_path / "data")
    assert done.returncode == 1 and "scan.pdf: not a readable PDF" in done.stdout
