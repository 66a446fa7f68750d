"""Corpus → Chroma: load document records, cut them into principle-sized nodes, embed, upsert."""
