"""`functools.cache` for loaders called from many threads at once (a served UI answers 32 questions side by
side): the first caller loads while the others wait for its result. functools.cache has no lock, so 20 users
arriving together each loaded their own jieba dictionary — 10 s before anyone's quotes."""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def load_once(loader: Callable[P, R]) -> Callable[P, R]:
    """`loader` cached per arguments, computed once even when first called from several threads together."""
    cached = functools.cache(loader)
    lock = threading.Lock()

    @functools.wraps(loader)
    def load(*args: P.args, **kwargs: P.kwargs) -> R:
        with lock:
            return cached(*args, **kwargs)

    load.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return load
