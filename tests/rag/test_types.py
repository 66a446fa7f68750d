"""The answer is a value: it survives JSON unchanged, reading JSON changes nothing, and it cannot be edited
in place by one of its readers."""
import copy
import dataclasses
import json

import pytest

from rag.types import AnswerResult, Citation, Evidence, EvidenceGroup, Source, SynthesisSentence


def _answer(toronto: Source) -> AnswerResult:
    quoted = dataclasses.replace(toronto, quote=toronto.text[:33], quote_span=(0, 33))
    return AnswerResult(
        "What does the Toronto Declaration say about training?", [quoted], "partly_supported", documents=(1,),
        synthesis=(SynthesisSentence("Officials should be trained in human rights.", 1, 0.83),),
        evidence=(EvidenceGroup("What the sources say:", (Evidence(1, quoted.quote, (0, 33)),)),
                  EvidenceGroup("Other:", (), empty="nothing to quote.", one_document=True)),
        citations=[Citation.of(quoted)], unsupported=("An invented claim.",), notice="A notice.",
        timings_ms={"total": 12.5}, asked="and training?")


def test_json_round_trip_keeps_every_part(toronto):
    answer = _answer(toronto)
    raw = json.loads(json.dumps(answer.to_json()))
    kept = copy.deepcopy(raw)
    back = AnswerResult.from_json(raw)
    assert back == answer and raw == kept  # nothing lost, and reading did not change the record
    assert raw["answer"] == answer.answer and raw["model_sentences"] == 1 and raw["refused"] is False
    assert raw["parts"]["evidence"][0]["items"][0] == {"source": 1, "quote": answer.sources[0].quote, "span": [0, 33]}
    assert raw["parts"]["documents"] == [1] and raw["answer"].startswith("Documents (issuer, country, date): "
                                                                         "The Toronto Declaration (")


@pytest.mark.parametrize("verdict, declines", [("refused", True), ("not_indexed", True), ("not_stated", True),
                                               ("supported", False), ("quotes_only", False)])
def test_every_declining_verdict_counts_as_refused(toronto, verdict, declines):
    assert AnswerResult("q", [toronto], verdict).refused is declines


def test_a_source_written_before_quote_spans_reads_without_one(toronto):
    raw = toronto.public()
    del raw["quote_span"]
    assert Source.from_json(raw) == toronto


def test_an_answer_cannot_be_changed_in_place(toronto):
    answer = _answer(toronto)
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.verdict = "supported"
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.sources[0].n = 7


def test_an_answer_citing_a_source_it_does_not_carry_cannot_be_built(toronto):
    with pytest.raises(ValueError, match=r"cites source\(s\) \[7\] but carries only \[1\]"):
        AnswerResult("q", [toronto], "supported", evidence=(EvidenceGroup("h", (Evidence(7, "x"),)),))
    with pytest.raises(ValueError, match="unknown verdict 'fine'"):
        AnswerResult("q", [toronto], "fine")
