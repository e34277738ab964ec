"""C kernels of Alloc, AllocEmpty, MakeVector, TensorFromScalar, ScalarFromTensor, ARange,
Eye, Join, Split and ExtractDiag against the Python backend."""

from __future__ import annotations

import numpy as np
import pytest
from _c_ops_check import assert_error, assert_same, compile_pair, strided

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.tensor._alloc import Alloc, AllocEmpty, MakeVector
from pytensor.tensor._diag import ExtractDiag
from pytensor.tensor._join import Join, Split
from pytensor.tensor._ranges import ARange, Eye, Nonzero
from pytensor.tensor.basic import ScalarFromTensor, TensorFromScalar

pytestmark = pytest.mark.c


def test_alloc_and_alloc_empty():
    v = pt.tensor("v", shape=(None, 1))
    n = pt.lscalar("n")
    outs = [pt.alloc(v, 2, n, 3), AllocEmpty("float32")(n, 2), pt.alloc(np.float32(1.5), n)]
    fc, fp = compile_pair([v, n], outs, (Alloc, AllocEmpty))
    for a in strided(np.arange(4.0).reshape(4, 1)):
        got = fc(a, 4)
        np.testing.assert_array_equal(got[0], np.broadcast_to(a, (2, 4, 3)))
        assert got[1].shape == (4, 2) and got[1].dtype == np.float32
        np.testing.assert_array_equal(got[2], np.full(4, 1.5, "float32"))
    fc1, fp1 = compile_pair([v, n], pt.alloc(v, 2, n, 3), (Alloc,))
    assert_same(fc1, fp1, np.ones((0, 1)), 0)
    for bad in [(np.ones((1, 1)), 4), (np.ones((3, 1)), 4), (np.ones((4, 1)), -4)]:
        assert isinstance(assert_error(fc1, fp1, *bad), ValueError)
    with pytest.raises(ValueError, match="runtime broadcasting is not allowed"):
        fc1(np.ones((1, 1)), 4)


def test_make_vector_and_scalar_conversions():
    a, b = pt.dscalar("a"), pt.lscalar("b")
    s = ps.float32("s")
    outs = [
        MakeVector("float64")(a, b),
        TensorFromScalar()(s),
        ScalarFromTensor()(b),
        MakeVector("int64")(b, b, b),
    ]
    fc, fp = compile_pair([a, b, s], outs, (MakeVector, TensorFromScalar, ScalarFromTensor))
    for args in [(1.5, 3, np.float32(2.5)), (-0.0, -(2**62), np.float32(np.nan))]:
        assert_same(fc, fp, *args)


def test_arange_and_eye():
    start, stop, step = pt.dscalar("start"), pt.dscalar("stop"), pt.dscalar("step")
    n, m, k = pt.lscalar("n"), pt.lscalar("m"), pt.lscalar("k")
    outs = [ARange(dt)(start, stop, step) for dt in ("int64", "float64", "float32")]
    outs += [Eye(dt)(n, m, k) for dt in ("float64", "int8", "bool", "complex128", "float16")]
    fc, fp = compile_pair([start, stop, step, n, m, k], outs, (ARange, Eye))
    for r in [(0.5, 7.3, 0.7), (5.0, -2.0, -1.5), (0.0, 0.0, 1.0), (1.0, 10.0, 3.0)]:
        for e in [(3, 4, 0), (4, 3, -2), (3, 3, 5), (0, 2, 0), (2, 5, 1)]:
            assert_same(fc, fp, *r, *e)
    assert isinstance(assert_error(fc, fp, 0.0, 3.0, 0.0, 2, 2, 0), ValueError)
    assert isinstance(assert_error(fc, fp, 0.0, 3.0, 1.0, -2, 2, 0), ValueError)


def test_join():
    ax = pt.lscalar("ax")
    x, y, z = pt.dmatrix("x"), pt.fmatrix("y"), pt.matrix("z", dtype="int32")
    fc, fp = compile_pair([ax, x, y, z], pt.join(ax, x, y, z), (Join,))
    rng = np.random.default_rng(0)
    for axis, shapes in [(0, [(3, 4), (2, 4), (0, 4)]), (1, [(3, 1), (3, 0), (3, 5)])]:
        for sign in (1, -1):
            a = rng.random(shapes[0])
            b = rng.random(shapes[1]).astype("float32")
            c = rng.integers(-5, 5, shapes[2]).astype("int32")
            for av in strided(a):
                assert_same(fc, fp, axis if sign == 1 else axis - 2, av, b[::-1], c)
    a, b, c = np.ones((3, 4)), np.ones((2, 4), "float32"), np.ones((3, 5), "int32")
    assert isinstance(assert_error(fc, fp, 1, a, b, c), ValueError)
    exc = assert_error(fc, fp, 2, a, a.astype("float32"), a.astype("int32"))
    assert isinstance(exc, np.exceptions.AxisError)
    with pytest.raises(
        ValueError, match=r"input 0 \(x\) has shape \(3, 4\) and input 1 \(y\) has shape"
    ):
        fc(1, a, b, c)


def test_split():
    x = pt.dmatrix("x")
    ax, sizes = pt.lscalar("ax"), pt.lvector("sizes")
    fc, fp = compile_pair([x, ax, sizes], Split(3)(x, ax, sizes), (Split,))
    a = np.arange(20.0).reshape(4, 5)
    for av in strided(a):
        assert_same(fc, fp, av, 1, np.array([2, 0, 3]))
        assert_same(fc, fp, av, -2, np.array([1, 1, 2]))
    for bad in [
        (a, 2, np.array([1, 1, 2])),
        (a, 0, np.array([1, 2])),
        (a, 0, np.array([5, -1, 0])),
        (a, 0, np.array([1, 1, 1])),
    ]:
        assert isinstance(assert_error(fc, fp, *bad), ValueError)
    with pytest.raises(ValueError, match=r"negative split size in \(5, -1, 0\)"):
        fc(a, 0, np.array([5, -1, 0]))


@pytest.mark.parametrize("view", [False, True])
def test_extract_diag(view):
    x = pt.tensor3("x")
    outs = [
        ExtractDiag(off, a1, a2, view)(x)
        for off in (-3, -1, 0, 2, 7)
        for a1, a2 in ((0, 1), (0, 2), (1, 2))
    ]
    fc, fp = compile_pair([x], outs, (ExtractDiag,))
    a = np.random.default_rng(1).random((3, 4, 5))
    for av in strided(a):
        assert_same(fc, fp, av)
    assert_same(fc, fp, np.zeros((0, 2, 3)))


def test_nonzero():
    x = pt.dmatrix("x")
    v = pt.vector("v", dtype="int8")
    fc, fp = compile_pair([x, v], [*pt.nonzero(x), *pt.nonzero(v)], (Nonzero,))
    a = (np.random.default_rng(4).random((3, 4)) > 0.5) * 1.0
    for av in strided(a):
        assert_same(fc, fp, av, np.array([0, 3, 0, -1], "int8"))
    assert_same(fc, fp, np.zeros((0, 2)), np.zeros(0, "int8"))
