"""The chat Markdown and the sources HTML: corpus text is shown as text, only govrag's own marks are links."""
from dataclasses import replace

from rag.answer import EVIDENCE_HEADING
from rag.types import AnswerResult, Citation, Evidence, EvidenceGroup, Source, SynthesisSentence
from ui.render import answer_markdown, highlighted_passage, source_card, sources_html, turn_section

SCRIPT = '<script>window.pwned = 1</script><img src=x onerror="window.pwned=2"> **bold** [2]'


def _source(n: int = 2, text: str = "First sentence. " + SCRIPT + " Last sentence.", quote: str = SCRIPT,
            url: str = "https://example.org/doc") -> Source:
    return Source(n=n, node_id=f"node-{n}", doc_id="doc", title="Title <b>x</b>", issuer="Issuer & Co",
                  date="2020", url=url, country="France", language="en", heading="H", text=text, score=0.71,
                  quote=quote)


def test_corpus_html_in_a_source_card_is_escaped():
    card = source_card(_source(), "govrag-src-1-2", cited=True)
    assert "<script" not in card and "<img" not in card and "<b>x" not in card
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in card and "onerror=&quot;" in card
    assert 'id="govrag-src-1-2"' in card and "✓ cited" in card and "Issuer &amp; Co" in card


def test_quote_is_highlighted_at_its_span_even_across_line_breaks():
    text = "Intro words.\nAI must respect\n  human rights. Closing words."
    source = _source(text=text, quote="AI must respect\n  human rights.")
    source = replace(source, quote_span=(13, 13 + len(source.quote)))
    assert highlighted_passage(source) == ("Intro words.\n<mark>AI must respect\n  human rights.</mark> "
                                           "Closing words.")
    unplaced = _source(text="Unrelated passage.", quote="Not in the passage.")
    assert highlighted_passage(unplaced).startswith("<mark>Not in the passage.</mark>")


def test_unsafe_links_are_dropped():
    assert "href" not in source_card(_source(url="javascript:alert(1)"), "a", cited=False)
    assert 'href="https://example.org/doc"' in source_card(_source(), "a", cited=False)


def test_only_marks_govrag_wrote_become_links():
    source = _source(n=1, quote="Sentence citing its own footnote [2] and <script>x</script>.")
    result = AnswerResult("q", [source], "partly_supported",
                          synthesis=(SynthesisSentence("AI should respect rights [2].", 1, 0.9),),
                          evidence=(EvidenceGroup(EVIDENCE_HEADING, (Evidence(1, source.quote),)),),
                          citations=[Citation.of(source)], unsupported=("Made-up claim.",))
    md = answer_markdown(result, turn=3)
    assert md.count("](#govrag-src-3-1)") == 2  # the synthesis sentence's mark and the evidence line's mark
    assert "#govrag-src-3-2" not in md and "footnote \\[2\\]" in md  # a mark inside a quote stays text
    assert "rights \\[2\\]." in md  # so does one the model wrote inside its sentence
    assert "<script>" not in md and "&lt;script&gt;" in md and "Title &lt;b&gt;x&lt;/b&gt;" in md
    assert "~~Made-up claim.~~" in md and "Partly supported: 1 sentence" in md


def test_follow_up_refusal_and_notice_are_shown():
    refused = AnswerResult("What does the G20 say about Mars?", [], "refused", lead="Not covered.",
                           asked="and about Mars?")
    md = answer_markdown(refused, turn=1)
    assert "Follow-up read as: “What does the G20 say about Mars?”" in md and "Not covered by the corpus" in md
    noted = AnswerResult("q", [_source(1)], "quotes_only",
                         evidence=(EvidenceGroup(EVIDENCE_HEADING, (Evidence(1, "q"),)),), notice="The model failed.")
    md = answer_markdown(noted, turn=1)
    assert "⚠ The model failed." in md and "Quotes only" in md and "Supported" not in md


def test_a_decline_comes_first_and_its_related_passages_follow_uncited():
    declined = AnswerResult("What does the EU AI Act require?", [_source(1)], "not_indexed",
                            lead="The EU AI Act is not among the 205 indexed documents.",
                            evidence=(EvidenceGroup("Related passages:", (Evidence(1, "A quote."),)),))
    md = answer_markdown(declined, turn=1)
    assert md.startswith("**✗ Not in the corpus.** The EU AI Act is not among the 205 indexed documents.")
    assert md.index("Related passages") > md.index("not among") and "“A quote.”" in md
    listed = AnswerResult("Which documents?", [_source(1)], "quotes_only", documents=(1,))
    assert "Documents \\(issuer, country, date\\): Title" in answer_markdown(listed, turn=1)
    assert "(#govrag-src-1-1)" in answer_markdown(listed, turn=1)


def test_a_compared_document_without_quotes_says_so():
    side = EvidenceGroup("OECD (OECD, 2019):", (Evidence(1, "Quote one."),), one_document=True)
    empty = EvidenceGroup("Beijing AI Principles:", (), empty="nothing in this document is close enough to quote.")
    md = answer_markdown(AnswerResult("Compare", [_source(1)], "supported", evidence=(side, empty)), turn=2)
    assert "- [\\[1\\]](#govrag-src-2-1) “Quote one.”" in md and "Title" not in md
    assert "Beijing AI Principles: nothing in this document is close enough to quote." in md


def test_only_the_newest_turn_is_shown_but_every_turn_is_kept():
    panel = sources_html([turn_section(1, "first", [_source(1)], {1}), turn_section(2, "second", [_source(1)], set())])
    assert panel.count('class="govrag-turn"') == 1 and panel.count('class="govrag-turn current"') == 1
    assert panel.index('data-turn="1"') < panel.index('class="govrag-turn current" data-turn="2"')
    assert 'id="govrag-src-1-1"' in panel and 'id="govrag-src-2-1"' in panel
