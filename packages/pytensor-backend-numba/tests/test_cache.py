"""The disk cache: new processes load machine code (through the warm entry, without numba's
compiler), corrupt entries are rebuilt, concurrent compilations are safe, large constants stay
out of the compiled code's key; the in-process memo shares kernels."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

import pytensor.tensor as pt
from pytensor.graph.fg import FunctionGraph
from pytensor.link.numba import backend

SCRIPT = textwrap.dedent(
    """
    import json, sys, numpy as np
    import pytensor.tensor as pt
    from pytensor.compile.function import function
    from pytensor.compile.mode import Mode
    x = pt.vector("x")
    if "other-graph-first" in sys.argv:  # the generated code must not depend on history
        function([x], pt.log1p(pt.exp(x) * 3.0).sum(), mode="NUMBA")(np.ones(2))
    c = pt.constant(np.arange(1000.0))
    out = pt.sum(pt.exp(x[:3]) * 2.0 + c[:3])
    fn = function([x], out, mode=Mode(linker="numba", optimizer="fast_run"))
    value = round(float(fn(np.arange(4.0))), 9)
    disp = fn.vm.dispatcher
    full = disp._full  # numba's dispatcher, built only when the warm entry was not enough
    from numba.core.runtime.nrt import rtsys
    print(json.dumps({
        "value": value, **disp.stats,
        "hits": sum(full.stats.cache_hits.values()) if full is not None else 0,
        "misses": sum(full.stats.cache_misses.values()) if full is not None else 0,
        "numba_compiler": rtsys._init,  # numba's target context initialises its runtime
    }))
    """
)
EXPECTED = round(float(np.sum(np.exp(np.arange(3.0)) * 2.0 + np.arange(3.0))), 9)


def _run(cache: Path, *args: str) -> dict:
    env = {**os.environ, "PYTENSOR_NUMBA_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _start(cache: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTENSOR_NUMBA_CACHE_DIR": str(cache)}
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _entries(cache: Path) -> list[Path]:
    return sorted(p.parent for p in cache.glob("*/*/graph.py"))


COLD = {"loaded": 0, "compiled": 1, "hits": 0, "misses": 1, "numba_compiler": True}
WARM = {"loaded": 1, "compiled": 0, "hits": 0, "misses": 0, "numba_compiler": False}
#: Through numba's own cache: the warm entry was missing or unusable.
NUMBA_CACHE = {"loaded": 0, "compiled": 1, "hits": 1, "misses": 0, "numba_compiler": True}


def _warm_entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("warm/*/*.bin"))


def test_new_process_loads_compiled_code_and_corrupt_entries_are_rebuilt(tmp_path):
    assert _run(tmp_path) == {"value": EXPECTED, **COLD}
    (entry,) = _entries(tmp_path)
    (warm,) = _warm_entries(tmp_path)
    source = (entry / "graph.py").read_text()
    assert any(entry.glob("*.nbi")) and any(entry.glob("*.nbc"))
    # A new process loads the machine code without starting numba's compiler.
    assert _run(tmp_path, "other-graph-first")["loaded"] == 1
    assert _run(tmp_path) == {"value": EXPECTED, **WARM}
    assert (entry / "graph.py").read_text() == source
    # A damaged warm entry is detected by its checksum: numba's cache is used, the entry rewritten.
    warm.write_bytes(warm.read_bytes()[:-40] + b"\x00" * 40)
    assert _run(tmp_path) == {"value": EXPECTED, **NUMBA_CACHE}
    assert _run(tmp_path) == {"value": EXPECTED, **WARM}
    # Garbage in every file of both entries: detected, rebuilt, still the right value.
    for f in [*entry.iterdir(), warm]:
        f.write_bytes(b"\x80garbage" * 3)
    assert _run(tmp_path) == {"value": EXPECTED, **COLD}
    # Truncated files: same.
    for f in [*entry.glob("*.nb*"), warm]:
        f.write_bytes(f.read_bytes()[:10])
    assert _run(tmp_path)["value"] == EXPECTED
    assert _run(tmp_path) == {"value": EXPECTED, **WARM}
    assert not list(tmp_path.rglob("*.tmp.*")), "temporary files left behind"


def test_concurrent_processes_compiling_the_same_graph(tmp_path):
    procs = [_start(tmp_path) for _ in range(3)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
        results.append(json.loads(out.decode().strip().splitlines()[-1]))
    assert all(r["value"] == EXPECTED for r in results)
    assert len(_entries(tmp_path)) == 1 and len(_warm_entries(tmp_path)) == 1
    assert _run(tmp_path) == {"value": EXPECTED, **WARM}


def test_large_constants_are_not_part_of_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTENSOR_NUMBA_CACHE_DIR", str(tmp_path))
    x = pt.vector("x", shape=(1000,))
    for seed in range(2):
        c = pt.constant(np.random.default_rng(seed).normal(size=1000))
        runner = backend.link(FunctionGraph([x], [x * c], clone=False))
        np.testing.assert_array_equal(runner(np.ones(1000))[0], c.data)
    (entry,) = _entries(tmp_path)
    assert "k0" in (entry / "graph.py").read_text()


def test_kernels_are_shared_between_graphs():
    x = pt.vector("x")
    a = backend.link(FunctionGraph([x], [pt.exp(x)], clone=False))
    b = backend.link(FunctionGraph([x], [pt.exp(x) * 2.0], clone=False))
    ka = a.dispatcher.full.py_func.__globals__["f0"]
    kb = b.dispatcher.full.py_func.__globals__["f0"]
    assert ka is kb
