"""The numba kernel of IndexedMap (the loop behind jacobians) agrees with NumPy and ``perform``.

Graphs are compiled by the numba linker without rewrites, so each Op runs as built.
"""

from __future__ import annotations

import os
import re
import tempfile
from typing import Any

import numpy as np
import pytest

pytest.importorskip("numba")
os.environ.setdefault("PYTENSOR_NUMBA_CACHE_DIR", tempfile.mkdtemp(prefix="pytensor-numba-ops-"))

import pytensor.tensor as pt  # noqa: E402
from pytensor.compile.function import function  # noqa: E402
from pytensor.compile.mode import Mode  # noqa: E402
from pytensor.gradient import jacobian  # noqa: E402
from pytensor.link.numba.dispatch import jacobian as _registered  # noqa: E402, F401
from pytensor.tensor._jacobian import IndexedMap  # noqa: E402

pytestmark = pytest.mark.numba

NUMBA = Mode(linker="numba", optimizer=None)
PY = Mode(linker="py", optimizer=None)


def check(inputs: list[Any], outputs: list[Any], values: list[Any], expected: list[Any]) -> None:
    """Every output has the graph's dtype, and NumPy's shape and values."""
    got = function(inputs, outputs, mode=NUMBA, on_unused_input="ignore")(*values)
    for var, g, e in zip(outputs, got, expected, strict=True):
        g = np.asarray(g)
        assert g.dtype == np.dtype(var.type.dtype)
        assert g.shape == np.shape(e)
        if g.dtype.kind in "fc":
            np.testing.assert_allclose(g, e, rtol=1e-12, equal_nan=True)
        else:
            np.testing.assert_array_equal(g, e)


def check_error(inputs: list[Any], output: Any, values: list[Any]) -> None:
    """The numba backend raises what ``perform`` raises: same type, same message."""
    with pytest.raises(Exception) as ref:
        function(inputs, output, mode=PY, on_unused_input="ignore")(*values)
    fn = function(inputs, output, mode=NUMBA, on_unused_input="ignore")
    with pytest.raises(type(ref.value), match=f"^{re.escape(str(ref.value))}$"):
        fn(*values)


def test_jacobian_through_indexed_map() -> None:
    x = pt.dvector("x")
    jac = jacobian(pt.sin(x) * pt.sum(x**2), x)
    assert isinstance(jac.owner.op, IndexedMap)
    xv = np.array([0.5, 1.0, 2.0])
    # d/dx_j [sin(x_i) * S] = cos(x_i) * S * [i == j] + sin(x_i) * 2 x_j, with S = sum(x**2)
    expected = np.diag(np.cos(xv) * np.sum(xv**2)) + np.outer(np.sin(xv), 2 * xv)
    check([x], [jac], [xv], [expected])


def test_indexed_map_stack_and_sum() -> None:
    i = pt.lscalar("i")
    v = pt.dvector("v")
    op = IndexedMap([i, v], [v * pt.cast(i, "float64"), v[i]], ["sum", "stack"])
    n, length = pt.lscalar("n"), pt.lscalar("length")
    w = pt.dvector("w")
    total, picked = op(n, length, w)
    wv = np.array([1.0, 2.0, 3.0])
    check([n, length, w], [total, picked], [np.array(3), np.array(3), wv], [wv * 3.0, wv])
    check_error([n, length, w], total, [np.array(-1), np.array(3), wv])
    check_error([n, length, w], total, [np.array(2), np.array(2), wv])
