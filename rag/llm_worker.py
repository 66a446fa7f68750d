"""The child process that runs one local engine (`python -m rag.llm_worker FD`), so that a native crash inside
llama.cpp or torch (a segfault, an abort, an out-of-memory kill) ends this process, never the one serving the UI
or running a batch. rag/llm_process.py starts, checks and restarts it.

Protocol over the connection on file descriptor FD (pickled tuples; the parent is the only peer):
  parent → child: ("start", LLMConfig, engine, probe_tokens), then ("generate", messages, max_new_tokens),
                  and ("stop",) to end a generation early;
  child → parent: ("ready", info) once the model is loaded and has generated probe_tokens tokens, or
                  ("error", text); then per generation ("token", text)…, closed by ("done",) or ("failed", text).
The child exits when the parent closes the connection or dies (the connection closes with it)."""
from __future__ import annotations

import faulthandler
import os
import sys
import time
from multiprocessing.connection import Connection

from rag.llm import ChatModel, load_engine

#: The worker's CPU priority below the serving process's (nice +10): a generation uses every core it is given,
#: and under many users it would otherwise queue the next user's retrieval and quotes behind its tokens. Idle
#: cores still go to the model at full speed (the kernel shares by weight only when both want the CPU).
NICENESS = 10
#: The start check: a real decode, which is where a build for the wrong CPU crashed (issue 12).
PROBE_MESSAGES = [{"role": "user", "content": "Say OK."}]


def engine_info(engine: str, model: ChatModel) -> dict[str, str]:
    """What runs: the model's name, and for llama.cpp its version and the CPU features it was built for."""
    info = {"engine": engine, "model": model.name}
    if engine == "llamacpp":
        import llama_cpp

        info["version"] = f"llama-cpp-python {llama_cpp.__version__}"
        info["system"] = llama_cpp.llama_print_system_info().decode(errors="replace").strip()
    elif engine == "transformers":
        import torch
        import transformers

        info["version"] = f"transformers {transformers.__version__}, torch {torch.__version__}"
    return info


def _generate(conn: Connection, model: ChatModel, messages: list[dict[str, str]], max_new_tokens: int) -> None:
    stream = model.stream(messages, max_new_tokens)
    try:
        for piece in stream:
            conn.send(("token", piece))
            if conn.poll() and conn.recv()[0] == "stop":
                break
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which ends that answer with the quotes
        conn.send(("failed", f"{type(exc).__name__}: {exc}"[:500]))
        return
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()
    conn.send(("done",))


def serve(conn: Connection) -> int:
    _, config, engine, probe_tokens = conn.recv()
    try:
        started = time.perf_counter()
        model = load_engine(config, engine)
        loaded = time.perf_counter()
        probe = "".join(model.stream(PROBE_MESSAGES, probe_tokens))
        info = engine_info(engine, model) | {"load_s": f"{loaded - started:.2f}",
                                             "probe_s": f"{time.perf_counter() - loaded:.2f}", "probe": probe}
    except Exception as exc:  # noqa: BLE001 - a Python-level failure to load: the parent tries the next engine
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:500]))
        return 1
    conn.send(("ready", info))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return 0
        if message[0] == "generate":
            _generate(conn, model, message[1], message[2])
        # a ("stop",) that arrives after its generation ended needs nothing


def main(argv: list[str]) -> int:
    faulthandler.enable()  # a native crash prints the Python stack to stderr (the server log) before dying
    # No PR_SET_PDEATHSIG: it fires when the *thread* that started the worker ends, and workers are restarted
    # from Gradio's request threads, which end when idle. The parent's death closes the connection instead,
    # which ends the loop in serve() (or the next token's send, mid-generation).
    os.dup2(2, 1)  # stray prints from libraries go to the log; the protocol has its own descriptor
    os.nice(NICENESS)
    try:
        return serve(Connection(int(argv[1])))
    except (BrokenPipeError, ConnectionResetError, EOFError):  # the parent went away: nobody to answer
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
