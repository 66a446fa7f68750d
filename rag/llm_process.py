"""Local engines out of the serving process: each runs in a worker (rag/llm_worker.py) that is checked at start
(load + a few generated tokens), restarted when it dies, and replaced by the next engine when it cannot run here.

Why a process of our own rather than a supervised llama.cpp server: the worker keeps exactly the engine code
the answers were measured with (greedy, prompt cache reset, loop stop), serves transformers the same way, costs
one socket message per token (`make bench`: bench/run.py, isolation_cost), and its death is seen at once as the end of the connection.
"""
from __future__ import annotations

import logging
import signal
import socket
import subprocess
import sys
import threading
import weakref
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

from rag.config import LLMConfig
from rag.llm import ENGINE_NAMES

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
PROBE_TOKENS = 4
#: Loading may convert a GGUF for transformers (~20 s on 2 cores); a start that takes longer has hung.
START_TIMEOUT_S = 300.0
#: Deaths in a row, each while answering, after which the engine is given up for the next one.
MAX_CRASHES = 3

FIXES = {
    "llamacpp": "rebuild llama.cpp for this CPU with `make llama` (a portable build: README, 'The llama.cpp "
                "build'), or set GOVRAG_LLM_ENGINE=transformers",
    "transformers": "check that torch and transformers import (`govrag doctor`), or point GOVRAG_LLM_URL at a "
                    "model server",
}


class EngineError(RuntimeError):
    """The engine could not load, raised an error, or stopped answering."""


class EngineCrashed(EngineError):
    """The engine's process died (a native crash, an abort, an out-of-memory kill)."""


