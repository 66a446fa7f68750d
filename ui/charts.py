"""The Library tab's charts, drawn with matplotlib (already a dependency; gr.Plot shows its figures in the page).
Figures are made with matplotlib.figure.Figure, not pyplot: no global figure registry, nothing shared between
users, each figure freed with its last reference."""
from __future__ import annotations

from matplotlib.figure import Figure

from ingest.library import IndexedDocument
from ui.library_stats import UNKNOWN, Coverage, per_value, per_year

_BAR = "#2f6db5"


def _nothing(axes, what: str) -> None:  # noqa: ANN001
    axes.text(0.5, 0.5, what, ha="center", va="center")
    axes.set_axis_off()


def year_chart(documents: list[IndexedDocument]) -> Figure:
    counts = per_year(documents)
    figure = Figure(figsize=(7, 3.2), layout="constrained")
    axes = figure.subplots()
    if not counts:
        _nothing(axes, "No dated documents shown")
        return figure
    axes.bar([str(y) for y in counts], list(counts.values()), color=_BAR)
    axes.set_title(f"Documents per year ({sum(counts.values())} of {len(documents)} dated)")
    axes.set_ylabel("documents")
    axes.tick_params(axis="x", labelrotation=60, labelsize=8)
    return figure


def region_chart(documents: list[IndexedDocument], top: int = 15) -> Figure:
    counts = [(r, n) for r, n in per_value(documents, "region").most_common() if r != UNKNOWN][:top]
    figure = Figure(figsize=(7, 0.3 * len(counts) + 1.2), layout="constrained")
    axes = figure.subplots()
    if not counts:
        _nothing(axes, "No region stated for the documents shown")
        return figure
    axes.barh([r for r, _ in counts][::-1], [n for _, n in counts][::-1], color=_BAR)
    axes.set_title("Documents per region (several regions: counted in each)", fontsize=10)
    axes.set_xlabel("documents")
    axes.tick_params(axis="y", labelsize=8)
    return figure


def coverage_chart(coverage: Coverage, what: str) -> Figure:
    figure = Figure(figsize=(11, 0.42 * len(coverage.groups) + 2.6), layout="constrained")
    axes = figure.subplots()
    if not coverage.groups or not coverage.themes:
        _nothing(axes, f"No {what} stated, or no themes, in the documents shown")
        return figure
    image = axes.imshow(coverage.share, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    axes.set_xticks(range(len(coverage.themes)), [t.split("/")[0] for t in coverage.themes], rotation=50,
                    ha="right", fontsize=8)
    axes.set_yticks(range(len(coverage.groups)), [f"{g[:40]} ({n})" for g, n in zip(coverage.groups, coverage.sizes)],
                    fontsize=8)
    for row, shares in enumerate(coverage.share):
        for column, share in enumerate(shares):
            axes.text(column, row, f"{share:.0%}", ha="center", va="center", fontsize=6.5,
                      color="white" if share > 0.6 else "black")
    axes.set_title(f"Share of each {what}'s documents with a principle on each theme")
    figure.colorbar(image, ax=axes, fraction=0.02, format=lambda x, _: f"{x:.0%}")
    return figure
