"""Retrieve → prompt → generate → cite: the one answer API that `ui` and `eval` consume."""
