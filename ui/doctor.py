"""`govrag doctor`: what this machine has and what actually runs on it, each problem on one line with its fix.

The engines are probed the way serving starts them (a worker process each: load + a few tokens), so a build for
the wrong CPU shows up here as a crash with its signal, not as a dead UI later."""
from __future__ import annotations

import hashlib
import importlib.metadata
import platform
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from rag.settings import Settings

#: x86 flags that decide which llama.cpp build runs (x86-64-v3 = the first four) and what a native one would use.
X86_FLAGS = ("avx2", "fma", "f16c", "bmi2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_int8")
PORTABLE_X86 = ("avx2", "fma", "f16c", "bmi2")
MIN_FREE_BYTES = 1 << 30
#: Where `make install` / `make llama` record the CMake flags llama.cpp was built with.
LLAMA_FLAGS_FILE = Path(sys.prefix) / ".llama-cmake-args"


@dataclass(frozen=True)
class Check:
    what: str
    detail: str
    problem: str = ""  # empty when fine; else what is wrong and what to do
    todo: str = ""  # not built yet, nothing broken: the next step (a fresh install has no index until ingest)


def cpu_flags() -> tuple[str, set[str]]:
    """(CPU model name, its feature flags) from /proc/cpuinfo; ("", set()) where there is none."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor(), set()
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    return fields.get("model name", ""), set((fields.get("flags") or fields.get("Features") or "").split())


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    problem = "" if sys.version_info >= (3, 11) else "govrag needs Python >= 3.11: recreate .venv with it"
    return Check("python", f"{version} at {sys.executable}", problem)


def check_cpu() -> Check:
    name, flags = cpu_flags()
    machine = platform.machine()
    shown = " ".join(f for f in X86_FLAGS if f in flags) if machine == "x86_64" else f"{len(flags)} features"
    problem = ""
    if machine == "x86_64" and not set(PORTABLE_X86) <= flags:
        missing = " ".join(f for f in PORTABLE_X86 if f not in flags)
        problem = (f"this CPU lacks {missing}, which the portable llama.cpp build uses; build for this CPU: "
                   "make llama GOVRAG_LLAMA_CMAKE_ARGS=-DGGML_NATIVE=ON")
    return Check("cpu", f"{platform.platform()}; {name or machine}; {shown}", problem)


def check_engines(settings: Settings) -> Iterator[Check]:
    from rag.llm import ENGINE_NAMES, engine_order
    from rag.llm_process import FIXES, IsolatedChatModel

    try:
        llama = importlib.metadata.version("llama-cpp-python")
        flags = LLAMA_FLAGS_FILE.read_text(encoding="utf-8").strip() if LLAMA_FLAGS_FILE.exists() else "unknown"
        yield Check("llama.cpp", f"llama-cpp-python {llama}, built with CMake flags: {flags}")
    except importlib.metadata.PackageNotFoundError:
        yield Check("llama.cpp", "not installed (make install builds it; answers use transformers, ~8x slower)")
    config = settings.rag().llm
    try:
        order = engine_order(config)
    except (ValueError, FileNotFoundError) as exc:
        yield Check("engine", "none", f"{exc}")
        return
    if order == ["openai"]:
        yield check_model_server(config.url or "", config.api_key)
        return
    model = IsolatedChatModel(config, order)
    try:
        started = time.perf_counter()
        info = model.ready()
        took = time.perf_counter() - started
    finally:
        model.close()
    for engine, why in model.failed:
        yield Check("engine", f"{ENGINE_NAMES[engine]}: {why}", f"{ENGINE_NAMES[engine]} fails here; fix: {FIXES[engine]}")
    if info is None:
        yield Check("engine", "none runs", "no engine can answer: answers will be the cited quotes only")
        return
    built_for = f"; runs with: {info['system']}" if info.get("system") else ""
    yield Check("engine", f"{ENGINE_NAMES[info['engine']]} answers (checked in a child process in {took:.1f} s: "
                          f"load {info['load_s']} s, {len(info['probe'])}-character probe answer in "
                          f"{info['probe_s']} s; {info['version']}){built_for}")


def check_model_server(url: str, api_key: str | None) -> Check:
    import httpx

    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        response = httpx.get(url.rstrip("/") + "/models", headers=headers, timeout=5)
        response.raise_for_status()
        return Check("model server", f"{url} answers /models")
    except httpx.HTTPError as exc:
        return Check("model server", url, f"cannot reach {url} ({type(exc).__name__}: {exc}); start it, or unset "
                                          "GOVRAG_LLM_URL for the bundled model")


def check_model_file(settings: Settings) -> Check:
    from rag.llm import model_path

    config = settings.rag().llm
    if config.url:
        return Check("model", f"{config.model} on the model server")
    try:
        path = model_path(config)
    except FileNotFoundError as exc:
        return Check("model", "missing", str(exc))
    if path.is_dir():
        return Check("model", f"{path} (a transformers folder)")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return Check("model", f"{path}, {path.stat().st_size / 1e6:.1f} MB, sha256 {digest.hexdigest()}")


def check_embedder(settings: Settings) -> Check:
    from ingest.embedder import embed_model_path, embedder_name, load_embedder

    try:
        path = embed_model_path(settings.embed_model)
        started = time.perf_counter()
        index = settings.index()
        embedder = load_embedder(index.embed_model, index.embed_batch_size, index.embed_backend, index.caches)
        dimension = len(embedder.get_query_embedding("AI governance"))
    except Exception as exc:  # noqa: BLE001 - any failure to load is the problem to report
        return Check("embedder", "does not load", f"{type(exc).__name__}: {exc}; reinstall with `make install` or "
                                                  "fix GOVRAG_EMBED_MODEL")
    runtime = "ONNX Runtime" if type(embedder).__name__ == "OnnxEmbedder" else "PyTorch"
    return Check("embedder", f"{embedder_name(settings.embed_model, settings.embed_backend)} at {path}, {dimension} "
                             f"dimensions, on {runtime} (loaded and encoded in {time.perf_counter() - started:.1f} s)")


def check_index(settings: Settings) -> Check:
    from ingest.store import VERSION_KEY, IndexMissingError, open_collection

    index = settings.index()
    mode = f"Chroma server {index.chroma_url}" if index.chroma_url else f"embedded Chroma at {index.chroma_path}"
    try:
        collection = open_collection(index, create=False)
        count = collection.count()
    except IndexMissingError as exc:
        return Check("index", f"{mode}: not built yet", todo=f"{exc} (`make run` does it)")
    except Exception as exc:  # noqa: BLE001 - server down, other embedder: each says its fix
        return Check("index", mode, str(exc))
    meta = collection.metadata or {}
    last = meta.get(VERSION_KEY)
    when = datetime.fromtimestamp(int(last) / 1e9, timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if last else "unknown"
    detail = (f"{mode}, collection '{index.collection}': {count} nodes, embedder {meta.get('embedder')} "
              f"(matches the configured one), last ingest {when}")
    return Check("index", detail, "" if count else "the index is empty: run `govrag ingest`")


def check_disk(settings: Settings) -> Check:
    path = settings.data_dir.expanduser()
    while not path.exists():
        path = path.parent
    free = shutil.disk_usage(path).free
    problem = "" if free >= MIN_FREE_BYTES else f"under 1 GB free at {path}: ingest may run out of space; free some"
    return Check("disk", f"{free / 1e9:.1f} GB free at {path}", problem)


def run_checks(settings: Settings) -> Iterator[Check]:
    steps: list[Callable[[], Check | Iterator[Check]]] = [
        check_python, check_cpu, lambda: check_model_file(settings), lambda: check_engines(settings),
        lambda: check_embedder(settings), lambda: check_index(settings), lambda: check_disk(settings)]
    for step in steps:
        result = step()
        yield from ([result] if isinstance(result, Check) else result)


def doctor(settings: Settings, out: Callable[[str], None] = print) -> int:
    """Print every check; 0 when everything needed works (an index not built yet is a step to take, not a
    fault), else 1 after one line per problem."""
    problems, todos = [], []
    for check in run_checks(settings):
        out(f"{'PROBLEM' if check.problem else 'todo' if check.todo else 'ok':7}  {check.what:12} {check.detail}")
        if check.problem:
            problems.append(f"{check.what}: {check.problem}")
        if check.todo:
            todos.append(f"{check.what}: {check.todo}")
    for todo in todos:
        out(f"\nTo do: {todo}")
    if not problems:
        out("\nEverything govrag needs works here.")
        return 0
    out(f"\n{len(problems)} problem(s):")
    for problem in problems:
        out(f"- {problem}")
    return 1
