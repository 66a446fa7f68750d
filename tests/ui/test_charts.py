"""ui/charts.py: the Library tab's figures show what the documents hold (bars, cells), or say that nothing is."""
from ingest.library import IndexedDocument, Passage
from ui.charts import coverage_chart, region_chart, year_chart
from ui.library_stats import coverage


def _docs() -> list[IndexedDocument]:
    return [IndexedDocument(f"d{i}", title=f"D{i}", date=f"{2019 + i % 3}", region="Oceania" if i % 2 else "Africa",
                            institution_type="Academic",
                            passages=[Passage(f"n{i}", "Privacy", "text", 0, 0)]) for i in range(6)]


def test_bars_and_cells():
    years = year_chart(_docs()).axes[0]
    assert [round(p.get_height()) for p in years.patches] == [2, 2, 2]
    assert "6 of 6 dated" in years.get_title()
    regions = region_chart(_docs()).axes[0]
    assert sorted(round(p.get_width()) for p in regions.patches) == [3, 3]
    cells = coverage_chart(coverage(_docs(), "institution_type"), "institution type").axes[0]
    assert [t.get_text() for t in cells.texts] == ["100%"]  # one group (Academic) × one theme (Privacy)


def test_nothing_to_show_is_said():
    empty = year_chart([]).axes[0]
    assert [t.get_text() for t in empty.texts] == ["No dated documents shown"]
    assert "No region stated" in region_chart([IndexedDocument("x")]).axes[0].texts[0].get_text()
