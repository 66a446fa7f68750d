"""The deterministic support judge, on real corpus sentences."""
from rag.judge import judge, misattributed, supports_together
from rag.types import Source


def test_judge_accepts_faithful_paraphrase_and_rejects_invented_details(toronto):
    faithful = "Public bodies should carry out training in human rights and data analysis for officials."
    assert judge(faithful, toronto) >= 0.8
    invented_date = "The Toronto Declaration, signed on October 22, 2018, asks for training in human rights."
    invented_name = "The Canadian government must train officials in human rights and data analysis."
    assert judge(invented_date, toronto) == 0.0
    assert judge(invented_name, toronto) == 0.0
    assert judge("Amnesty International's declaration asks for training in human rights and data analysis.",
                 toronto) >= 0.8  # a possessive is still the named issuer
    assert judge("Lethal autonomous weapons should be banned by treaty immediately.", toronto) < 0.5
    assert judge("Public bodies should not carry out training in human rights for officials.", toronto) == 0.0


def test_a_sentence_attributed_to_someone_else_is_not_supported():
    text = ("AI should be designed within explicit operational requirements and undergo exhaustive testing to "
            "ensure that it responds safely to unanticipated situations and does not evolve in unexpected ways.")
    cigi = Source(1, "n", "d", "Toward a G20 Framework for Artificial Intelligence in the Workplace",
                  "Centre for International Governance Innovation (CIGI)", "2018", "", "Canada", "en", "", text, 0.7)
    claim = "The G20 says that AI should undergo exhaustive testing to ensure it does not evolve in unexpected ways."
    assert misattributed(claim, cigi) and judge(claim, cigi) == 0.0
    plain = "AI should undergo exhaustive testing to ensure it does not evolve in unexpected ways."
    assert judge(plain, cigi) >= 0.8  # the same words, not put in the G20's mouth, are supported
    g20 = Source(1, "n", "d", "G20 AI Principles", "G20 Ministerial Meeting on Trade and Digital Economy", "2019",
                 "", "G20", "en", "", text, 0.7)
    assert not misattributed(claim, g20) and not misattributed("Governments call for testing.", cigi)


def test_two_sources_together_support_what_neither_supports_alone(toronto, asilomar):
    both = ("Public bodies should carry out training in human rights for officials, and an arms race in lethal "
            "autonomous weapons should be avoided.")
    assert not supports_together(both, [toronto], 0.8) and not supports_together(both, [asilomar], 0.8)
    assert supports_together(both, [toronto, asilomar], 0.8)
    assert not supports_together(both, [], 0.8)
