"""The `govrag` command as a user runs it (subprocesses, real index, real models)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, corpus_records, govrag, write_jsonl




def test_ingest_twice_reports_zero_writes_and_names_bad_lines(tmp_path: Path):
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "seed.jsonl", corpus_records("seed-principles.jsonl"))
    first = govrag("ingest", str(corpus), "--quiet", data_dir=tmp_path / "data")
    assert first.returncode == 0, first.stderr
    assert "5 documents" in first.stdout and "added 5, updated 0, deleted 0, unchanged 0" in first.stdout
    second = govrag("ingest", str(corpus), data_dir=tmp_path / "data")
    assert "added 0, updated 0, deleted 0, unchanged 5" in second.stdout
    assert "nothing written" in second.stdout
    (corpus / "bad.jsonl").write_text('{"title": "x"\n', encoding="utf-8")
    third = govrag("ingest", str(corpus), "--quiet", data_dir=tmp_path / "data")
    assert third.returncode == 1 and "bad.jsonl:1: invalid JSON" in third.stdout


def test_no_index_yet_tells_the_user_to_ingest(tmp_path: Path):
    result = govrag("search", "anything", data_dir=tmp_path / "empty")
    assert result.returncode == 2 and "govrag ingest" in result.stderr


def test_search_json_ranks_sources(full_index):
    result = govrag("search", "How should AI protect children?", "--json", "--top-k", "3", data_dir=full_index.data_dir)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert len(out["sources"]) == 3
    assert [s["n"] for s in out["sources"]] == [1, 2, 3]
    assert "children" in out["sources"][0]["title"].lower()


@pytest.mark.slow
def test_ask_batch_loads_once_and_keeps_ids(full_index, tmp_path: Path):
    batch = write_jsonl(tmp_path / "qs.jsonl", [
        {"id": "un", "question": "Which documents call for an international AI governance institution under the United Nations?"},
        {"id": "off", "question": "How do I bake sourdough bread at home?"}])
    result = govrag("ask", "--batch", str(batch), "--json", data_dir=full_index.data_dir)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["un", "off"]
    un, off = lines
    assert {"question", "answer", "citations", "sources", "refused", "timings_ms"} <= un.keys()
    assert {"Global AI Governance Initiative", "2024 China-Africa Internet Development and Cooperation Forum Chair's "
            "Statement on China-Africa AI Cooperation"} & {c["title"] for c in un["citations"]}
    assert off["refused"] is True and off["citations"] == []


@pytest.mark.slow
def test_follow_ups_from_the_command_line(full_index, tmp_path: Path):
    first = govrag("ask", "What does the Toronto Declaration say about discrimination?", "--json",
                   data_dir=full_index.data_dir)
    assert first.returncode == 0, first.stderr
    (tmp_path / "first.json").write_text(first.stdout, encoding="utf-8")
    follow = govrag("ask", "Does it set out fines?", "--previous", str(tmp_path / "first.json"), "--json",
                    data_dir=full_index.data_dir)
    out = json.loads(follow.stdout)
    assert out["verdict"] == "not_stated" and out["within"] == ["The Toronto Declaration"], follow.stderr
    batch = write_jsonl(tmp_path / "conversation.jsonl", [
        {"id": 1, "conversation": "c", "question": "What does the Toronto Declaration say about discrimination?"},
        {"id": 2, "conversation": "c", "question": "What does it say about accountability of states?"},
        {"id": 3, "question": "What does it say about accountability of states?"}])  # no conversation: standalone
    lines = [json.loads(line) for line in govrag("ask", "--batch", str(batch), "--json",
                                                 data_dir=full_index.data_dir).stdout.splitlines()]
    assert lines[1]["within"] == ["The Toronto Declaration"] and lines[2]["within"] == []
    chat = subprocess.run([sys.executable, "-m", "ui.cli", "chat"], input="What does the Toronto Declaration say "
                          "about discrimination?\nDoes it set out fines?\n", capture_output=True, text=True,
                          env={**os.environ, "GOVRAG_DATA_DIR": str(full_index.data_dir)}, timeout=600, cwd=ROOT)
    assert chat.returncode == 0, chat.stderr
    assert "(Searching within: The Toronto Declaration)" in chat.stdout
    assert "The Toronto Declaration does not mention “fines”" in chat.stdout
    bad = govrag("ask", "Does it set out fines?", "--previous", str(batch), data_dir=full_index.data_dir)
    assert bad.returncode == 2 and "conversation.jsonl: not JSON" in bad.stderr


@pytest.mark.slow
def test_ask_prints_the_cited_quotes_first_then_the_summary(full_index):
    question = "What do the Asilomar AI Principles say about an arms race in lethal autonomous weapons?"
    streamed = govrag("ask", question, "--json", "--stream", data_dir=full_index.data_dir)
    assert streamed.returncode == 0, streamed.stderr
    quotes, final = (json.loads(line) for line in streamed.stdout.splitlines())
    assert (quotes["stage"], final["stage"]) == ("quotes", "final") and quotes["citations"] == final["citations"]
    assert quotes["timings_ms"]["quotes"] <= final["timings_ms"]["total"]
    text = govrag("ask", question, data_dir=full_index.data_dir).stdout
    quoted, summary = text.split("the model's summary follows…)")
    assert "What the sources say:" in quoted and "Asilomar AI Principles" in quoted and "[1]" in quoted
    assert final["parts"]["synthesis"] and final["parts"]["synthesis"][0]["text"].rstrip() in summary


def test_filters_and_related_from_the_command_line(full_index):
    found = govrag("search", "international cooperation", "--doc", "OECD Principles on Artificial Intelligence",
                   "--year", "2019", "--json", "--top-k", "1", data_dir=full_index.data_dir)
    assert found.returncode == 0, found.stderr
    source = json.loads(found.stdout)["sources"][0]
    assert source["title"] == "OECD Principles on Artificial Intelligence"
    related = govrag("related", source["node_id"], "--top-k", "3", "--json", data_dir=full_index.data_dir)
    out = json.loads(related.stdout)
    assert out["related"][0]["title"] == "G20 AI Principles"
    assert all(r["doc_id"] != source["doc_id"] for r in out["related"])
    bad = govrag("search", "privacy", "--country", "Atlantis", data_dir=full_index.data_dir)
    assert bad.returncode == 2 and "country matching 'Atlantis'" in bad.stderr
