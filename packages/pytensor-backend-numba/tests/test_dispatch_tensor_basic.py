"""The numba kernels of the basic constructors agree with NumPy and with ``perform``'s errors.

Graphs are compiled by the numba linker without rewrites, so each Op runs as built.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _ops_check import NUMBA, check_error

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.link.numba.dispatch import tensor_basic as _registered  # noqa: F401
from pytensor.tensor._alloc import AllocEmpty, MakeVector
from pytensor.tensor._ranges import ARange
from pytensor.tensor.basic import scalar_from_tensor, tensor_from_scalar

pytestmark = pytest.mark.numba


def check(inputs: list[Any], outputs: list[Any], values: list[Any], expected: list[Any]) -> None:
    """Every output has the graph's dtype, and NumPy's shape and values."""
    got = function(inputs, outputs, mode=NUMBA, on_unused_input="ignore")(*values)
    for var, g, e in zip(outputs, got, expected, strict=True):
        g = np.asarray(g)
        assert g.dtype == np.dtype(var.type.dtype)
        assert g.shape == np.shape(e)
        np.testing.assert_array_equal(g, np.asarray(e).astype(g.dtype))


def test_ranges_and_nonzero() -> None:
    a, b, c = pt.lscalar("a"), pt.lscalar("b"), pt.lscalar("c")
    f = pt.dscalar("f")
    m = pt.dmatrix("m")
    rows, cols = pt.nonzero(m)
    outs = [pt.arange(a, b, c), ARange("float32")(f, a, 1), pt.eye(a, b, c, dtype="int8")]
    mv = np.array([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])
    vals = [np.array(7), np.array(4), np.array(-3), np.array(0.5), mv]
    expected = [
        np.arange(7, 4, -3),
        np.arange(0.5, 7, 1, dtype="float32"),
        np.eye(7, 4, -3, dtype="int8"),
        *np.nonzero(mv),
    ]
    check([a, b, c, f, m], [*outs, rows, cols], vals, expected)
    check_error([a, b, c], pt.arange(a, b, c), [np.array(1), np.array(5), np.array(0)])
    check_error([a, b, c], pt.eye(a, b, c), [np.array(-1), np.array(5), np.array(0)])


def test_alloc_family() -> None:
    v = pt.dvector("v")
    s = pt.dscalar("s")
    n = pt.lscalar("n")
    y = ps.int8("y")
    outs = [
        pt.alloc(v, n, 3),
        pt.alloc(s, 2, n),
        MakeVector("float64")(s, pt.as_tensor(np.array(2.0))),
        tensor_from_scalar(y),
    ]
    vals = [np.arange(3.0), np.array(1.5), np.array(2), np.int8(-4)]
    expected = [
        np.tile(np.arange(3.0), (2, 1)),
        np.full((2, 2), 1.5),
        np.array([1.5, 2.0]),
        np.array(-4, dtype="int8"),
    ]
    check([v, s, n, y], outs, vals, expected)
    empty = AllocEmpty("float32")(n, 3)
    got = function([n], empty, mode=NUMBA)(np.array(4))
    assert got.shape == (4, 3) and got.dtype == np.float32
    back = function([s], scalar_from_tensor(s), mode=NUMBA)(np.array(2.5))
    assert back == 2.5 and np.asarray(back).dtype == np.float64
    check_error([v, n], pt.alloc(v, n, 3), [np.arange(1.0), np.array(2)])
    check_error([v, n], pt.alloc(v, n, 3), [np.arange(3.0), np.array(-2)])


def test_join_split() -> None:
    ax = pt.lscalar("ax")
    m, k = pt.dmatrix("m"), pt.lmatrix("k")
    sizes = pt.lvector("sizes")
    p0, p1 = pt.split(m, sizes, 2, axis=ax)
    mv, kv = np.arange(6.0).reshape(2, 3), np.arange(4).reshape(2, 2)
    check([ax, m, k], [pt.join(ax, m, k)], [np.array(-1), mv, kv], [np.concatenate([mv, kv], 1)])
    split = np.split(mv, [1], axis=1)
    check([m, sizes, ax], [p0, p1], [mv, np.array([1, 2]), np.array(1)], split)
    check_error([ax, m, k], pt.join(ax, m, k), [np.array(0), mv, kv])
    check_error([ax, m, k], pt.join(ax, m, k), [np.array(2), mv, kv])
    check_error([m, sizes, ax], p0, [mv, np.array([1, 1]), np.array(1)])


def test_extract_diag() -> None:
    t = pt.dtensor3("t")
    m = pt.dmatrix("m")
    tv, mv = np.arange(24.0).reshape(2, 3, 4), np.arange(12.0).reshape(3, 4)
    outs = [pt.diagonal(t, 1, 0, 2), pt.diagonal(m, -1), pt.diagonal(m, 5)]
    expected = [np.diagonal(tv, 1, 0, 2), np.diagonal(mv, -1), np.diagonal(mv, 5)]
    check([t, m], outs, [tv, mv], expected)


@pytest.mark.parametrize("dtype", ["float32", "int8", "bool"])
def test_zero_dimensional_alloc_and_broadcast_to(dtype):
    """A 0-d output is filled by item assignment (numba's ndarray.fill rejects 0-d arrays)."""
    s = pt.scalar("s", dtype=dtype)
    value = np.asarray(1, dtype=dtype)
    check([s], [pt.alloc(s), pt.broadcast_to(s, ())], [value], [value, value])
