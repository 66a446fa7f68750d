"""Two `govrag ingest` runs on one index: the second stops at once naming the first; a killed holder leaves no lock."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.config import IndexConfig
from ingest.lock import lock_path
from tests.conftest import CORPUS, ROOT, govrag

pytestmark = pytest.mark.slow  # indexes the whole corpus


def test_a_second_ingest_is_refused_while_one_runs_and_a_killed_one_leaves_no_lock(tmp_path: Path):
    data = tmp_path / "data"
    first = subprocess.Popen([sys.executable, "-m", "ui.cli", "ingest", "--quiet", str(CORPUS)], cwd=ROOT,
                             env={**os.environ, "GOVRAG_DATA_DIR": str(data)}, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    lock = lock_path(IndexConfig(data_dir=data))
    deadline = time.monotonic() + 120
    while not (lock.exists() and lock.read_text().startswith(f"pid {first.pid} ")) and time.monotonic() < deadline:
        time.sleep(0.1)
    second = govrag("ingest", "--quiet", str(CORPUS), data_dir=data)
    assert first.poll() is None, "the first ingest ended before the second one tried"
    assert second.returncode == 2
    assert f"another govrag ingest is writing the index at {data / 'chroma'} (pid {first.pid} on " in second.stderr
    assert "wait for it to finish, then run this one again" in second.stderr

    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    third = govrag("ingest", "--quiet", str(CORPUS), data_dir=data)
    assert third.returncode == 0, third.stderr  # the kernel released the dead run's lock
    assert "205 documents" in third.stdout
