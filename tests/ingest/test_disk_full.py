"""No space left on the data directory's device during ingest: a clear error naming the place and the fix,
and the index answers exactly as before; once there is space, ingest completes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.config import IndexConfig
from ingest.store import open_collection
from tests.conftest import ROOT, corpus_records, govrag, write_jsonl

pytestmark = pytest.mark.slow
QUESTION = "What do the OECD principles say about transparency?"


@pytest.fixture
def small_disk(tmp_path: Path, request: pytest.FixtureRequest):
    """A 128 MB tmpfs: a real file system that really fills up. Mounting needs root: anyone else runs the
    same test as root of a user namespace (`unshare --user --map-root-user --mount`), asserts that it passed,
    and gets None (the test then has nothing left to do)."""
    if os.geteuid() != 0:
        inner = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", sys.executable, "-m", "pytest",
                                "-q", "-p", "no:cacheprovider", f"--basetemp={tmp_path / 'as-root'}",
                                request.node.nodeid], cwd=ROOT, capture_output=True, text=True, timeout=900)
        assert inner.returncode == 0 and " passed" in inner.stdout, (
            "the disk-full test could not run as root in a user namespace (unshare --user --map-root-user "
            f"--mount):\n{inner.stdout[-3000:]}\n{inner.stderr[-2000:]}")
        yield None
        return
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _fill(disk: Path, leave_bytes: int) -> Path:
    """Fill the disk, then free `leave_bytes`."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\1" * 65536):
            pass
    except OSError as exc:
        assert exc.errno == 28  # ENOSPC: full
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - leave_bytes))
    return filler


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _state(data_dir: Path) -> tuple[set[str], list[str]]:
    collection = open_collection(IndexConfig(data_dir=data_dir), create=False, fresh=True)
    ids = collection.get(include=[])["ids"]
    assert len(ids) == len(set(ids)) == collection.count()
    found = govrag("search", QUESTION, "--json", data_dir=data_dir)
    assert found.returncode == 0, found.stderr[-2000:]
    return set(ids), [s["node_id"] for s in json.loads(found.stdout)["sources"]]


@pytest.fixture
def indexed(small_disk: Path | None, tmp_path: Path) -> tuple[Path, Path, tuple] | None:
    """An index of the seed documents on the small disk, and a corpus that adds 80 more documents
    (None when the test already ran in a user namespace: see small_disk)."""
    if small_disk is None:
        return None
    corpus, data_dir = tmp_path / "corpus", small_disk / "data"
    write_jsonl(corpus / "seed.jsonl", corpus_records("seed-principles.jsonl"))
    first = govrag("ingest", str(corpus), data_dir=data_dir)
    assert first.returncode == 0, first.stderr[-2000:]
    before = _state(data_dir)
    write_jsonl(corpus / "waie.jsonl", corpus_records("worldwide-ai-ethics.jsonl", limit=80))
    return corpus, data_dir, before


def _recovers(corpus: Path, data_dir: Path, before: tuple) -> None:
    """Once there is room, a complete run adds the new documents."""
    done = govrag("ingest", str(corpus), data_dir=data_dir)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _state(data_dir)[0] > before[0]


def test_too_little_space_is_refused_before_writing_anything(indexed, small_disk: Path):
    if indexed is None:
        return  # ran, and passed, as root of a user namespace (small_disk asserted it)
    corpus, data_dir, before = indexed
    filler = _fill(small_disk, leave_bytes=2_000_000)
    failed = govrag("ingest", str(corpus), data_dir=data_dir)
    assert failed.returncode == 2, (failed.returncode, failed.stdout[-1500:], failed.stderr[-1500:])
    assert f"not enough space on the device holding {data_dir / 'chroma'}: adding " in failed.stderr
    assert "nothing was written. Free some space and run `govrag ingest` again." in failed.stderr
    assert "Traceback" not in failed.stderr
    assert _state(data_dir) == before  # the same nodes, the same answer
    filler.unlink()
    _recovers(corpus, data_dir, before)


def test_a_disk_that_fills_up_while_ingest_writes_loses_nothing(indexed, small_disk: Path):
    """Another program fills the disk once ingest has started writing."""
    if indexed is None:
        return  # ran, and passed, as root of a user namespace (small_disk asserted it)
    corpus, data_dir, before = indexed
    chroma = data_dir / "chroma"
    size = _size(chroma)
    env = {**os.environ, "GOVRAG_DATA_DIR": str(data_dir)}
    process = subprocess.Popen([sys.executable, "-m", "ui.cli", "ingest", str(corpus)], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while _size(chroma) < size + 256_000:
        assert process.poll() is None, "ingest finished before it could be starved of space"
        time.sleep(0.05)
    filler = _fill(small_disk, leave_bytes=0)
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 2, stderr[-1500:]
    assert f"no space left on the device holding {chroma} (" in stderr, stderr[-1500:]
    assert "Free some space and run `govrag ingest` again." in stderr and "Traceback" not in stderr
    # Chroma must apply its write log before it can read again, which needs room: free it first.
    filler.unlink()
    after = _state(data_dir)
    assert before[0] <= after[0]  # every old node is still there, and the index is consistent
    if "the index is as it was" in stderr:
        assert after == before
    _recovers(corpus, data_dir, before)
