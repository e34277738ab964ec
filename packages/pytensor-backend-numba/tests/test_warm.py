"""Warm start (pytensor.link.numba.warm): a new process runs a cached graph without numba's
compiler, for every signature compiled before, with the same results and error messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import scipy.special

import pytensor.tensor as pt
from pytensor.graph.fg import FunctionGraph
from pytensor.link.numba import backend, warm

SCRIPT = textwrap.dedent(
    """
    import json, sys, numpy as np
    import pytensor.tensor as pt
    from pytensor.compile.function import function
    x = pt.vector("x")
    i = pt.lscalar("i")
    fn = function([x, i], [pt.gammaln(x * 2.0 + 1.0), x[i]], mode="NUMBA")
    value = np.linspace(0.5, 3.0, 6)
    if "strided" in sys.argv:
        value = np.repeat(value, 2)[::2]  # the same values, not contiguous: another signature
    g, xi = fn(value, 2)
    try:
        fn(value, 10)
        error = None
    except IndexError as exc:
        error = str(exc)
    from numba.core.runtime.nrt import rtsys
    print(json.dumps({"gammaln": g.tolist(), "xi": float(xi), "error": error,
                      **fn.vm.dispatcher.stats, "numba_compiler": rtsys._init}))
    """
)


def _run(cache: Path, *args: str) -> dict:
    env = {**os.environ, "PYTENSOR_NUMBA_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def _py_error() -> str:
    from pytensor.compile.function import function

    x, i = pt.vector("x"), pt.lscalar("i")
    fn = function([x, i], x[i], mode="PY")
    with pytest.raises(IndexError) as info:
        fn(np.ones(6), 10)
    return str(info.value)


def test_warm_process_runs_every_cached_signature_without_numba_compiler(tmp_path):
    value = np.linspace(0.5, 3.0, 6)
    expected = scipy.special.gammaln(value * 2.0 + 1.0)
    cold = _run(tmp_path)
    assert (cold["loaded"], cold["compiled"], cold["numba_compiler"]) == (0, 1, True)
    # The special function's SciPy kernel is bound by name before the cached code loads,
    # and errors raised in compiled code keep the py backend's message.
    hot = _run(tmp_path)
    assert (hot["loaded"], hot["compiled"], hot["numba_compiler"]) == (1, 0, False)
    for run in (cold, hot):
        np.testing.assert_allclose(run["gammaln"], expected, rtol=1e-14)
        assert run["xi"] == value[2]
        assert run["error"] == _py_error()
    # A strided input is another signature: compiled (through numba) and added to the entry.
    strided = _run(tmp_path, "strided")
    assert (strided["loaded"], strided["compiled"]) == (1, 1)
    np.testing.assert_allclose(strided["gammaln"], expected, rtol=1e-14)
    both = _run(tmp_path, "strided")
    assert (both["loaded"], both["compiled"], both["numba_compiler"]) == (2, 0, False)
    assert both["gammaln"] == strided["gammaln"] and both["error"] == _py_error()


def test_warm_key_is_structural():
    def graph(c: np.ndarray, name: str) -> FunctionGraph:
        x = pt.vector(name, shape=(3,))
        return FunctionGraph([x], [pt.exp(x) * pt.constant(c)], clone=False)

    def key(fg: FunctionGraph) -> str | None:
        return warm.warm_key(fg, fg.toposort())

    a = np.array([1.0, 2.0, 3.0])
    # Constant values, types, Ops and variable names (error messages quote them) matter.
    assert key(graph(a, "x")) == key(graph(a.copy(), "x"))
    assert key(graph(a, "x")) != key(graph(a, "y"))
    assert key(graph(a, "x")) != key(graph(a + 1.0, "x"))
    assert key(graph(a.astype("float32"), "x")) != key(graph(a, "x"))
    x = pt.vector("x", shape=(3,))
    assert key(FunctionGraph([x], [pt.log(x)])) != key(FunctionGraph([x], [pt.exp(x)]))
    # One constant used twice is one argument of the compiled function; two equal
    # constants are two: the keys differ, and each graph runs.
    c, d = pt.constant(a), pt.constant(a.copy())
    once, twice = FunctionGraph([x], [x * c + c]), FunctionGraph([x], [x * c + d])
    assert key(once) != key(twice)
    for fg in (once, twice):
        np.testing.assert_array_equal(backend.link(fg)(np.ones(3))[0], 2 * a)


def test_unhashable_graphs_have_no_warm_key():
    x = pt.vector("x", shape=(2,))
    obj = np.empty(2, dtype=object)
    obj[:] = [object(), object()]  # an object constant has no process-independent token
    fg = FunctionGraph([x], [x], clone=False)
    const = pt.constant(np.ones(2))
    const.data = obj  # bypass the type's filter: only the token matters here
    fg2 = FunctionGraph([x], [x + const], clone=False)
    assert warm.warm_key(fg, fg.toposort()) is not None
    assert warm.warm_key(fg2, fg2.toposort()) is None
