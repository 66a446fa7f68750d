"""The support judge against the hand-labelled statement/source pairs in eval/support_labels.jsonl.

The pairs were written from real corpus principles: faithful extracts and paraphrases (supported), and
sentences with invented dates, names, numbers, negations or claims (not supported). The threshold in
RagConfig.min_support was chosen on them: at 0.8 no unsupported sentence passes."""
from eval.judge_agreement import agreement
from rag.config import RagConfig


def test_judge_agrees_with_the_labels():
    result = agreement(RagConfig().min_support)
    assert result.pairs >= 50 and 0.3 < result.supported_share < 0.7
    assert result.false_support == ()  # a wrong citation is worse than a missing one
    assert result.accuracy >= 0.95 and result.kappa >= 0.9, result


def test_a_lower_threshold_lets_unsupported_sentences_through():
    assert agreement(0.3).false_support  # the test above can fail: the labels contain near misses
