"""No network at run time: every model comes from local disk and no library phones home. Set by every entry
point (the CLI, the tests, the benchmarks) before a library that reads these variables is imported."""
from __future__ import annotations

import os


def offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # Chroma's
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
