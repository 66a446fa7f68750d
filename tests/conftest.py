"""Shared fixtures: real Chroma indexes in temporary folders, the real bundled models, loaded once."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from ingest.config import IndexConfig
from ingest.offline import offline

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

offline()


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def corpus_records(name: str, limit: int | None = None) -> list[dict]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:limit]]


class BrokenBackend:
    """A model server that dies (fault injection): after `tokens` tokens (0: at once) the connection drops."""
    name = "broken"

    def __init__(self, tokens: int = 0):
        self.tokens = tokens

    def stream(self, messages, max_new_tokens):
        yield from ["The", " OECD"][: self.tokens]
        raise ConnectionError("model server at 127.0.0.1:9 refused the connection")


class ScriptedModel:
    """A model that writes exactly `draft`: what the citation check does with given sentences, on real retrieval."""
    name = "scripted"

    def __init__(self, draft: str):
        self.draft = draft

    def stream(self, messages, max_new_tokens):
        yield from self.draft.split(" ")[:1] + [f" {word}" for word in self.draft.split(" ")[1:]]


def govrag(*args: str, data_dir: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    """The `govrag` command as a user runs it, on the index in `data_dir`."""
    env = {**os.environ, "GOVRAG_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=ROOT)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


CHROMA = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"


def start_server(command: list[str], ready_url: str, log: Path, what: str, timeout_s: float = 120,
                 accept: tuple[int, ...] = (200,), env: dict[str, str] | None = None):
    """Start a real server process (output to `log`: a full pipe would stall it; `env` added to this process's)
    and wait until `ready_url` answers with a status in `accept`; fail the test with the end of its log if it
    exits or never answers."""
    process = subprocess.Popen(command, stdout=log.open("a"), stderr=subprocess.STDOUT, cwd=ROOT,
                               env={**os.environ, **(env or {})})
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(ready_url, timeout=2).status_code in accept:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
        if process.poll() is not None:
            pytest.fail(f"{what} exited: {log.read_text()[-2000:]}")
    process.kill()
    pytest.fail(f"{what} did not answer {ready_url} within {timeout_s:g} s")


class ChromaServer:
    """`chroma run` on a free loopback port over one data folder; can be restarted on the same folder."""

    def __init__(self, path: Path):
        self.path, self.port, self.process = path, free_port(), None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = start_server([CHROMA, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port",
                                     str(self.port)], f"{self.url}/api/v2/heartbeat",
                                    self.path.parent / "chroma-server.log", "chroma run", timeout_s=60)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def start_llama_server(log_dir: Path) -> tuple[str, subprocess.Popen]:
    """llama-cpp-python's OpenAI-compatible server (`python -m llama_cpp.server`, the `[llamacpp]` extra) serving
    the bundled GGUF on a free loopback port: (its base URL, the process). The caller stops it."""
    import importlib.util

    from rag.llm import bundled_model_file

    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llama_cpp.server") is None:
        pytest.fail("these tests need llama-cpp-python's server: pip install -e '.[llamacpp]' (make test does)")
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    process = start_server([sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_model_file()),
                            "--model_alias", "smollm2", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
                            "--n_threads", "2"], f"{url}/models", log_dir / "llama-server.log", "llama_cpp.server")
    return url, process


@pytest.fixture
def chroma_server(tmp_path: Path):
    """A real `chroma run` on loopback over a fresh folder, stopped after the test."""
    server = ChromaServer(tmp_path / "chroma-server")
    server.start()
    yield server
    server.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs the whole corpus indexed (directly or through retriever, answerer, ui_url…) is slow,
    whether or not its module says so: `make test-fast` skips it, CI runs it."""
    for item in items:
        if "full_index" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def full_index(tmp_path_factory: pytest.TempPathFactory) -> IndexConfig:
    """The whole default corpus, ingested once for the session into a real persistent Chroma."""
    from ingest.pipeline import ingest

    config = IndexConfig(data_dir=tmp_path_factory.mktemp("full-index"))
    report = ingest([CORPUS], config, progress=False)
    assert not report.errors, report.summary()
    return config


@pytest.fixture(scope="session")
def retriever(full_index: IndexConfig):
    """Hybrid retrieval over the full index with the bundled MiniLM (no LLM)."""
    from rag.retrieve import Retriever

    return Retriever(full_index)


@pytest.fixture(scope="session")
def chat_model():
    """The bundled SmolLM2-135M-Instruct GGUF on the default engine (llama.cpp, in its worker process), loaded
    once."""
    from rag.config import LLMConfig
    from rag.llm import load_chat_model

    model = load_chat_model(LLMConfig())
    yield model
    model.close()


@pytest.fixture(scope="session")
def answerer(retriever, chat_model):
    """The real answer pipeline: full index, bundled MiniLM, bundled SmolLM2 GGUF on llama.cpp."""
    from rag.answer import Answerer
    from rag.config import RagConfig

    return Answerer(retriever, chat_model, RagConfig())


@contextmanager
def served_app(answerer, library_edits=None) -> Iterator[str]:
    """The real Gradio app around `answerer`, served on a free loopback port; yields its URL. library_edits: the
    Library tab takes uploads (ui/library_tab.LibraryEdits)."""
    from ui.app import build_app, serve

    app = build_app(answerer, library_edits=library_edits)
    serve(app, "127.0.0.1", free_port(), block=False,
          max_upload_mb=library_edits.limits.max_file_mb if library_edits else None)
    try:
        yield app.local_url
    finally:
        app.close()


@pytest.fixture(scope="session")
def ui_url(answerer):
    """The real Gradio app on the full index and the bundled models, for the session."""
    with served_app(answerer) as url:
        yield url


def process_info(pid: int) -> tuple[str, int, bytes] | None:
    """(state letter, parent pid, command line) of a process from /proc; None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return fields[0], int(fields[1]), Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, IndexError, ValueError):
        return None


CRASHING_LLAMA_CPP = '''
import ctypes
import os

__version__ = "0.0.0-crashing-stand-in"


def llama_print_system_info():
    return b"STAND-IN = 1"


class Llama:
    def __init__(self, model_path, **kwargs):
        pass

    def reset(self):
        pass

    def create_chat_completion(self, messages, max_tokens, stream, **kwargs):
        text = messages[-1]["content"]
        for word in ("The", " stand-in", " says", " so")[:max_tokens]:
            yield {"choices": [{"delta": {"content": word}}]}
            if word == " says" and ("please crash" in text or os.environ.get("STAND_IN_CRASH_ALWAYS")):
                ctypes.string_at(0)  # a real segmentation fault
'''


@pytest.fixture
def crashing_llama_cpp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Engine workers (and `govrag` commands) started from now on import a stand-in `llama_cpp` that streams
    a few words, then dereferences address 0 when the prompt says "please crash" (or always, with
    STAND_IN_CRASH_ALWAYS set): a real segmentation fault, the death a llama.cpp build for the wrong CPU dies."""
    package = tmp_path / "stand-in" / "llama_cpp"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(CRASHING_LLAMA_CPP, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(package.parent),
                                                                   os.environ.get("PYTHONPATH")])))
    return package


@pytest.fixture(scope="session")
def declaration_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/real_files.DECLARATION_PAGES printed to a three-page PDF by Chromium, once per session."""
    from playwright.sync_api import sync_playwright

    from tests.real_files import declaration_pdf as print_declaration, launch_chromium

    with sync_playwright() as p:
        browser = launch_chromium(p)
        path = print_declaration(browser, tmp_path_factory.mktemp("documents") / "lakeside-declaration.pdf")
        browser.close()
    return path
