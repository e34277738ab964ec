"""The numba kernels of the extra Ops (cumulative ops, repeat, searchsorted, unique, ...) agree with NumPy.

Graphs are compiled by the numba linker without rewrites, so each Op runs as built.
"""

from __future__ import annotations

import numpy as np
import pytest
from _ops_check import check, check_error

import pytensor.tensor as pt
from pytensor.link.numba.dispatch import extra_ops as _registered  # noqa: F401
from pytensor.tensor._extra_broadcast import BroadcastTo
from pytensor.tensor._extra_index import RavelMultiIndex, UnravelIndex
from pytensor.tensor._extra_unique import BinCount, Unique
from pytensor.tensor.extra_ops import CumOp, FillDiagonal, Repeat, SearchsortedOp

pytestmark = pytest.mark.numba


def test_cumop_repeat_fill_broadcast() -> None:
    x, b8 = pt.dmatrix("x"), pt.bmatrix("b8")
    n, reps, s = pt.lscalar("n"), pt.lvector("reps"), pt.dscalar("s")
    t = pt.dtensor3("t")
    v = pt.dvector("v")
    xv, b8v = np.arange(1.0, 7.0).reshape(2, 3), np.array([[100, 100, 3]], "int8")
    outs = [
        CumOp(1)(x),
        CumOp(0, "mul")(x),
        CumOp(1)(b8),
        Repeat(None)(x, n),
        Repeat(1)(x, reps),
        FillDiagonal()(x, s),
        FillDiagonal()(t, s),
        BroadcastTo()(v, n, 3),
    ]
    fill2, fill3 = xv.copy(), np.zeros((3, 3, 3))
    np.fill_diagonal(fill2, 5.0)
    np.fill_diagonal(fill3, 5.0)
    expected = [
        np.cumsum(xv, 1),
        np.cumprod(xv, 0),
        np.cumsum(b8v, 1, dtype="int8"),
        np.repeat(xv, 2),
        np.repeat(xv, [1, 0, 3], axis=1),
        fill2,
        fill3,
        np.broadcast_to(np.ones(1), (2, 3)),
    ]
    vals = [
        xv,
        b8v,
        np.array(2),
        np.array([1, 0, 3]),
        np.array(5.0),
        np.zeros((3, 3, 3)),
        np.ones(1),
    ]
    check([x, b8, n, reps, s, t, v], outs, vals, expected)
    check_error([x, reps], Repeat(1)(x, reps), [xv, np.array([1, 3])])
    check_error([t, s], FillDiagonal()(t, s), [np.zeros((3, 2, 3)), np.array(5.0)])
    check_error([v, n], BroadcastTo()(v, n, 3), [np.ones(2), np.array(2)])
    check_error([v, n], BroadcastTo()(v, n, 3), [np.ones(3), np.array(-2)])


def test_repeat_negative_count_message() -> None:
    x, reps, r0 = pt.dmatrix("x"), pt.lvector("reps"), pt.lscalar("r0")
    check_error([x, reps], Repeat(1)(x, reps), [np.ones((2, 3)), np.array([1, -10, 3])])
    check_error([x, r0], Repeat(None)(x, r0), [np.ones((2, 3)), np.array(-1)])


def test_searchsorted() -> None:
    s, v, sv = pt.dvector("s"), pt.dmatrix("v"), pt.dscalar("sv")
    sorter = pt.lvector("sorter")
    sval, vval = np.array([3.0, 1.0, 2.0]), np.array([[2.0, 0.5], [3.0, 9.0]])
    outs = [
        SearchsortedOp("right")(s, v, sorter),
        SearchsortedOp("left")(s, sv, sorter),
    ]
    expected = [
        np.searchsorted(sval, vval, side="right", sorter=[1, 2, 0]),
        np.searchsorted(sval, 2.0, side="left", sorter=[1, 2, 0]),
    ]
    check([s, v, sv, sorter], outs, [sval, vval, np.array(2.0), np.array([1, 2, 0])], expected)
    check_error([s, v, sorter], outs[0], [sval, vval, np.array([1, 2])])


def test_unique_and_bincount() -> None:
    x, iv, w, m = pt.dmatrix("x"), pt.lvector("iv"), pt.dvector("w"), pt.lscalar("m")
    xv = np.array([[3.0, 1.0, 3.0, 1.0], [1.0, np.nan, np.nan, 1.0]])
    outs = [
        *Unique(True, True, True)(x),
        *Unique(False, True, True, 1)(x),
        BinCount()(iv, m),
        BinCount()(iv, m, w.astype("float32")),
    ]
    ivv, wv = np.array([1, 1, 4]), np.array([0.1, 0.2, 0.3])
    u_flat = np.unique(xv, return_index=True, return_inverse=True, return_counts=True)
    u_ax = np.unique(xv, return_inverse=True, return_counts=True, axis=1)
    expected = [
        u_flat[0],
        u_flat[1],
        u_flat[2].reshape(-1),
        u_flat[3],
        u_ax[0],
        u_ax[1].reshape(-1),
        u_ax[2],
        np.bincount(ivv, minlength=7),
        np.bincount(ivv, wv, minlength=7).astype("float32"),
    ]
    check([x, iv, m, w], outs, [xv, ivv, np.array(7), wv], expected)
    check_error([iv, m], BinCount()(iv, m), [np.array([1, -1]), np.array(2)])


def test_ravel_unravel() -> None:
    iv, jv = pt.lvector("iv"), pt.lvector("jv")
    im, a = pt.lmatrix("im"), pt.lscalar("a")
    dims = pt.as_tensor(np.array([2, 3]))
    ivv, jvv, imv = np.array([1, 5]), np.array([-2, 1]), np.array([[5, 0], [3, 4]])
    outs = [
        RavelMultiIndex("wrap", "F")(iv, jv, dims),
        RavelMultiIndex("clip")(iv, jv, dims),
        *UnravelIndex()(im, dims),
        *UnravelIndex("F")(a, dims),
    ]
    expected = [
        np.ravel_multi_index((ivv, jvv), (2, 3), mode="wrap", order="F"),
        np.ravel_multi_index((ivv, jvv), (2, 3), mode="clip"),
        *np.unravel_index(imv, (2, 3)),
        *np.unravel_index(5, (2, 3), order="F"),
    ]
    check([iv, jv, im, a], outs, [ivv, jvv, imv, np.array(5)], expected)
    raveled = RavelMultiIndex()(iv, jv, dims)
    check_error([iv, jv], raveled, [ivv, np.array([2, 1])])
    check_error([iv, jv], raveled, [np.array([1, 0]), np.array([2, 1, 0])])
    check_error([a], UnravelIndex()(a, dims)[0], [np.array(6)])
