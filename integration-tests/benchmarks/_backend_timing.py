"""Timing helpers of test_backend_bench.py: interleaved per-call timings and compile subprocesses.

Times are per call, the best of several rounds; candidates are timed in turn
within each round so that load on a shared machine hits them alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["CHILD", "ChildError", "cache_env", "compare", "run_child"]

CHILD = Path(__file__).resolve().parent / "_backend_child.py"


class ChildError(RuntimeError):
    """A compile child failed; the message is its last stderr line, ``stderr`` the rest."""

    def __init__(self, message: str, stderr: str) -> None:
        super().__init__(message)
        self.stderr = stderr

    def __str__(self) -> str:
        return f"{self.args[0]}\n--- child stderr ---\n{self.stderr[-4000:]}"


def _block(result: Any) -> None:
    """Wait for asynchronous (JAX) results, so their time is counted."""
    ready = getattr(result, "block_until_ready", None)
    if ready is not None:
        ready()
    elif isinstance(result, list | tuple):
        for r in result:
            _block(r)


def _is_async(result: Any) -> bool:
    """Whether ``result`` (or one of its items) is an asynchronous (JAX) value."""
    if hasattr(result, "block_until_ready"):
        return True
    return isinstance(result, list | tuple) and any(_is_async(r) for r in result)


def _timed(fn: Callable[..., Any], args: Sequence[Any], number: int, block: bool) -> float:
    """Seconds for ``number`` calls; results are waited for only when they are asynchronous
    (a per-call check would add ~0.2 us to sub-microsecond calls)."""
    t0 = time.perf_counter()
    if block:
        for _ in range(number):
            _block(fn(*args))
    else:
        for _ in range(number):
            fn(*args)
    return time.perf_counter() - t0


def _calibrate(fn: Callable[..., Any], args: Sequence[Any], min_time: float, block: bool) -> int:
    """Calls per timed block so that a block lasts at least ``min_time`` seconds."""
    number = 1
    while True:
        if _timed(fn, args, number, block) >= min_time or number >= 1 << 22:
            return number
        number *= 4


def compare(
    candidates: Mapping[str, tuple[Callable[..., Any], Sequence[Any]]],
    rounds: int = 5,
    min_time: float = 0.05,
) -> dict[str, float]:
    """Best seconds per call of each ``name: (fn, args)``, timed interleaved."""
    block = {name: _is_async(fn(*args)) for name, (fn, args) in candidates.items()}
    numbers = {
        name: _calibrate(fn, args, min_time, block[name]) for name, (fn, args) in candidates.items()
    }
    best = dict.fromkeys(candidates, float("inf"))
    for _ in range(rounds):
        for name, (fn, args) in candidates.items():
            number = numbers[name]
            best[name] = min(best[name], _timed(fn, args, number, block[name]) / number)
    return best


def cache_env(cache_dir: Path) -> dict[str, str]:
    """The environment of a compile child: every backend cache under ``cache_dir``.

    PYTENSOR_CACHE_DIR is what the numba (``<dir>/numba``) and C (``<dir>/c``)
    backends read; NUMBA_CACHE_DIR holds Numba's own cache of ``cache=True``
    helpers; a PYTENSOR_NUMBA_CACHE_DIR of the caller would override the first,
    so it is dropped.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTENSOR_NUMBA_CACHE_DIR"}
    env["PYTENSOR_CACHE_DIR"] = str(cache_dir)
    env["NUMBA_CACHE_DIR"] = str(cache_dir / "numba-njit")
    return env


def run_child(backend: str, graph: str, cache_dir: Path, timeout: float = 600) -> dict[str, Any]:
    """Run ``_backend_child.py`` in a fresh interpreter and return its measurements."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(CHILD), backend, graph],
        env=cache_env(cache_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise ChildError(f"{backend}/{graph}: {last}", proc.stderr)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = wall
    return result
