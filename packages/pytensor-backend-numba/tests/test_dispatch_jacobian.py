"""The numba kernel of IndexedMap (the loop behind jacobians) agrees with NumPy and ``perform``.

Graphs are compiled by the numba linker without rewrites, so each Op runs as built.
"""

from __future__ import annotations

import numpy as np
import pytest
from _ops_check import check, check_error

import pytensor.tensor as pt
from pytensor.gradient import jacobian
from pytensor.link.numba.dispatch import jacobian as _registered  # noqa: F401
from pytensor.tensor._jacobian import IndexedMap

pytestmark = pytest.mark.numba


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
