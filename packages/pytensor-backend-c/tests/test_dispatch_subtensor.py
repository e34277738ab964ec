"""C kernels of Subtensor and IncSubtensor (set/increment, inplace) against the Python backend."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from _c_ops_check import C_MODE, assert_error, assert_same, compile_pair, strided

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.io import In
from pytensor.tensor._inc_subtensor import IncSubtensor
from pytensor.tensor.subtensor import Subtensor

pytestmark = pytest.mark.c

VALUES = [(1, 4, 2), (-2, -5, -1), (0, 10, 3), (7, 0, 1), (-9, 3, -2), (2, 2, 1)]


def test_subtensor_views():
    x = pt.tensor3("x")
    i, j, k = pt.lscalar("i"), pt.lscalar("j"), pt.lscalar("k")
    outs = [x[1], x[-1, 2:], x[i:j:k], x[::-1, i], x[:, :, i], x[i:, :j, ::k], x[2:1], x[:i]]
    fc, fp = compile_pair([x, i, j, k], outs[:2] + outs[6:], (Subtensor,))
    a = np.random.default_rng(0).random((5, 6, 7))
    for av, vals in itertools.product(strided(a), VALUES):
        assert_same(fc, fp, av, *vals)
    for out in outs[2:6]:
        fc, fp = compile_pair([x, i, j, k], out, (Subtensor,))
        for av, vals in itertools.product(strided(a)[::2], VALUES):
            if -5 <= vals[0] < 5:
                assert_same(fc, fp, av, *vals)
    fc, fp = compile_pair([x, i, j, k], x[i:j:k], (Subtensor,))
    assert isinstance(assert_error(fc, fp, a, 0, 2, 0), ValueError)
    fc, fp = compile_pair([x, i], x[:, i], (Subtensor,))
    exc = assert_error(fc, fp, a, 6)
    assert isinstance(exc, IndexError)
    assert str(exc).startswith("Subtensor{:, i}: index 6 is out of bounds for axis 1 with size 6")


@pytest.mark.parametrize("set_instead_of_inc", [False, True])
def test_inc_subtensor(set_instead_of_inc):
    x = pt.tensor3("x")
    i, j = pt.lscalar("i"), pt.lscalar("j")
    write = pt.set_subtensor if set_instead_of_inc else pt.inc_subtensor
    y2, y1, y0 = pt.dmatrix("y2"), pt.dvector("y1"), pt.dscalar("y0")
    yb = pt.tensor("yb", shape=(None, 1))
    outs = [write(x[1], y2), write(x[i:j, 1], y1), write(x[::-1, :, i], yb), write(x[i], y0)]
    fc, fp = compile_pair([x, y2, y1, yb, y0, i, j], outs, (IncSubtensor,))
    rng = np.random.default_rng(0)
    a = rng.random((5, 6, 7))
    for av in strided(a):
        for ii, jj in [(1, 4), (-2, 5)]:
            assert_same(
                fc, fp, av, rng.random((6, 7)), rng.random(7), rng.random((5, 1)), 2.5, ii, jj
            )
    f1c, f1p = compile_pair([x, y2], write(x[1], y2), (IncSubtensor,))
    assert_same(f1c, f1p, a, rng.random((6, 7))[:, ::-1])
    for yv in (rng.random((3, 3)), rng.random((1, 7))):
        assert isinstance(assert_error(f1c, f1p, a, yv), ValueError)
    with pytest.raises(ValueError, match="runtime broadcasting is not allowed"):
        f1c(a, rng.random((1, 7)))


@pytest.mark.parametrize("dtype", ["int32", "bool", "float16", "complex128", "uint8"])
def test_inc_subtensor_dtypes(dtype):
    x = pt.vector("x", dtype=dtype)
    y = pt.vector("y", dtype=dtype)
    outs = [pt.inc_subtensor(x[1:3], y), pt.set_subtensor(x[::2], y[0])]
    fc, fp = compile_pair([x, y], outs, (IncSubtensor,) if dtype != "float16" else ())
    xv = (np.arange(5) % 2).astype(dtype)
    assert_same(fc, fp, xv, np.ones(2, dtype))


def test_inplace_inc_subtensor_overlapping_value():
    xv = pt.dvector("x")
    yv = pt.dvector("y")
    op = IncSubtensor(xv[1:].owner.op.idx_list, inplace=True)
    out = op(xv, yv, *xv[1:].owner.inputs[1:])
    fc = function([In(xv, mutable=True), yv], out, mode=C_MODE)
    b = np.arange(6.0)
    got = fc(b, b[:-1])
    expected = np.arange(6.0)
    expected[1:] += np.arange(5.0)
    np.testing.assert_array_equal(got, expected)
