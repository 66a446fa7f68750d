"""Interfaces over the answer API: the `govrag` CLI (the composition root) and the Gradio chat."""
import os

# Gradio's telemetry and version check read this when gradio is imported, which only ui modules do.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
