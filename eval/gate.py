"""The quality gate: a run fails when a metric falls outside the bounds in eval/thresholds.toml.

A table per mode ([retrieval_only], [full]) maps a metric to `{ min = … }` and/or `{ max = … }`; a table may
also fix the question `ids` CI runs in that mode. Those are the dev split's bounds; the test split's sit in
[test.retrieval_only] / [test.full]."""
from __future__ import annotations

import tomllib
from pathlib import Path

from eval.report import LABELS

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"


def load_thresholds(path: Path = THRESHOLDS) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot read thresholds {path}: {exc}") from None


def violations(metrics: dict, bounds: dict) -> list[str]:
    """One line per metric outside its bounds (a missing metric is a violation too: the gate cannot pass
    on a number it does not have)."""
    found = []
    for key, bound in bounds.items():
        if key == "ids":
            continue
        if not isinstance(bound, dict) or not set(bound) <= {"min", "max"}:
            raise ValueError(f"threshold for {key!r} must be a table like {{ min = 0.9 }} or {{ max = 0.1 }}")
        value = metrics.get(key)
        name = LABELS.get(key, key)
        if not isinstance(value, (int, float)):
            found.append(f"{name} ({key}): no value in this run")
            continue
        if "min" in bound and value < bound["min"]:
            found.append(f"{name} ({key}) = {value}, below the minimum {bound['min']}")
        if "max" in bound and value > bound["max"]:
            found.append(f"{name} ({key}) = {value}, above the maximum {bound['max']}")
    return found


def bounds_for(thresholds: dict, mode: str, split: str = "dev") -> dict:
    """The table of bounds for a mode ("retrieval_only" or "full") on a split ("dev" or "test")."""
    if split not in ("dev", "test"):
        raise ValueError(f"the gate has bounds for the dev and test splits only, not {split!r}")
    table = thresholds.get("test", {}).get(mode) if split == "test" else thresholds.get(mode)
    if table is None:
        raise ValueError(f"the thresholds file has no [{'test.' if split == 'test' else ''}{mode}] table")
    return table


def check(saved: dict, thresholds: dict, split: str = "dev") -> list[str]:
    """Violations of the thresholds for this run's mode and split (metrics.json as saved by the runner)."""
    mode = "retrieval_only" if saved["retrieval_only"] else "full"
    return violations(saved["metrics"], bounds_for(thresholds, mode, split))
