"""One `govrag ingest` at a time per index: two runs diffing the same collection would each add what the other
adds and delete what the other still needs. An advisory `flock` on a file in the data folder, which the kernel
releases when the holder dies (even by kill -9), so a crashed ingest never leaves the index locked.

It guards ingests started on this machine; two machines writing one Chroma server are not seen by it."""
from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.config import IndexConfig


class IngestBusyError(RuntimeError):
    """Another ingest holds this index."""


def lock_path(config: IndexConfig) -> Path:
    """One lock file per index (its location and collection), kept in the data folder."""
    key = hashlib.sha256(f"{config.location}\0{config.collection}".encode()).hexdigest()[:12]
    return config.data_dir / f"ingest-{key}.lock"


@contextmanager
def ingest_lock(config: IndexConfig) -> Iterator[None]:
    """Hold the index's ingest lock for the block; IngestBusyError at once (naming the holder) if it is taken."""
    path = lock_path(config)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        yield  # a full disk: no lock file can be made; the space check refuses the run before any write
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "a process that has not said who it is"
            raise IngestBusyError(f"another govrag ingest is writing the index at {config.location} ({holder}); "
                                  "wait for it to finish, then run this one again") from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()} on {socket.gethostname()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}")
            handle.flush()
        except OSError:  # who holds it is only informative; the flock is the lock
            pass
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
