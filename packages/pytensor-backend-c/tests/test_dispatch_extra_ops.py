"""C kernels of CumOp, Repeat, BroadcastTo, Argmax, SearchsortedOp, FillDiagonal, UnravelIndex
RavelMultiIndex and BinCount against the Python backend."""

from __future__ import annotations

import numpy as np
import pytest
from _c_ops_check import assert_error, assert_same, compile_pair, strided

import pytensor.tensor as pt
from pytensor.tensor._extra_broadcast import BroadcastTo
from pytensor.tensor._extra_index import RavelMultiIndex, UnravelIndex
from pytensor.tensor._extra_unique import BinCount
from pytensor.tensor._reduce import Argmax
from pytensor.tensor.extra_ops import CumOp, FillDiagonal, Repeat, SearchsortedOp

pytestmark = pytest.mark.c


def test_argmax():
    x = pt.tensor3("x")
    axes = [None, (0,), (1,), (2,), (0, 2), (1, 2)]
    fc, fp = compile_pair([x], [Argmax(a)(x) for a in axes], (Argmax,))
    a = np.random.default_rng(0).integers(0, 4, (3, 4, 5)).astype("float64")
    b = a.copy()
    b[0, 1, 2] = b[2, 0, 0] = np.nan
    for v in [*strided(a), b]:
        assert_same(fc, fp, v)
    exc = assert_error(fc, fp, np.zeros((3, 0, 5)))
    assert isinstance(exc, ValueError) and "cannot take the argmax over an empty axis" in str(exc)


@pytest.mark.parametrize("dtype", ["int8", "float32", "bool", "float64"])
def test_cumop(dtype):
    x = pt.tensor("x", dtype=dtype, shape=(None, None))
    outs = [CumOp(axis, mode)(x) for axis in (0, 1) for mode in ("add", "mul")]
    fc, fp = compile_pair([x], outs, (CumOp,))
    v = np.random.default_rng(1).integers(0, 3, (3, 4)).astype(dtype)
    for s in strided(v):
        assert_same(fc, fp, s)


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_repeat(axis):
    x = pt.dmatrix("x")
    r0, r1, rs = pt.lscalar("r0"), pt.lvector("r1"), pt.tensor("rs", dtype="int32", shape=(1,))
    outs = [Repeat(axis)(x, r0), Repeat(axis)(x, r1), Repeat(axis)(x, rs)]
    fc, fp = compile_pair([x, r0, r1, rs], outs, (Repeat,))
    a = np.random.default_rng(2).random((3, 4))
    n = a.size if axis is None else a.shape[axis]
    for s in strided(a):
        assert_same(fc, fp, s, 2, np.arange(n), np.array([3], "int32"))
    for bad in [
        (a, -1, np.arange(n), np.array([1], "int32")),
        (a, 1, np.arange(n) - 1, np.array([1], "int32")),
        (a, 1, np.arange(n + 1), np.array([1], "int32")),
    ]:
        assert isinstance(assert_error(fc, fp, *bad), ValueError)


def test_broadcast_to():
    v = pt.tensor("v", shape=(None, 1))
    n, m = pt.lscalar("n"), pt.lscalar("m")
    fc, fp = compile_pair([v, n, m], pt.broadcast_to(v, (2, n, m)), (BroadcastTo,))
    a = np.arange(3.0).reshape(3, 1)
    for s in strided(a):
        assert_same(fc, fp, s, 3, 4)
        assert_same(fc, fp, s, 3, 1)
    for bad in [(a, 2, 4), (a, -1, 3)]:
        exc = assert_error(fc, fp, *bad)
        assert isinstance(exc, ValueError) and "cannot broadcast an input of shape (3, 1)" in str(
            exc
        )


