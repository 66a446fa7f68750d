"""ingest/structure.py: sections from headings (the format's, and the family of textual forms a document uses
most), with the guards against what is not a heading, and pages through joining."""
from ingest.readers import Block
from ingest.structure import heading_family, page_at, split_sections


def _pdf(*lines: str, page: int = 1) -> list[Block]:
    return [Block(line, page=page, wrapped=True) for line in lines]


def _sections(blocks: list[Block]) -> list[tuple[str, str]]:
    return [(s.heading, s.text) for s in split_sections(blocks)]


def test_articles_under_chapters_with_titles_cross_references_and_contents():
    """Contents lines stay lead text (never headings: each would be a section of nothing)."""
    blocks = _pdf("Contents", "Article 1 Scope ........ 2", "Article 2 Duties ........ 3",
                  "The parties agree as follows.", "CHAPTER I", "General provisions",
                  "Article 1", "Scope", "This act covers every public body.",
                  "Article 2 — Duties", "Bodies shall keep a register of systems, as",
                  "Article 1 of this act provides, and publish it.",
                  "Article 2 of this act applies to agencies too.",
                  "Chapter II Oversight", "Article 3: Audits", "Audits happen yearly.")
    assert heading_family(blocks) == "article"
    assert _sections(blocks) == [
        ("", "Contents Article 1 Scope ........ 2 Article 2 Duties ........ 3 The parties agree as follows."),
        ("CHAPTER I General provisions › Article 1 Scope", "This act covers every public body."),
        ("CHAPTER I General provisions › Article 2 — Duties",
         "Bodies shall keep a register of systems, as Article 1 of this act provides, and publish it. "
         "Article 2 of this act applies to agencies too."),  # references, not headings
        ("Chapter II Oversight › Article 3: Audits", "Audits happen yearly.")]


def test_numbered_sections_nest_and_numbered_paragraphs_keep_their_sentence():
    blocks = [Block(t) for t in ("1. Purpose", "Why the guide exists.", "1.1 Scope",
                                 "It covers procurement.", "2. Principles",
                                 "12. The parties agree that every system shall be documented before use.")]
    assert heading_family(blocks) == "numbered"
    assert _sections(blocks) == [
        ("1. Purpose", "Why the guide exists."), ("1. Purpose › 1.1 Scope", "It covers procurement."),
        ("12.", "The parties agree that every system shall be documented before use.")]  # 12 is a sibling of 2


def test_a_wrapped_line_that_starts_with_a_number_is_not_a_heading():
    blocks = _pdf("1. Reach", "The accord was signed by", "20 Member States and three observers.",
                  "2. Review", "It is reviewed yearly.")
    assert _sections(blocks) == [("1. Reach", "The accord was signed by 20 Member States and three observers."),
                                 ("2. Review", "It is reviewed yearly.")]


def test_chinese_articles():
    blocks = [Block(t) for t in ("总则", "第一条 为了促进人工智能健康发展，制定本办法。",
                                 "第二条 本办法适用于境内服务。")]
    assert heading_family(blocks) == "chinese"
    assert _sections(blocks) == [("", "总则"), ("第一条", "为了促进人工智能健康发展，制定本办法。"),
                                 ("第二条", "本办法适用于境内服务。")]  # a sentence after the marker is body


def test_format_headings_hold_detected_ones():
    blocks = [Block("Part A", level=1), Block("Principle 1 Human agency"), Block("People decide."),
              Block("Principle 2 Privacy"), Block("Data is minimised."), Block("Part B", level=1),
              Block("Closing words.")]
    assert _sections(blocks) == [("Part A › Principle 1 Human agency", "People decide."),
                                 ("Part A › Principle 2 Privacy", "Data is minimised."),
                                 ("Part B", "Closing words.")]


def test_joining_lines_hyphens_chinese_lists_and_pages():
    blocks = _pdf("Article 1 Duties", "Systems must be trans-", "parent and", "• logged;", page=1) + \
        _pdf("• reviewed.", "人工智能应当", "以人为本。", page=2)
    [section] = split_sections(blocks + _pdf("Article 2 End", "x.", page=2))[:1]
    assert section.text == ("Systems must be transparent and\n• logged;\n• reviewed. "
                            "人工智能应当以人为本。")
    start = section.text.index("• reviewed")
    assert section.pages == ((0, 1), (start, 2))
    assert page_at(section.pages, 0) == 1 and page_at(section.pages, start) == 2
    assert page_at((), 10) == 0
