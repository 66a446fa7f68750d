"""ui/library_stats.py: themes are the corpus's shared headings; any heading falls under the theme it names."""
from ingest.library import IndexedDocument, Passage
from ui.library_stats import UNKNOWN, Themes, coverage, per_value, per_year

THEMES = ["Justice/Equity/Fairness/Non-discrimination", "Open source/Fair Competition/Cooperation", "Privacy",
          "Transparency/Explainability/Auditability"]


def _doc(doc_id: str, headings: list[str], **fields: str) -> IndexedDocument:
    return IndexedDocument(doc_id, title=doc_id, passages=[Passage(f"{doc_id}-{i}", h, "text", 0, i)
                                                          for i, h in enumerate(headings)], **fields)


def _corpus() -> list[IndexedDocument]:
    """Five documents sharing each theme heading (so each is a theme), plus documents of one's own."""
    shared = [_doc(f"d{i}", THEMES, country="Narnia" if i < 3 else "Oz", institution_type="Academic",
                   date=f"{2018 + i % 2}-01-01") for i in range(5)]
    own = [_doc("mine", ["Article 2 Transparency of systems", "Article 3 Fair competition among vendors",
                         "Annex"], country="Narnia, Oz", institution_type="")]
    return shared + own


def test_headings_fall_under_the_theme_they_name():
    themes = Themes.of(_corpus())
    assert list(themes.names) == sorted(THEMES)
    assert themes.of_heading("Article 2 Transparency of systems") == THEMES[3]
    assert themes.of_heading("Principle 4: transparent systems") == THEMES[3]  # stemmed
    # "Fair Competition" names the Open source theme, not Fairness (the longer part wins)
    assert themes.of_heading("Article 3 Fair competition among vendors") == THEMES[1]
    assert themes.of_heading("Annex") is None and themes.of_heading("Privacy") == "Privacy"


def test_counts_and_coverage():
    documents = _corpus()
    assert per_year(documents) == {2018: 3, 2019: 2}
    assert per_value(documents, "country") == {"Narnia": 4, "Oz": 3}  # "Narnia, Oz" counts in both
    assert per_value(documents, "institution_type")[UNKNOWN] == 1
    table = coverage(documents, "country")
    assert table.groups == ["Narnia", "Oz"] and table.sizes == [4, 3]
    privacy = table.themes.index("Privacy")
    assert table.share[0][privacy] == 3 / 4 and table.share[1][privacy] == 2 / 3  # "mine" has no privacy heading
    transparency = table.themes.index(THEMES[3])
    assert table.share[0][transparency] == 1.0
