"""The plain-text answer (CLI, JSON "answer") is rendered from the parts, in the documented layout."""
from rag.answer_text import answer_text
from rag.types import AnswerResult, Evidence, EvidenceGroup, SynthesisSentence


def test_synthesis_then_evidence_lines_with_attribution(toronto, asilomar):
    result = AnswerResult("q", [toronto, asilomar], "supported",
                          synthesis=(SynthesisSentence("Officials need training.", 1, 0.9),
                                     SynthesisSentence("Arms races should be avoided. ", 2, 0.9)),
                          evidence=(EvidenceGroup("What the sources say:", (Evidence(2, "An arms race."),
                                                                            Evidence(1, "States should.")),),))
    assert answer_text(result) == (
        "Officials need training. [1] Arms races should be avoided. [2]\n\n"
        "What the sources say:\n"
        "- [2] Asilomar AI Principles (Future of Life Institute, 2017): “An arms race.”\n"
        "- [1] The Toronto Declaration (Amnesty International, Access Now, 2018): “States should.”")


def test_a_refusal_is_its_lead_and_a_one_document_group_omits_titles(toronto):
    assert answer_text(AnswerResult("q", [toronto], "refused", lead="Not covered.")) == "Not covered."
    compared = AnswerResult("q", [toronto], "supported", evidence=(
        EvidenceGroup("The Toronto Declaration (2018):", (Evidence(1, "States should."),), one_document=True),
        EvidenceGroup("Asilomar AI Principles:", (), empty="nothing in this document is close enough to quote.")))
    assert answer_text(compared) == ("The Toronto Declaration (2018):\n- [1] “States should.”\n\n"
                                     "Asilomar AI Principles: nothing in this document is close enough to quote.")
