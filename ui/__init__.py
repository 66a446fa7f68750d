"""Interfaces over the answer API: the `govrag` CLI (the composition root) and the Gradio chat."""
