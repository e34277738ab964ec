"""The numba kernels of basic and advanced indexing agree with NumPy and with ``perform``'s errors.

Graphs are compiled by the numba linker without rewrites, so each Op runs as built.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _ops_check import NUMBA, check_error

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.link.numba.dispatch import subtensor as _registered  # noqa: F401

pytestmark = pytest.mark.numba

X = np.arange(60.0).reshape(3, 4, 5)


def check(inputs: list[Any], outputs: list[Any], values: list[Any], expected: list[Any]) -> None:
    """Every output has the graph's dtype, and NumPy's shape and values."""
    got = function(inputs, outputs, mode=NUMBA, on_unused_input="ignore")(*values)
    for var, g, e in zip(outputs, got, expected, strict=True):
        g = np.asarray(g)
        assert g.dtype == np.dtype(var.type.dtype)
        assert g.shape == np.shape(e)
        np.testing.assert_array_equal(g, e)


def test_basic_indexing() -> None:
    x = pt.dtensor3("x")
    a, b, c = pt.lscalar("a"), pt.lscalar("b"), pt.lscalar("c")
    outs = [x[a, b:c], x[a, ::c, b], x[a, b, c], x[1:, :a]]
    vals = [X, np.array(-1), np.array(1), np.array(-2)]
    expected = [X[-1, 1:-2], X[-1, ::-2, 1], X[-1, 1, -2], X[1:, :-1]]
    check([x, a, b, c], outs, vals, expected)
    check_error([x, a, b, c], x[a, b:c], [X, np.array(3), np.array(0), np.array(1)])
    check_error([x, a, c], x[a, ::c], [X, np.array(0), np.array(0)])


def test_inc_and_set_subtensor() -> None:
    x = pt.dtensor3("x")
    a, b = pt.lscalar("a"), pt.lscalar("b")
    y, yv, ys = pt.dmatrix("y"), pt.dvector("yv"), pt.dscalar("ys")
    outs = [
        pt.set_subtensor(x[a, b:], y),
        pt.inc_subtensor(x[a, ::-2], yv),
        pt.inc_subtensor(x[a, b, -1], ys),
    ]
    yval, yvval = np.ones((3, 5)), np.arange(5.0)
    e0, e1, e2 = X.copy(), X.copy(), X.copy()
    e0[1, 1:] = yval
    e1[1, ::-2] += yvval
    e2[1, 1, -1] += 7.0
    check([x, a, b, y, yv, ys], outs, [X, np.array(1), np.array(1), yval, yvval, 7.0], [e0, e1, e2])
    check_error([x, a, b, yv], pt.inc_subtensor(x[a, b:], yv), [X, 1, 1, np.arange(4.0)])
    check_error([x, a, b, y], pt.set_subtensor(x[a, b:], y), [X, 1, 1, np.ones((1, 5))])
    # Integer increments wrap around like NumPy's in-place add.
    xi, yi = pt.bvector("xi"), pt.bvector("yi")
    xv, yv8 = np.array([100, 120, 3], "int8"), np.array([100, 10, 1], "int8")
    check([xi, yi], [pt.inc_subtensor(xi[:], yi)], [xv, yv8], [(xv + yv8).astype("int8")])


def test_advanced_subtensor_placement() -> None:
    x = pt.dtensor3("x")
    a = pt.lscalar("a")
    iv, jv, im = pt.lvector("iv"), pt.lvector("jv"), pt.lmatrix("im")
    mask = pt.matrix("mask", dtype="bool")
    ivv, jvv, imv = np.array([2, -1]), np.array([4, -5]), np.array([[2, 0, 1], [1, 1, 0]])
    mv = np.arange(12).reshape(3, 4) % 3 == 0
    outs = [
        x[iv],
        x[:, iv],
        x[iv, :, jv],
        x[1:, iv, jv],
        x[im, a:],
        x[mask],
        x[:, mask[0]],
        x[iv, None, ::-2, a],
    ]
    expected = [
        X[ivv],
        X[:, ivv],
        X[ivv, :, jvv],
        X[1:, ivv, jvv],
        X[imv, 2:],
        X[mv],
        X[:, mv[0]],
        X[ivv, None, ::-2, 2],
    ]
    check([x, iv, jv, im, mask, a], outs, [X, ivv, jvv, imv, mv, np.array(2)], expected)


def test_advanced_subtensor_errors() -> None:
    x = pt.dtensor3("x")
    iv, jv = pt.lvector("iv"), pt.lvector("jv")
    mask = pt.matrix("mask", dtype="bool")
    check_error([x, iv], x[iv], [X, np.array([2, 3])])
    check_error([x, iv, jv], x[:, iv, jv], [X, np.array([2, 3]), np.array([1, 2, 3])])
    check_error([x, iv, jv], x[:, iv, jv], [X, np.array([2, 3]), np.array([1])])
    check_error([x, mask], x[mask], [X, np.ones((3, 3), bool)])


def test_advanced_increments() -> None:
    x = pt.dtensor3("x")
    iv, jv = pt.lvector("iv"), pt.lvector("jv")
    mask = pt.matrix("mask", dtype="bool")
    y1, y2 = pt.dvector("y1"), pt.dmatrix("y2")
    ivv, jvv = np.array([2, 2, 0]), np.array([1, 1, 0])
    mv = np.arange(12).reshape(3, 4) % 3 == 0
    outs = [
        pt.inc_subtensor(x[iv], y2),
        pt.set_subtensor(x[iv], y2),
        pt.inc_subtensor(x[:, iv, jv], y2[:3, :3]),
        pt.inc_subtensor(x[iv, :, jv], y1[:4], ignore_duplicates=True),
        pt.set_subtensor(x[mask], y1),
    ]
    y1v, y2v = np.arange(5.0), np.arange(20.0).reshape(4, 5)
    e = [X.copy() for _ in range(5)]
    np.add.at(e[0], ivv, y2v)
    e[1][ivv] = y2v
    np.add.at(e[2], (slice(None), ivv, jvv), y2v[:3, :3])
    e[3][ivv, :, jvv] += y1v[:4]
    e[4][mv] = y1v
    check([x, iv, jv, mask, y1, y2], outs, [X, ivv, jvv, mv, y1v, y2v], e)
    check_error([x, iv, y2], pt.inc_subtensor(x[iv], y2), [X, ivv, np.ones((4, 4))])
    check_error([x, iv, y2], pt.inc_subtensor(x[iv], y2), [X, np.array([7]), np.ones((4, 5))])
    xv, iv8 = pt.lvector("xv"), pt.lvector("iv8")
    counts = np.zeros(3, "int64")
    np.add.at(counts, [1, 1, 2, 1], [1, 2, 3, 4])
    check(
        [xv, iv8, jv],
        [pt.inc_subtensor(xv[iv8], jv)],
        [np.zeros(3, "int64"), np.array([1, 1, 2, 1]), np.array([1, 2, 3, 4])],
        [counts],
    )
