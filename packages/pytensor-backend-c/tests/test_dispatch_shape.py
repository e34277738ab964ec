"""C kernels of Shape, Shape_i, Reshape and SpecifyShape against the Python backend."""

from __future__ import annotations

import numpy as np
import pytest
from _c_ops_check import assert_error, assert_same, compile_pair, strided

import pytensor.tensor as pt
from pytensor.tensor.shape import Reshape, Shape, Shape_i, SpecifyShape

pytestmark = pytest.mark.c

NATIVE = (Shape, Shape_i, Reshape, SpecifyShape)


def test_shape_and_shape_i():
    x = pt.tensor3("x")
    fc, fp = compile_pair([x], [pt.shape(x), pt.shape_i(x, 0), pt.shape_i(x, 2)], NATIVE)
    for shape in [(2, 3, 4), (0, 5, 1), (1, 1, 1)]:
        for a in strided(np.zeros(shape)):
            got = assert_same(fc, fp, a)
            assert got[0].dtype == np.int64 and tuple(got[0]) == shape


def test_reshape_values_views_and_errors():
    x = pt.tensor3("x")
    s = pt.lvector("s")
    out = pt.reshape(x, s, ndim=2)
    fc, fp = compile_pair([x, s], out, NATIVE)
    a = np.arange(24.0).reshape(2, 3, 4)
    for v in strided(a):
        for shape in ([6, 4], [-1, 4], [24, -1], [1, 24]):
            assert_same(fc, fp, v, np.array(shape))
    for bad in ([5, 4], [-1, 5], [-1, -1], [6, 4, 1]):
        exc = assert_error(fc, fp, a, np.array(bad))
        assert isinstance(exc, ValueError) and str(exc).startswith("Reshape{2}: ")
    with pytest.raises(
        ValueError, match=r"cannot reshape input x of shape \(2, 3, 4\) \(size 24\)"
    ):
        fc(a, np.array([5, 4]))
    xs = pt.matrix("xs", dtype="int8")
    fc, fp = compile_pair([xs, s], pt.reshape(xs, s, ndim=1), NATIVE)
    assert_same(fc, fp, np.zeros((0, 3), "int8"), np.array([0]))


def test_specify_shape():
    x = pt.tensor3("x")
    n = pt.lscalar("n")
    out = pt.specify_shape(x, (2, n, None))
    fc, fp = compile_pair([x, n], out, NATIVE)
    a = np.ones((2, 3, 4))
    assert_same(fc, fp, a, 3)
    for bad in [(a, 4), (np.ones((3, 3, 4)), 3), (a, -1)]:
        exc = assert_error(fc, fp, *bad)
        assert isinstance(exc, AssertionError)
    with pytest.raises(
        AssertionError, match=r"input x has shape \(2, 3, 4\), expected shape \(2, 5, \?\)"
    ):
        fc(a, 5)
