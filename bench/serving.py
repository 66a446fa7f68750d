"""A `govrag ui` process on a loopback port, for the bench rows that measure what a user of the served UI
waits for (cold start, 20 users at once). `cwd`: the checkout whose code runs (bench/concurrency.py runs an
earlier commit side by side)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Served:
    url: str
    #: Seconds from the process starting to its page being served.
    served_s: float
    pid: int


def memory_mb(pid: int) -> dict[str, float]:
    """A process's resident memory now and at its peak (Linux /proc), in MB."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {"rss_mb": round(int(status["VmRSS"].split()[0]) / 1024), "peak_rss_mb": round(
        int(status["VmHWM"].split()[0]) / 1024)}


@contextmanager
def running_ui(data_dir: Path, env: dict[str, str] | None = None, cwd: Path = ROOT, log_name: str = "ui",
               timeout_s: float = 600) -> Iterator[Served]:
    """Start `python -m ui.cli ui` (the code in `cwd`) on `data_dir`; yields it once its page is served.
    Stopped on exit."""
    import httpx

    port = free_port()
    log_path = data_dir / f"{log_name}.log"
    with log_path.open("w") as log:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "ui.cli", "ui", "--port", str(port)], cwd=cwd,
                                   env={**os.environ, "GOVRAG_DATA_DIR": str(data_dir), **(env or {})},
                                   stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            while True:
                if process.poll() is not None or time.perf_counter() - started > timeout_s:
                    raise RuntimeError(f"govrag ui did not start; see {log_path}")
                try:
                    if httpx.get(url, timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.05)
            yield Served(url, time.perf_counter() - started, process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