@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted(side):
    x, v, s = pt.dvector("x"), pt.dmatrix("v"), pt.lvector("s")
    outs = [SearchsortedOp(side)(x, v), SearchsortedOp(side)(x, v, s)]
    fc, fp = compile_pair([x, v, s], outs, (SearchsortedOp,))
    xs = np.array([3.0, 1.0, 2.0, 2.0])
    for vv in strided(np.array([[0.0, 2.0], [2.5, 9.0]])):
        assert_same(fc, fp, np.sort(xs), vv, np.argsort(xs))
    exc = assert_error(fc, fp, np.sort(xs), np.zeros((1, 1)), np.array([1, 2]))
    assert "sorter of shape (2,) does not match the array's shape (4,)" in str(exc)


def test_fill_diagonal():
    outs, ins, vals = [], [], []
    rng = np.random.default_rng(3)
    for shape in [(3, 4), (4, 3), (3, 3, 3), (2, 5), (0, 2)]:
        a = pt.tensor(shape=(None,) * len(shape))
        ins.append(a)
        outs.append(FillDiagonal()(a, np.float64(7.0)))
        vals.append(rng.random(shape))
    fc, fp = compile_pair(ins, outs, (FillDiagonal,))
    assert_same(fc, fp, *vals)
    assert_same(fc, fp, *[np.flip(v) for v in vals])
    fc, fp = compile_pair(ins[2:3], outs[2], (FillDiagonal,))
    exc = assert_error(fc, fp, np.ones((2, 3, 2)))
    assert "all dimensions of the 3-d input must be equal" in str(exc)


@pytest.mark.parametrize("order", ["C", "F"])
def test_unravel_and_ravel_multi_index(order):
    idx = pt.lmatrix("idx")
    i, j = pt.lvector("i"), pt.tensor("j", dtype="int32", shape=(1,))
    outs = list(UnravelIndex(order)(idx, np.array([3, 4, 2]), return_list=True))
    outs += [RavelMultiIndex(mode, order)(i, j, np.array([3, 4])) for mode in ("wrap", "clip")]
    fc, fp = compile_pair([idx, i, j], outs, (UnravelIndex, RavelMultiIndex))
    assert_same(fc, fp, np.array([[0, 5], [23, 7]]), np.array([0, 5, -1]), np.array([3], "int32"))
    assert isinstance(
        assert_error(fc, fp, np.array([[24]]), np.array([0]), np.array([1], "int32")), ValueError
    )
    raising = RavelMultiIndex("raise", order)(i, j, np.array([3, 4]))
    fc, fp = compile_pair([i, j], raising, (RavelMultiIndex,))
    assert_same(fc, fp, np.array([0, 2, 1]), np.array([3], "int32"))
    assert isinstance(assert_error(fc, fp, np.array([0, 3]), np.array([0], "int32")), ValueError)


def test_bincount():
    x = pt.vector("x", dtype="int32")
    n = pt.lscalar("n")
    w32, w64 = pt.fvector("w32"), pt.vector("wi", dtype="int16")
    outs = [BinCount()(x, n), BinCount()(x, n, w32), BinCount()(x, n, w64)]
    fc, fp = compile_pair([x, n, w32, w64], outs, (BinCount,))
    xv = np.array([0, 3, 3, 1, 7], "int32")
    for minlength in (0, 3, 10):
        assert_same(
            fc,
            fp,
            xv,
            minlength,
            np.linspace(0, 1, 5, dtype="float32"),
            np.arange(5, dtype="int16"),
        )
    assert_same(fc, fp, np.zeros(0, "int32"), 2, np.zeros(0, "float32"), np.zeros(0, "int16"))
    for bad in [(np.array([-1], "int32"), 0), (xv, -1)]:
        exc = assert_error(
            fc, fp, *bad, np.ones(len(bad[0]), "float32"), np.ones(len(bad[0]), "int16")
        )
        assert isinstance(exc, ValueError)
    exc = assert_error(fc, fp, xv, 0, np.ones(2, "float32"), np.ones(5, "int16"))
    assert "weights of shape (2,) do not match x of shape (5,)" in str(exc)
