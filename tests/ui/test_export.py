"""An exported answer is a Markdown document a reader can check: question, answer, verdict, references."""
from datetime import datetime, timezone

from rag.answer import EVIDENCE_HEADING
from rag.types import AnswerResult, Citation, Evidence, EvidenceGroup, Source, SynthesisSentence
from ui.export import answer_to_markdown, export_file, prune_exports

CITATION = Citation(n=2, doc_id="oecd", title="OECD Principles on Artificial Intelligence",
                    issuer="OECD", date="2019-05-22", url="https://oecd.ai/en/ai-principles",
                    quote="AI should benefit people and the planet.", score=0.8)


SOURCE = Source(n=2, node_id="n", doc_id="oecd", title=CITATION.title, issuer="OECD", date="2019-05-22",
                url=CITATION.url, country="", language="en", heading="", text=CITATION.quote, score=0.8,
                quote=CITATION.quote, quote_span=(0, len(CITATION.quote)))


def _result(**extra) -> AnswerResult:
    return AnswerResult("What does the G20 say about inclusive growth?", [SOURCE], extra.pop("verdict", "supported"),
                        synthesis=(SynthesisSentence("AI should benefit people.", 2, 1.0),),
                        evidence=(EvidenceGroup(EVIDENCE_HEADING, (Evidence(2, CITATION.quote, (0, 41)),)),),
                        citations=[CITATION], **extra)


def test_markdown_has_question_answer_verdict_and_a_reference_per_citation():
    md = answer_to_markdown(_result(asked="and the G20?"), now=datetime(2026, 11, 27, 8, 0, tzinfo=timezone.utc))
    assert md.startswith("# govrag answer\n\n**Question:** and the G20?\n**Read as:** What does the G20 say")
    assert "AI should benefit people. [2]" in md and "**Verdict:** supported by the cited sources" in md
    assert ("[2] OECD Principles on Artificial Intelligence. OECD, 2019-05-22. <https://oecd.ai/en/ai-principles>"
            in md)
    assert "Quote: “AI should benefit people and the planet.”" in md and "2026-11-27 08:00 UTC" in md


def test_removed_sentences_and_notices_are_exported_too():
    md = answer_to_markdown(_result(verdict="partly_supported", unsupported=("Invented claim.",),
                                    notice="The model failed."))
    assert "partly supported" in md and "- Invented claim." in md and "**Notice:** The model failed." in md


def test_export_file_is_named_after_the_question(tmp_path):
    path = export_file(_result(asked="and the G20?"), tmp_path, turn=2)
    assert path.name == "govrag-002-and-the-g20.md" and path.read_text(encoding="utf-8").startswith("# govrag")


def test_exports_older_than_the_keep_time_are_removed(tmp_path):
    import os
    import time

    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        folder.mkdir()
        export_file(_result(), folder, turn=1)
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    assert prune_exports(tmp_path, keep_s=3600) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new"]
