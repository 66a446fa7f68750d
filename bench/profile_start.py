"""Where `govrag ui`'s start-up time goes, for the cold-start row of bench/run.py: the same steps as
`govrag ui` (settings, index and models, the Blocks, launch), in a fresh process under pyinstrument.

    GOVRAG_DATA_DIR=<an ingested index> .venv/bin/python bench/profile_start.py [--html FILE]

Prints the profile's top frames (imports included) and each step's seconds."""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from pyinstrument import Profiler

    steps: list[tuple[str, float]] = []
    profiler = Profiler(interval=0.002)
    profiler.start()
    started = time.perf_counter()
    from ingest.offline import offline

    offline()
    from rag.answer import Answerer
    from ui.app import build_app, serve
    from rag.settings import load_settings

    steps.append(("imports (gradio, torch, transformers, llama-index, chromadb, llama.cpp)", time.perf_counter() - started))
    settings = load_settings()
    mark = time.perf_counter()
    answerer = Answerer.load(settings.index(), settings.rag())
    steps.append(("index (texts, BM25) and models loaded", time.perf_counter() - mark))
    mark = time.perf_counter()
    app = build_app(answerer)
    steps.append(("Blocks built", time.perf_counter() - mark))
    mark = time.perf_counter()
    serve(app, "127.0.0.1", None, block=False)
    steps.append(("launched (page served)", time.perf_counter() - mark))
    profiler.stop()
    app.close()
    print(profiler.output_text(show_all=False, color=False)[:6000])
    if "--html" in sys.argv:
        Path(sys.argv[sys.argv.index("--html") + 1]).write_text(profiler.output_html(), encoding="utf-8")
    print("| step | s |\n|---|---|")
    for name, seconds in steps:
        print(f"| {name} | {seconds:.1f} |")
    print(f"| total | {time.perf_counter() - started:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