def death(returncode: int) -> str:
    """How a worker ended, in words a user can act on."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        cause = {"SIGSEGV": "a crash inside the native library", "SIGILL": "an instruction this CPU lacks",
                 "SIGABRT": "an abort inside the native library", "SIGBUS": "a crash inside the native library",
                 "SIGKILL": "killed: out of memory, or by hand"}.get(name, "killed by a signal")
        return f"died with {name} ({cause})"
    return f"exited with status {returncode}"


class EngineProcess:
    """One engine in one worker process. Starting returns at once; wait_ready() waits for the start check."""

    def __init__(self, config: LLMConfig, engine: str):
        self.config, self.engine = config, engine
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen([sys.executable, "-m", "rag.llm_worker", str(theirs.fileno())],
                                            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, cwd=ROOT)
        self.conn = Connection(ours.detach())
        self.conn.send(("start", config, engine, PROBE_TOKENS))
        self.info: dict[str, str] | None = None
        self._finalizer = weakref.finalize(self, _stop, self.process, self.conn)

    @property
    def pid(self) -> int:
        return self.process.pid

    def _receive(self, timeout_s: float) -> tuple:
        try:
            if self.conn.poll(timeout_s):
                return self.conn.recv()
        except (EOFError, OSError):
            raise EngineCrashed(f"the {ENGINE_NAMES[self.engine]} engine process {self._ended()}") from None
        self.close()
        raise EngineError(f"the {ENGINE_NAMES[self.engine]} engine sent nothing for {timeout_s:g} s and was stopped")

    def _ended(self) -> str:
        try:
            return death(self.process.wait(timeout=5))
        except subprocess.TimeoutExpired:
            self.close()
            return "closed its connection and was stopped"

    def wait_ready(self, timeout_s: float = START_TIMEOUT_S) -> dict[str, str]:
        if self.info is None:
            message = self._receive(timeout_s)
            if message[0] != "ready":
                self.close()
                raise EngineError(f"{ENGINE_NAMES[self.engine]} could not load the model: {message[1]}")
            self.info = message[1]
        return self.info

    def stream(self, messages: list[dict[str, str]], max_new_tokens: int) -> Iterator[str]:
        try:
            self.conn.send(("generate", messages, max_new_tokens))
        except OSError:
            raise EngineCrashed(f"the {ENGINE_NAMES[self.engine]} engine process {self._ended()}") from None
        finished = False
        try:
            while True:
                message = self._receive(self.config.timeout_s)
                if message[0] == "token":
                    yield message[1]
                    continue
                finished = True
                if message[0] == "failed":
                    raise EngineError(message[1])
                return
        finally:
            if not finished and self.alive():  # the reader stopped early: end the generation, read to its end
                try:
                    self.conn.send(("stop",))
                    while self._receive(self.config.timeout_s)[0] == "token":
                        pass
                except EngineError:
                    pass

    def alive(self) -> bool:
        return self.process.poll() is None and not self.conn.closed

    def close(self) -> None:
        self._finalizer()


def _stop(process: subprocess.Popen, conn: Connection) -> None:
    conn.close()  # the worker sees the end of its connection and exits
    try:
        process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class IsolatedChatModel:
    """A ChatModel whose engine runs in a worker process. Engines are tried in `order`; one that fails its start
    check is said once in the log and in `notice`, and the next is used; with none left, each answer is the
    cited quotes with that notice. A worker that dies while answering ends that answer (EngineCrashed, which
    the Answerer turns into quotes + notice) and is restarted at once for the next question."""

    def __init__(self, config: LLMConfig, order: list[str]):
        self.config, self.order = config, list(order)
        self.failed: list[tuple[str, str]] = []  # (engine, what happened), in the order it happened
        self.crashes = 0
        self._lock = threading.Lock()
        self._process: EngineProcess | None = EngineProcess(config, self.order[0])

    @property
    def engine(self) -> str | None:
        return self._process.engine if self._process else None

    @property
    def name(self) -> str:
        info = self._process.info if self._process else None
        return (info or {}).get("model") or "no model"

    @property
    def notice(self) -> str:
        """Empty while the first engine runs; else what failed, what runs instead, and the fix."""
        if not self.failed:
            return ""
        first = self.order[0]
        instead = (f"answering with {ENGINE_NAMES[self.engine]} instead" if self.engine else
                   "no engine runs here, so answers give the cited quotes only")
        failures = "; ".join(f"{ENGINE_NAMES[engine]}: {why}" for engine, why in self.failed)
        return (f"The language model engine failed its check ({failures}); {instead}. "
                f"Fix: {FIXES[first]}. `govrag doctor` shows what runs.")

    def ready(self) -> dict[str, str] | None:
        """Wait for a working engine (trying the next on failure); its start-check figures, or None."""
        with self._lock:
            return self._ready()

    def _ready(self) -> dict[str, str] | None:
        if self._process is not None and self._process.info is not None and not self._process.alive():
            # died between answers (killed while idle) or stopped after a timeout: start it again
            self._process = EngineProcess(self.config, self._process.engine)
        while self._process is not None:
            try:
                return self._process.wait_ready()
            except EngineError as exc:
                self._give_up(self._process.engine, str(exc))
        return None

    def _give_up(self, engine: str, why: str) -> None:
        self.failed.append((engine, why))
        following = self.order[self.order.index(engine) + 1:]
        self._process = EngineProcess(self.config, following[0]) if following else None
        self.crashes = 0
        log.error("%s", self.notice)

    def stream(self, messages: list[dict[str, str]], max_new_tokens: int) -> Iterator[str]:
        with self._lock:
            if self._ready() is None:
                raise EngineError(self.notice)
            process = self._process
            try:
                yield from process.stream(messages, max_new_tokens)
                self.crashes = 0
            except EngineCrashed as exc:
                self.crashes += 1
                log.error("%s while answering; restarting it", exc)
                if self.crashes >= MAX_CRASHES:
                    self._give_up(process.engine, f"{exc}, {self.crashes} times in a row")
                else:
                    self._process = EngineProcess(self.config, process.engine)  # loads while the user reads
                raise EngineCrashed(f"{exc}; it has been restarted for the next question") from None

    def close(self) -> None:
        if self._process is not None:
            self._process.close()
