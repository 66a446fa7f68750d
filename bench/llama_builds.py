"""llama.cpp builds side by side: the portable build `make install` makes (Makefile: LLAMA_PORTABLE) vs a native
(-march=native) build of the same llama-cpp-python version — build time, and prefill + decode speed on the bundled
GGUF with the same prompt, each build loaded in a child process of its own (PYTHONPATH = its install folder),
the two interleaved, medians.

    .venv/bin/python bench/llama_builds.py [--rebuild]      (`make bench` runs it)

Each build is kept in ~/.cache/govrag-bench/llama-builds/<variant>-<version>-<flags hash>/ with build.json (flags,
seconds, when): the first run builds both (~5 min each on 2 cores), later runs reuse them unless --rebuild.
A build that crashes on this CPU is reported with its signal, not as a number."""
from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govrag-bench" / "llama-builds"
ROUNDS = 3
DECODE_TOKENS = 128

#: Runs inside each child: load the GGUF, prefill the prompt, decode DECODE_TOKENS greedily past any end token.
MEASURE = r"""
import json, os, statistics, sys, time
import llama_cpp
from llama_cpp import Llama
path, prompt, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
started = time.perf_counter()
llama = Llama(model_path=path, n_ctx=4096, n_threads=os.cpu_count(), verbose=False)
load = time.perf_counter() - started
tokens = llama.tokenize(prompt.encode())
runs = []
for _ in range(4):  # the first is a warm-up
    llama.reset()
    begun = time.perf_counter()
    first = None
    for count, _ in enumerate(llama.generate(tokens, top_k=1, temp=0.0, reset=True), 1):
        first = first or time.perf_counter()
        if count == n:
            break
    runs.append((first - begun, (n - 1) / (time.perf_counter() - first)))
print(json.dumps({"load_s": load, "prefill_s": statistics.median(r[0] for r in runs[1:]),
                  "decode_tok_s": statistics.median(r[1] for r in runs[1:]), "prompt_tokens": len(tokens),
                  "system": llama_cpp.llama_print_system_info().decode(errors="replace").strip()}))
"""


def portable_flags() -> str:
    """The flags `make install` builds with on this architecture (one source of truth: the Makefile)."""
    return subprocess.run(["make", "-s", "-C", str(ROOT), "print-llama-portable"], capture_output=True, text=True,
                          check=True).stdout.strip()


def build(variant: str, flags: str, rebuild: bool) -> dict:
    """A wheel of the installed llama-cpp-python version built with `flags`, installed into its own folder."""
    release = version("llama-cpp-python")
    folder = CACHE / f"{variant}-{release}-{hashlib.sha256(flags.encode()).hexdigest()[:10]}"
    record = folder / "build.json"
    if record.exists() and not rebuild:
        return json.loads(record.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = {**os.environ, "CMAKE_ARGS": flags, "CMAKE_BUILD_PARALLEL_LEVEL": str(os.cpu_count() or 1)}
    with tempfile.TemporaryDirectory() as wheels:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-cache-dir", "-w", wheels,
                        f"llama-cpp-python=={release}"], env=env, check=True)
        seconds = time.perf_counter() - started
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                        str(folder / "site"), *map(str, Path(wheels).glob("*.whl"))], check=True)
    result = {"variant": variant, "flags": flags, "version": release, "build_s": round(seconds, 1),
              "built": time.strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count(), "folder": str(folder)}
    record.write_text(json.dumps(result, indent=2))
    return result


def measure(folder: str, prompt: str) -> dict:
    from rag.llm import bundled_model_file
    from rag.llm_process import death

    env = {**os.environ, "PYTHONPATH": str(Path(folder) / "site")}
    done = subprocess.run([sys.executable, "-c", MEASURE, str(bundled_model_file()), prompt, str(DECODE_TOKENS)],
                          capture_output=True, text=True, env=env, timeout=600)
    if done.returncode != 0:
        return {"failed": f"the build {death(done.returncode)}: {done.stderr.strip()[-300:]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_builds(prompt: str, rebuild: bool = False) -> dict:
    builds = {"portable": build("portable", portable_flags(), rebuild),
              "native": build("native", "-DGGML_NATIVE=ON", rebuild)}
    rounds: dict[str, list[dict]] = {name: [] for name in builds}
    for _ in range(ROUNDS):
        for name, built in builds.items():
            rounds[name].append(measure(built["folder"], prompt))
    result: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores", "decode_tokens": DECODE_TOKENS}
    for name, runs in rounds.items():
        failed = [r["failed"] for r in runs if "failed" in r]
        figures = {"failed": failed[0]} if failed else {
            key: round(statistics.median(r[key] for r in runs), 3) for key in ("load_s", "prefill_s", "decode_tok_s")
        } | {"system": runs[0]["system"], "prompt_tokens": runs[0]["prompt_tokens"]}
        result[name] = {**builds[name], **figures}
    if "failed" not in result["portable"] and "failed" not in result["native"]:
        result["portable_vs_native_decode"] = round(result["portable"]["decode_tok_s"]
                                                    / result["native"]["decode_tok_s"], 3)
    return result


def rows(result: dict) -> list[tuple[str, str, str]]:
    out = []
    for name in ("portable", "native"):
        build_ = result[name]
        speed = (build_["failed"] if "failed" in build_ else
                 f"decode {build_['decode_tok_s']} tok/s, prefill {build_['prefill_s']} s "
                 f"({build_['prompt_tokens']} tokens), load {build_['load_s']} s")
        out.append((f"llama.cpp {name} build ({build_['flags']}): build time / speed",
                    f"{build_['build_s']} s / {speed}", "–"))
    if "portable_vs_native_decode" in result:
        out.append(("llama.cpp decode: portable vs native (same GGUF, same prompt, interleaved medians)",
                    f"{result['portable_vs_native_decode']}x", "–"))
    return out


def bench_prompt() -> str:
    """A prompt of answer size (~400 tokens of corpus text and a question), the same for every build."""
    return ("Sources:\n" + (ROOT / "corpus" / "README.md").read_text(encoding="utf-8")[:1500]
            + "\n\nQuestion: What do these sources say about the corpus licence?\nAnswer:")


def main() -> int:
    sys.path.insert(0, str(ROOT))
    result = bench_builds(bench_prompt(), rebuild="--rebuild" in sys.argv)
    print(f"command: .venv/bin/python bench/llama_builds.py   ({result['machine']})\n")
    print("| measure | measured | target |\n|---|---|---|")
    for row in rows(result):
        print(f"| {' | '.join(row)} |")
    for name in ("portable", "native"):
        print(f"\n{name}: {result[name].get('system', '')}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"llama-builds-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"\nwritten: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
